import { describe, expect, it } from "vitest";
import { decodeXmlText, parseXml } from "../../../../mappings/xml/safe-parse.js";

const refused = (text: string, limits = {}) => {
  const r = parseXml(text, limits);
  if (r.ok) throw new Error("expected a refusal");
  return r.issues[0]?.message ?? "";
};

describe("parseXml refuses what could read files or blow up", () => {
  it("refuses an external (SYSTEM) entity before anything resolves it", () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<r>&x;</r>`;
    expect(refused(xxe)).toMatch(/DOCTYPE is not accepted.*at line 2, column 1/);
  });

  it("refuses billion laughs", () => {
    const lol = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`;
    expect(refused(lol)).toMatch(/DOCTYPE.*line 1, column 1/);
  });

  it("refuses a lower-case doctype and a stray ENTITY declaration", () => {
    expect(refused(`<!doctype r><r/>`)).toMatch(/DOCTYPE/);
    expect(refused(`<r><!ENTITY x "y"></r>`)).toMatch(/<!ENTITY> declaration/);
  });

  it("refuses 20,000-deep nesting fast, naming where", () => {
    const deep = `${"<a>".repeat(20_000)}${"</a>".repeat(20_000)}`;
    const t0 = performance.now();
    const message = refused(deep);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(message).toMatch(/deeper than 256 levels at line 1, column 769/);
  });

  it("refuses a truncated document with the position of its end", () => {
    expect(refused(`<elmo>\n  <learner>\n    <givenNames>A</givenNames>`)).toMatch(
      /element <learner> opened at line 2, column 3 is not closed.*line 3, column 31/,
    );
    expect(refused(`<elmo><learner`)).toMatch(/unterminated tag at line 1, column 7/);
  });

  it("refuses mismatched tags with the validator's line and column", () => {
    expect(refused(`<a>\n<b></a>`)).toMatch(
      /closing tag <\/a> at line 2, column 4 does not match <b> opened at line 2, column 1/,
    );
    expect(refused(`<a><b c="1"d="2"/></a>`)).toMatch(/not well-formed XML: .* at line 1, column/);
  });

  it("refuses documents over the size limit", () => {
    expect(refused(`<a>${"x".repeat(100)}</a>`, { maxBytes: 50 })).toMatch(/larger than 50 bytes/);
  });
});

describe("parseXml reads what is there", () => {
  it("skips a BOM and resolves namespaces", () => {
    const r = parseXml(`\uFEFF<?xml version="1.0"?><e:elmo xmlns:e="urn:e"><e:learner/></e:elmo>`);
    expect(r.ok && r.doc).toMatchObject({ name: "elmo", ns: "urn:e", children: [{ name: "learner", ns: "urn:e" }] });
  });

  it("decodes the predefined entities and character references once, and leaves CDATA as written", () => {
    const r = parseXml(`<a k="x &amp; y &#65;">1 &lt; 2 &amp;lt; &#x41;&apos;<![CDATA[<raw> &amp;]]></a>`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.doc.attrs.k).toBe("x & y A");
    expect(r.doc.text).toBe("1 < 2 &lt; A'<raw> &amp;");
  });

  it("leaves unknown and invalid references as written", () => {
    expect(decodeXmlText("&nbsp; &#0; &#xD800;")).toBe("&nbsp; &#0; &#xD800;");
  });

  it("ignores markup-like text in comments and CDATA when scanning", () => {
    const r = parseXml(`<a><!-- <!DOCTYPE x> <b> --><![CDATA[<!DOCTYPE y><c>]]></a>`);
    expect(r.ok).toBe(true);
  });
});
