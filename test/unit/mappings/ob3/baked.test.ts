import { readFileSync } from "node:fs";
import { crc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bakePng,
  bakeSvg,
  DEFAULT_BAKED_LIMITS,
  decodeImageString,
  looksLikeBakedImage,
  readBakedImage,
  readBakedPng,
  readBakedSvg,
  unbakeForReader,
} from "../../../../mappings/ob3/baked.js";
import { READERS, sniffFormat } from "../../../../mappings/registry.js";
import { corpusPath } from "../../../support/corpus.js";
import { unsignedOb3Credential } from "../../../support/ob3.js";

// Reading and baking Open Badges images: the 1EdTech validator's baked PNG in place, SVGs with a JWS and with JSON,
// and the damaged, duplicated, compressed and oversize images a verifier must refuse with a reason.
const FIXTURE = "ob3/validator-fixtures/simple-json.png";
const fixture = (): Uint8Array => new Uint8Array(readFileSync(corpusPath(FIXTURE)));
const JWS = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6a2V5OnoifQ.c2lnbmF0dXJl";

// ------------------------------------------------------------------------------------------- image factories

function chunk(type: string, data: Uint8Array | string): Buffer {
  const body = typeof data === "string" ? Buffer.from(data, "latin1") : Buffer.from(data);
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, "latin1");
  body.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

/** A 1x1 PNG (signature, IHDR, IDAT, IEND) with the given chunks between IHDR and IDAT. */
function png(...extra: Buffer[]): Uint8Array {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  const idat = Buffer.from([0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", ihdr),
      ...extra,
      chunk("IDAT", idat),
      chunk("IEND", ""),
    ]),
  );
}

/** An iTXt chunk: keyword, compression flag, method, empty language tag and translated keyword, UTF-8 text. */
const itxt = (keyword: string, text: string, compressed = 0): Buffer =>
  chunk(
    "iTXt",
    Buffer.concat([Buffer.from(`${keyword}\0${String.fromCharCode(compressed)}\0\0\0`, "latin1"), Buffer.from(text)]),
  );

const dataUrl = (bytes: Uint8Array, type = "image/png") =>
  `data:${type};base64,${Buffer.from(bytes).toString("base64")}`;

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="4"/></svg>';
const svgWith = (inner: string, ns = "https://purl.imsglobal.org/ob/v3p0") =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="${ns}">${inner}<circle r="4"/></svg>`;

const messageOf = (result: ReturnType<typeof readBakedImage>): string =>
  result.ok ? "" : result.issues.map((i) => i.message).join("; ");

// ----------------------------------------------------------------------------------------------------- PNG

describe("readBakedPng", () => {
  it("reads the 1EdTech validator's baked PNG fixture: an OB 3.0 credential's JSON", () => {
    // Act
    const result = readBakedPng(fixture());
    // Assess
    expect(result.ok, messageOf(result)).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ image: "png", openBadges: "3.0", kind: "json" });
    const credential = JSON.parse(result.value.text);
    expect(credential.type).toContain("OpenBadgeCredential");
    expect(credential.proof).toBeDefined();
  });

  it("reads a VC-JWT baked in iTXt, an OB 2.0 openbadges chunk and the pre-2.0 tEXt form", () => {
    // Act
    const jws = readBakedPng(png(itxt("openbadgecredential", JWS)));
    const ob2 = readBakedPng(png(itxt("openbadges", '{"type":"Assertion"}')));
    const legacy = readBakedPng(png(chunk("tEXt", "openbadges\0https://example.org/assertions/1")));
    // Assess
    expect(jws).toEqual({ ok: true, value: { image: "png", openBadges: "3.0", kind: "jws", text: JWS } });
    expect(ob2).toMatchObject({ ok: true, value: { openBadges: "2.0", kind: "json" } });
    expect(legacy).toMatchObject({ ok: true, value: { openBadges: "2.0", kind: "url" } });
  });

  it("prefers the OB 3.0 credential when an OB 2.0 assertion is baked alongside it", () => {
    // Act
    const result = readBakedPng(png(itxt("openbadges", '{"type":"Assertion"}'), itxt("openbadgecredential", JWS)));
    // Assess
    expect(result).toMatchObject({ ok: true, value: { openBadges: "3.0", text: JWS } });
  });

  it.each([
    ["a PNG with no baked credential", png(itxt("Comment", "hello")), /no baked credential/],
    [
      "a duplicated openbadgecredential chunk",
      png(itxt("openbadgecredential", JWS), itxt("openbadgecredential", JWS)),
      /2 openbadgecredential chunks; Open Badges allows one/,
    ],
    [
      "a compressed chunk",
      png(itxt("openbadgecredential", "x\u009c", 1)),
      /compressed, which Open Badges baking does not allow/,
    ],
    [
      "text that is no credential",
      png(itxt("openbadgecredential", "hello world")),
      /neither a credential's JSON nor a compact JWS/,
    ],
    ["an empty chunk", png(itxt("openbadgecredential", "  ")), /is empty/],
    ["bytes that are no PNG", new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), /not a PNG/],
  ])("refuses %s", (_name, bytes, message) => {
    // Act
    const result = readBakedPng(bytes);
    // Assess
    expect(result.ok).toBe(false);
    expect(messageOf(result)).toMatch(message);
  });

  it("refuses a damaged chunk (CRC mismatch), naming the chunk and its offset", () => {
    // Prepare: flip one byte of the baked credential's text, leaving its CRC as it was.
    const bytes = png(itxt("openbadgecredential", JWS));
    const at = Buffer.from(bytes).indexOf(Buffer.from("eyJ"));
    bytes[at] = "f".charCodeAt(0);
    // Act
    const result = readBakedPng(bytes);
    // Assess
    expect(messageOf(result)).toMatch(/iTXt chunk at byte 33 fails its CRC check/);
  });

  it("refuses a truncated file and a chunk claiming more bytes than the file has", () => {
    // Prepare
    const whole = png(itxt("openbadgecredential", JWS));
    const truncated = whole.subarray(0, whole.length - 12);
    const lying = Buffer.from(whole);
    lying.writeUInt32BE(0x00ffffff, 33);
    // Act / Assess
    expect(messageOf(readBakedPng(truncated))).toMatch(/truncated .*no IEND/);
    expect(messageOf(readBakedPng(new Uint8Array(lying)))).toMatch(/claims 16777215 bytes, past the end of the file/);
  });

  it("refuses an image over the image limit and a credential over the credential limit", () => {
    // Prepare
    const bytes = png(itxt("openbadgecredential", `{"pad":"${"x".repeat(2000)}"}`));
    // Act
    const image = readBakedPng(bytes, { ...DEFAULT_BAKED_LIMITS, maxImageBytes: 1000 });
    const credential = readBakedPng(bytes, { ...DEFAULT_BAKED_LIMITS, maxCredentialBytes: 1000 });
    // Assess
    expect(messageOf(image)).toMatch(/larger than 1000 bytes/);
    expect(messageOf(credential)).toMatch(/holds more than 1000 bytes/);
  });
});

describe("readBakedPng: any damage", () => {
  it("never throws, and a changed byte anywhere in the baked chunk or its CRC makes the read fail", () => {
    // Prepare
    const original = fixture();
    const start = Buffer.from(original).indexOf(Buffer.from("iTXtopenbadgecredential")) - 4;
    const end = start + 12 + Buffer.from(original).readUInt32BE(start);
    fc.assert(
      fc.property(fc.integer({ min: start + 4, max: end - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bytes = original.slice();
        bytes[at] = (bytes[at] ?? 0) ^ xor;
        // Act
        const result = readBakedPng(bytes);
        // Assess
        expect(result.ok).toBe(false);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: original.length }), (cut) => {
        // Act / Assess: a truncated file is refused, not misread
        expect(() => readBakedPng(original.subarray(0, cut))).not.toThrow();
        expect(readBakedPng(original.subarray(0, cut)).ok).toBe(cut === original.length);
      }),
      { numRuns: 200 },
    );
  });
});

// ----------------------------------------------------------------------------------------------------- SVG

describe("readBakedSvg", () => {
  it("reads a JWS from the verify attribute and JSON from CDATA", () => {
    // Prepare
    const json = JSON.stringify(unsignedOb3Credential());
    // Act
    const jws = readBakedSvg(svgWith(`<openbadges:credential verify="${JWS}"></openbadges:credential>`));
    const cdata = readBakedSvg(svgWith(`<openbadges:credential><![CDATA[${json}]]></openbadges:credential>`));
    // Assess
    expect(jws).toEqual({ ok: true, value: { image: "svg", openBadges: "3.0", kind: "jws", text: JWS } });
    expect(cdata).toEqual({ ok: true, value: { image: "svg", openBadges: "3.0", kind: "json", text: json } });
  });

  it("reads an OB 2.0 <openbadges:assertion> and matches by namespace, not by prefix", () => {
    // Prepare
    const ob2 = svgWith('<openbadges:assertion verify="https://example.org/a/1"/>', "http://openbadges.org");
    const otherPrefix = `<svg xmlns="http://www.w3.org/2000/svg"><ob:credential xmlns:ob="https://purl.imsglobal.org/ob/v3p0" verify="${JWS}"/></svg>`;
    const wrongNamespace = svgWith(`<openbadges:credential verify="${JWS}"/>`, "https://example.org/not-ob");
    // Act / Assess
    expect(readBakedSvg(ob2)).toMatchObject({ ok: true, value: { openBadges: "2.0", kind: "url" } });
    expect(readBakedSvg(otherPrefix)).toMatchObject({ ok: true, value: { text: JWS } });
    expect(messageOf(readBakedSvg(wrongNamespace))).toMatch(/no baked credential/);
  });

  it.each([
    ["an SVG with no credential", SVG, /no baked credential/],
    [
      "two credentials",
      svgWith(`<openbadges:credential verify="${JWS}"/><openbadges:credential verify="${JWS}"/>`),
      /2 <openbadges:credential> elements/,
    ],
    ["a DOCTYPE (entity expansion)", `<!DOCTYPE svg [<!ENTITY a "b">]>${SVG}`, /DOCTYPE|declaration/i],
    ["an unclosed element", '<svg xmlns="http://www.w3.org/2000/svg"><g>', /unclosed|not closed/i],
    ["XML that is not an SVG", "<html><body/></html>", /not an SVG/],
  ])("refuses %s", (_name, text, message) => {
    // Act
    const result = readBakedSvg(text);
    // Assess
    expect(result.ok).toBe(false);
    expect(messageOf(result)).toMatch(message);
  });

  it("refuses an SVG over the image limit before parsing it", () => {
    // Act
    const result = readBakedSvg(svgWith(`<openbadges:credential verify="${JWS}"/>`), {
      ...DEFAULT_BAKED_LIMITS,
      maxImageBytes: 100,
    });
    // Assess
    expect(result.ok).toBe(false);
  });
});

// ------------------------------------------------------------------------------------------- strings, writer

describe("decodeImageString and readBakedImage", () => {
  it("takes a PNG data URL, plain base64 PNG, an SVG data URL (base64 or percent-encoded) and SVG text", () => {
    // Prepare
    const svg = svgWith(`<openbadges:credential verify="${JWS}"/>`);
    const inputs = [
      dataUrl(fixture()),
      Buffer.from(fixture()).toString("base64"),
      dataUrl(new TextEncoder().encode(svg), "image/svg+xml"),
      `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`,
      svg,
    ];
    // Act
    const results = inputs.map((input) => readBakedImage(input));
    // Assess
    expect(results.map((r) => (r.ok ? `${r.value.image}:${r.value.kind}` : messageOf(r)))).toEqual([
      "png:json",
      "png:json",
      "svg:jws",
      "svg:jws",
      "svg:jws",
    ]);
    expect(inputs.every(looksLikeBakedImage)).toBe(true);
  });

  it("refuses other image types, broken base64 and oversize data before decoding", () => {
    // Act / Assess
    expect(decodeImageString("data:image/jpeg;base64,/9j/4AAQ")).toMatchObject({ ok: false });
    expect(messageOf(readBakedImage("data:image/jpeg;base64,/9j/4AAQ"))).toMatch(
      /PNG or an SVG image, not image\/jpeg/,
    );
    expect(messageOf(readBakedImage("data:image/png;base64,iVBORw0KGgo!!!"))).toMatch(/not valid base64/);
    expect(messageOf(readBakedImage("data:image/png,rawbytes"))).toMatch(/must be base64/);
    const big = `data:image/png;base64,${"A".repeat(2000)}`;
    expect(messageOf(readBakedImage(big, { ...DEFAULT_BAKED_LIMITS, maxImageBytes: 1000 }))).toMatch(
      /larger than 1000/,
    );
  });

  it("does not take a JSON credential, a VC-JWT or other XML for an image", () => {
    expect(looksLikeBakedImage(JSON.stringify(unsignedOb3Credential()))).toBe(false);
    expect(looksLikeBakedImage(JWS)).toBe(false);
    expect(looksLikeBakedImage("<svgx/>")).toBe(false);
    expect(looksLikeBakedImage('<?xml version="1.0"?><elmo/>')).toBe(false);
  });

  it("finds <svg> after a long XML declaration and comments, and scans thousands of comments linearly", () => {
    // Prepare
    const prolog = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!-- ${"generated ".repeat(20)} -->\n`;
    const comments = "<!---->".repeat(100_000);
    // Act / Assess
    expect(looksLikeBakedImage(`${prolog}<svg xmlns="http://www.w3.org/2000/svg"/>`)).toBe(true);
    expect(looksLikeBakedImage(comments)).toBe(false);
    expect(looksLikeBakedImage('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg/>')).toBe(true);
    expect(messageOf(readBakedImage('<!DOCTYPE svg [<!ENTITY a "b">]><svg/>'))).toMatch(/DOCTYPE|declaration/i);
    expect(looksLikeBakedImage(`${comments}<svg/>`)).toBe(false); // past the 4 KiB looked at
  });
});

describe("bakePng and bakeSvg", () => {
  it("bakes JSON and a JWS into a PNG that reads back, replacing a credential already baked", () => {
    // Prepare
    const credential = unsignedOb3Credential();
    // Act
    const once = bakePng(png(itxt("openbadges", '{"old":true}')), credential);
    const twice = once.ok ? bakePng(once.value, JWS) : once;
    // Assess
    expect(once.ok && readBakedPng(once.value)).toMatchObject({ ok: true, value: { kind: "json" } });
    expect(once.ok && JSON.parse((readBakedPng(once.value) as { value: { text: string } }).value.text)).toEqual(
      credential,
    );
    expect(twice.ok && readBakedPng(twice.value)).toEqual({
      ok: true,
      value: { image: "png", openBadges: "3.0", kind: "jws", text: JWS },
    });
  });

  it("bakes JSON (CDATA, even with ]]> inside) and a JWS (verify) into an SVG that reads back", () => {
    // Prepare
    const credential = { ...unsignedOb3Credential(), name: "Tricky ]]> name" };
    // Act
    const json = bakeSvg(SVG, credential);
    const jws = bakeSvg(SVG, JWS);
    // Assess
    expect(json.ok && readBakedSvg(json.value).ok).toBe(true);
    expect(json.ok && JSON.parse((readBakedSvg(json.value) as { value: { text: string } }).value.text)).toEqual(
      credential,
    );
    expect(jws.ok && readBakedSvg(jws.value)).toMatchObject({ ok: true, value: { kind: "jws", text: JWS } });
  });

  it("refuses to bake into a non-PNG, a damaged PNG and an SVG already baked", () => {
    // Prepare
    const damaged = png(itxt("Comment", "x"));
    damaged[damaged.length - 1] = (damaged.at(-1) ?? 0) ^ 0xff;
    const baked = bakeSvg(SVG, JWS);
    // Act / Assess
    expect(bakePng(new Uint8Array(10), JWS).ok).toBe(false);
    expect(bakePng(damaged, JWS).ok).toBe(false);
    expect(baked.ok && bakeSvg(baked.value, JWS)).toMatchObject({ ok: false });
  });
});

describe("the reader registry and baked images", () => {
  it("sniffs a baked PNG data URL as OB 3.0 and reads it as a baked-png credential", () => {
    // Prepare
    const input = dataUrl(fixture());
    // Act
    const format = sniffFormat(input);
    const read = READERS.ob3?.(input);
    // Assess
    expect(format).toBe("ob3");
    expect(read?.ok).toBe(true);
    expect(read?.ok && read.value[0]?.provenance).toMatchObject({ variant: "baked-png" });
  });

  it("leaves inputs that are not images, and images without a credential, to the reader as they are", () => {
    expect(unbakeForReader(JWS)).toBe(JWS);
    const empty = dataUrl(png());
    expect(unbakeForReader(empty)).toBeInstanceOf(Uint8Array);
    expect(sniffFormat(empty)).toBeUndefined();
  });
});
