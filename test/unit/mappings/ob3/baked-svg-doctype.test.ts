/**
 * SVG 1.1 badges as editors save them carry `<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "…svg11.dtd">` (the
 * declaration the SVG 1.1 recommendation, §1.3, tells authors to write). That names an external DTD only: nothing is
 * fetched and no entity is declared, so the badge is read. An internal subset, where entities are declared, is not.
 */
import { describe, expect, it } from "vitest";
import { bakeSvg, readBakedImage, readBakedSvg } from "../../../../mappings/ob3/baked.js";
import { parseXml } from "../../../../mappings/xml/safe-parse.js";
import { corpusText } from "../../../support/corpus.js";

/** The SVG 1.1 recommendation's own DOCTYPE (https://www.w3.org/TR/SVG11/intro.html#NamespaceAndDTDIdentifiers). */
const SVG11_DOCTYPE =
  '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">';
const svg11 = (inner: string) =>
  `<?xml version="1.0" standalone="no"?>\n${SVG11_DOCTYPE}\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" width="10" height="10">${inner}<circle r="4"/></svg>`;

/** 1EdTech's validator fixture, baked as JSON text (its name, read in the file: "Teamwork Badge"). */
const CREDENTIAL = corpusText("ob3/validator-fixtures/simple.json");

describe("an SVG 1.1 badge with an external-identifier DOCTYPE", () => {
  it("is read: the baked credential comes out as it went in", () => {
    const image = svg11(`<openbadges:credential><![CDATA[${CREDENTIAL}]]></openbadges:credential>`);

    const read = readBakedImage(image);

    expect(read.ok, JSON.stringify(!read.ok && read.issues)).toBe(true);
    if (!read.ok) return;
    expect(read.value.kind).toBe("json");
    expect(JSON.parse(read.value.text).name).toBe("Teamwork Badge");
  });

  it("is read as a base64 data URL too, and can be baked into", () => {
    const image = svg11("");
    const baked = bakeSvg(image, JSON.parse(CREDENTIAL));
    if (!baked.ok) throw new Error(JSON.stringify(baked.issues));

    const read = readBakedImage(`data:image/svg+xml;base64,${Buffer.from(baked.value).toString("base64")}`);

    expect(read.ok && JSON.parse(read.value.text).id).toBe("http://example.com/credentials/3527");
    expect(baked.value).toContain(SVG11_DOCTYPE);
  });

  it("accepts SYSTEM and bare forms, and keeps positions after the declaration", () => {
    for (const decl of ['<!DOCTYPE svg SYSTEM "svg11.dtd">', "<!DOCTYPE svg>", "<!DOCTYPE svg PUBLIC 'a' 'b' >"]) {
      const read = readBakedSvg(`${decl}<svg xmlns="http://www.w3.org/2000/svg"/>`);
      // Parsed, so the answer is about the badge, not the declaration.
      expect(!read.ok && read.issues[0]?.message, decl).toMatch(/no baked credential/);
      expect(parseXml(`${decl}<svg/>`, {}, { externalDoctype: true }).ok, decl).toBe(true);
    }
    const broken = parseXml(`${SVG11_DOCTYPE}\n<svg><g></svg>`, {}, { externalDoctype: true });
    expect(!broken.ok && broken.issues[0]?.message).toMatch(/<\/svg> at line 2, column 9/);
  });

  it.each([
    ["an internal subset declaring an entity", `<!DOCTYPE svg [<!ENTITY a "b">]><svg/>`],
    [
      "an external identifier plus an internal subset",
      `<!DOCTYPE svg SYSTEM "x.dtd" [<!ENTITY a SYSTEM "file:///etc/passwd">]><svg>&a;</svg>`,
    ],
    ["a parameter entity", `<!DOCTYPE svg [<!ENTITY % r SYSTEM "http://169.254.169.254/"> %r;]><svg/>`],
    ["a second DOCTYPE", `${SVG11_DOCTYPE}<!DOCTYPE svg><svg/>`],
    ["a DOCTYPE after the root element", `<svg>${SVG11_DOCTYPE}</svg>`],
    ["an unterminated DOCTYPE", `<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN`],
  ])("still refuses %s", (_what, text) => {
    const read = readBakedImage(text);

    expect(read.ok).toBe(false);
    expect(!read.ok && read.issues[0]?.message).toMatch(/DOCTYPE|declaration|unterminated|not accepted/i);
  });

  it("leaves other XML readers refusing any DOCTYPE (the option is the SVG reader's)", () => {
    const r = parseXml(`${SVG11_DOCTYPE.replace("svg", "elmo")}<elmo/>`);
    expect(!r.ok && r.issues[0]?.message).toMatch(/DOCTYPE is not accepted/);
  });
});
