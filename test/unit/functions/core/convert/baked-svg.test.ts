/**
 * `/v1/convert` takes a baked SVG badge as it takes a baked PNG: SVG text (or an SVG data URL) is recognised as an
 * Open Badges 3.0 image without `from`, and its credential is converted.
 */
import { describe, expect, it } from "vitest";
import { readConfig } from "../../../../../functions/config.js";
import { convert } from "../../../../../functions/core/convert/convert.js";
import { bakeSvg } from "../../../../../mappings/ob3/baked.js";
import { corpusJson } from "../../../../support/corpus.js";
import { SYSTEM_TIME } from "../../../../support/write-time.js";

const { limits } = readConfig({ GATEWAY_MODE: "local" });
const SVG11 =
  '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="4"/></svg>';

/** 1EdTech's validator fixture: name "Teamwork Badge", achievement "Teamwork", issuer "Example Corp" (read in the file). */
const credential = () => {
  const doc = corpusJson("ob3/validator-fixtures/simple.json");
  delete doc.proof;
  return doc;
};

const baked = (svg: string) => {
  const b = bakeSvg(svg, credential());
  if (!b.ok) throw new Error(JSON.stringify(b.issues));
  return b.value;
};

describe("convert sniffs a baked SVG", () => {
  it.each([
    ["SVG text", () => baked(SVG11.replace(/<!DOCTYPE[^>]*>\n/, ""))],
    ["SVG 1.1 text with its DOCTYPE", () => baked(SVG11)],
    ["an SVG data URL", () => `data:image/svg+xml;base64,${Buffer.from(baked(SVG11)).toString("base64")}`],
  ])("%s, without `from`", async (_what, image) => {
    const out = await convert({ to: "elm", document: image() }, limits, SYSTEM_TIME);

    expect(out.from).toBe("ob3");
    const text = JSON.stringify(out.results[0]?.document);
    expect(text).toContain("Teamwork");
    expect(text).toContain("Example Corp");
  });

  it("with `from: ob3` too", async () => {
    const out = await convert({ to: "elm", from: "ob3", document: baked(SVG11) }, limits, SYSTEM_TIME);
    expect(JSON.stringify(out.results[0]?.document)).toContain("Teamwork");
  });

  it("still refuses an SVG without a credential, saying so", async () => {
    await expect(convert({ to: "elm", document: SVG11 }, limits, SYSTEM_TIME)).rejects.toMatchObject({
      message: expect.stringMatching(/SVG image without a readable badge: the SVG holds no baked credential/),
    });
  });
});
