/**
 * Baked badges: reading the credential an Open Badges image carries, and baking one into an image.
 *
 * - PNG (OB 3.0 "Document formats"; OB 2.0 baking spec): an `iTXt` chunk with the keyword `openbadgecredential`
 *   (OB 2.0: `openbadges`) whose text is the credential's JSON or a compact JWS. Compression MUST NOT be used and the
 *   chunk MUST NOT appear more than once, so a compressed chunk and a duplicate are refused rather than guessed at. The
 *   pre-2.0 `tEXt` form is read too. Every chunk's CRC is checked: a damaged file is reported as damaged, not read.
 * - SVG: `<openbadges:credential>` in the namespace `https://purl.imsglobal.org/ob/v3p0` (OB 2.0:
 *   `<openbadges:assertion>` in `http://openbadges.org`) holding a JWS in its `verify` attribute or the JSON as its
 *   text (CDATA). Parsed by the project's safe XML parser (no entities, no internal DTD subset, depth and size limits;
 *   a DOCTYPE naming only the external SVG 1.1 DTD is skipped, never fetched).
 *
 * The chunk walk is hand-written (about forty lines) because `png-itxt`/`pngjs` are not installed and the walk needs
 * exactly the checks above; the CRC is Node's `zlib.crc32`. Pure: no I/O. Never throws.
 */
import { crc32 } from "node:zlib";
import type { ReadIssue } from "../model.js";
import { parseXml, type XmlElement } from "../xml/safe-parse.js";

/** The OB 3.0 PNG keyword and SVG namespace. */
export const OB3_PNG_KEYWORD = "openbadgecredential";
export const OB3_SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0";
/** The OB 2.0 PNG keyword and SVG namespace. */
export const OB2_PNG_KEYWORD = "openbadges";
export const OB2_SVG_NAMESPACE = "http://openbadges.org";

export interface BakedLimits {
  /** Largest accepted image, in bytes (PNG bytes or SVG UTF-8 bytes). */
  maxImageBytes: number;
  /** Largest accepted baked credential text, in bytes. */
  maxCredentialBytes: number;
}

/** Badge images are small; the credential inside is a few kilobytes (a complete OB 3.0 example is 24 KB). */
export const DEFAULT_BAKED_LIMITS: BakedLimits = { maxImageBytes: 8 * 1024 * 1024, maxCredentialBytes: 1024 * 1024 };

export interface BakedCredential {
  image: "png" | "svg";
  /** `openbadgecredential` / `credential` for OB 3.0, `openbadges` / `assertion` for OB 2.0. */
  openBadges: "3.0" | "2.0";
  /** The credential's JSON text, or a compact JWS (or, in OB 2.0, a hosted assertion URL). */
  text: string;
  kind: "json" | "jws" | "url";
}

export type BakedResult = { ok: true; value: BakedCredential } | { ok: false; issues: ReadIssue[] };

const refuse = (message: string, path = ""): BakedResult => ({ ok: false, issues: [{ path, message }] });

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
/** The start of any PNG's base64: its signature and the IHDR chunk length. */
const PNG_BASE64_PREFIX = "iVBORw0KGgo";

/** Whether bytes start with the PNG signature. */
export function isPngBytes(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * Whether text is an SVG document: its first element, after an optional XML declaration and comments, is `<svg`.
 * A linear scan of the first 4 KiB (a regular expression with a repeated comment group backtracks exponentially).
 */
export function looksLikeSvgText(text: string): boolean {
  const head = text.slice(0, 4096);
  let at = 0;
  for (;;) {
    while (at < head.length && /\s/.test(head.charAt(at))) at++;
    if (head.startsWith("<?xml", at) || head.startsWith("<!--", at)) {
      const end = head.indexOf(head.startsWith("<?", at) ? "?>" : "-->", at + 4);
      if (end < 0) return false;
      at = end + (head.startsWith("<?", at) ? 2 : 3);
      continue;
    }
    // An SVG with a DOCTYPE is still an SVG: the safe parser then skips an external DTD or refuses an internal subset.
    if (/^<!DOCTYPE\s+svg[\s>[]/i.test(head.slice(at, at + 16))) return true;
    return head.startsWith("<svg", at) && /[\s>/]/.test(head.charAt(at + 4));
  }
}

/**
 * Whether a string is an image as the verifier accepts one: a `data:image/png` or `data:image/svg+xml` URL, plain
 * base64 of a PNG (recognised by the signature's base64), or SVG text. Cheap: looks at the start only.
 */
export function looksLikeBakedImage(text: string): boolean {
  const head = text.trimStart().slice(0, 64);
  return /^data:image\//i.test(head) || head.startsWith(PNG_BASE64_PREFIX) || looksLikeSvgText(text);
}

/** What {@link decodeImageString} found: PNG bytes or SVG text. */
export type DecodedImage =
  | { ok: true; image: "png"; bytes: Uint8Array }
  | { ok: true; image: "svg"; text: string }
  | { ok: false; issues: ReadIssue[] };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes an image given as a string: a data URL (`data:image/png;base64,...`, `data:image/svg+xml;base64,...` or
 * `data:image/svg+xml,<percent-encoded>`), plain base64 of a PNG, or SVG text. The size limit is checked on the
 * encoded length before decoding, so an oversize input costs no allocation.
 */
export function decodeImageString(input: string, limits: BakedLimits = DEFAULT_BAKED_LIMITS): DecodedImage {
  const text = input.trim();
  const tooBig = (): DecodedImage => ({
    ok: false,
    issues: [{ path: "", message: `the image is larger than ${limits.maxImageBytes} bytes` }],
  });
  const fail = (message: string): DecodedImage => ({ ok: false, issues: [{ path: "", message }] });
  if (looksLikeSvgText(text)) {
    return Buffer.byteLength(text, "utf8") > limits.maxImageBytes ? tooBig() : { ok: true, image: "svg", text };
  }
  let mediaType = "image/png";
  let payload = text;
  let base64 = true;
  if (/^data:/i.test(text)) {
    const comma = text.indexOf(",");
    if (comma < 0) return fail("a data URL needs a comma before its data");
    const params = text
      .slice(5, comma)
      .split(";")
      .map((p) => p.trim().toLowerCase());
    mediaType = params[0] ?? "";
    base64 = params.includes("base64");
    payload = text.slice(comma + 1);
    if (mediaType !== "image/png" && mediaType !== "image/svg+xml") {
      return fail(`a baked badge is a PNG or an SVG image, not ${mediaType || "an unnamed media type"}`);
    }
  }
  if (payload.length > Math.ceil((limits.maxImageBytes * 4) / 3) + 4) return tooBig();
  if (!base64) {
    if (mediaType !== "image/svg+xml") return fail("a PNG data URL must be base64-encoded");
    let svg: string;
    try {
      svg = decodeURIComponent(payload);
    } catch {
      return fail("the SVG data URL is not valid percent-encoding");
    }
    return { ok: true, image: "svg", text: svg };
  }
  const compact = payload.replace(/\s+/g, "");
  if (!BASE64.test(compact) || compact.length % 4 === 1) return fail("the image data is not valid base64");
  const bytes = new Uint8Array(Buffer.from(compact, "base64"));
  if (bytes.length > limits.maxImageBytes) return tooBig();
  if (mediaType === "image/svg+xml") {
    try {
      return { ok: true, image: "svg", text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
    } catch {
      return fail("the SVG image is not UTF-8 text");
    }
  }
  return { ok: true, image: "png", bytes };
}

/**
 * The credential baked into an image given as a string (see {@link decodeImageString}) or as PNG bytes, or why there
 * is none.
 */
export function readBakedImage(input: string | Uint8Array, limits: BakedLimits = DEFAULT_BAKED_LIMITS): BakedResult {
  if (input instanceof Uint8Array) return readBakedPng(input, limits);
  const decoded = decodeImageString(input, limits);
  if (!decoded.ok) return decoded;
  return decoded.image === "png" ? readBakedPng(decoded.bytes, limits) : readBakedSvg(decoded.text, limits);
}

// ------------------------------------------------------------------------------------------------------------- PNG

interface Chunk {
  type: string;
  data: Uint8Array;
  /** Offset of the chunk's length field. */
  at: number;
}

const latin1 = new TextDecoder("latin1");

/** Every chunk of a PNG, each CRC-checked, up to IEND; or why the stream is broken. */
function pngChunks(bytes: Uint8Array): { ok: true; chunks: Chunk[] } | { ok: false; issues: ReadIssue[] } {
  const broken = (message: string) => ({ ok: false as const, issues: [{ path: "", message }] });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: Chunk[] = [];
  for (let at = PNG_SIGNATURE.length; ; ) {
    if (at + 12 > bytes.length) return broken(`the PNG is truncated at byte ${at} (no IEND chunk)`);
    const length = view.getUint32(at);
    const type = latin1.decode(bytes.subarray(at + 4, at + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) return broken(`the PNG has a malformed chunk type at byte ${at}`);
    if (length > 0x7fffffff || at + 12 + length > bytes.length) {
      return broken(`the PNG's ${type} chunk at byte ${at} claims ${length} bytes, past the end of the file`);
    }
    const data = bytes.subarray(at + 8, at + 8 + length);
    const stored = view.getUint32(at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== stored) {
      return broken(`the PNG's ${type} chunk at byte ${at} fails its CRC check (the file is damaged)`);
    }
    if (chunks.length === 0 && type !== "IHDR") return broken("the PNG does not start with an IHDR chunk");
    chunks.push({ type, data, at });
    if (type === "IEND") return { ok: true, chunks };
    at += 12 + length;
  }
}

/** A text chunk's keyword and text (iTXt: uncompressed only; tEXt: Latin-1), or why it cannot be read. */
function chunkText(chunk: Chunk): { keyword: string; text?: string; problem?: string } {
  const end = chunk.data.indexOf(0);
  if (end < 1 || end > 79) return { keyword: "" };
  const keyword = latin1.decode(chunk.data.subarray(0, end));
  if (chunk.type === "tEXt") return { keyword, text: latin1.decode(chunk.data.subarray(end + 1)) };
  const compressed = chunk.data[end + 1];
  if (compressed === undefined) return { keyword, problem: "is truncated" };
  if (compressed !== 0) return { keyword, problem: "is compressed, which Open Badges baking does not allow" };
  const language = chunk.data.indexOf(0, end + 3);
  const translated = language < 0 ? -1 : chunk.data.indexOf(0, language + 1);
  if (translated < 0) return { keyword, problem: "is truncated" };
  try {
    return { keyword, text: new TextDecoder("utf-8", { fatal: true }).decode(chunk.data.subarray(translated + 1)) };
  } catch {
    return { keyword, problem: "is not UTF-8 text" };
  }
}

/** The credential baked into PNG bytes, or why there is none. */
export function readBakedPng(bytes: Uint8Array, limits: BakedLimits = DEFAULT_BAKED_LIMITS): BakedResult {
  if (bytes.length > limits.maxImageBytes) return refuse(`the image is larger than ${limits.maxImageBytes} bytes`);
  if (!isPngBytes(bytes)) return refuse("the image is not a PNG (no PNG signature)");
  const walked = pngChunks(bytes);
  if (!walked.ok) return walked;
  const found: { chunk: Chunk; keyword: string; text?: string; problem?: string }[] = [];
  for (const chunk of walked.chunks) {
    if (chunk.type !== "iTXt" && chunk.type !== "tEXt") continue;
    const read = chunkText(chunk);
    if (read.keyword === OB3_PNG_KEYWORD || read.keyword === OB2_PNG_KEYWORD) found.push({ chunk, ...read });
  }
  // OB 3.0 wins over an OB 2.0 assertion kept alongside it; each keyword at most once.
  const ob3 = found.filter((f) => f.keyword === OB3_PNG_KEYWORD);
  const chosen = ob3.length > 0 ? ob3 : found;
  const [first] = chosen;
  if (!first) return refuse(`the PNG holds no baked credential (no iTXt chunk with the keyword ${OB3_PNG_KEYWORD})`);
  if (chosen.length > 1) {
    return refuse(`the PNG holds ${chosen.length} ${first.keyword} chunks; Open Badges allows one`);
  }
  const where = `the PNG's ${first.chunk.type} ${first.keyword} chunk at byte ${first.chunk.at}`;
  if (first.problem !== undefined || first.text === undefined) return refuse(`${where} ${first.problem ?? "is empty"}`);
  return bakedValue("png", first.keyword === OB3_PNG_KEYWORD ? "3.0" : "2.0", first.text, limits, where);
}

/** Classifies and bounds the baked text. */
function bakedValue(
  image: "png" | "svg",
  openBadges: "3.0" | "2.0",
  raw: string,
  limits: BakedLimits,
  where: string,
): BakedResult {
  const text = raw.trim();
  if (text === "") return refuse(`${where} is empty`);
  if (Buffer.byteLength(text, "utf8") > limits.maxCredentialBytes) {
    return refuse(`${where} holds more than ${limits.maxCredentialBytes} bytes`);
  }
  if (text.startsWith("{")) return { ok: true, value: { image, openBadges, text, kind: "json" } };
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/.test(text)) {
    return { ok: true, value: { image, openBadges, text, kind: "jws" } };
  }
  if (openBadges === "2.0" && /^https?:\/\/\S+$/.test(text)) {
    return { ok: true, value: { image, openBadges, text, kind: "url" } };
  }
  return refuse(`${where} holds neither a credential's JSON nor a compact JWS`);
}

// ------------------------------------------------------------------------------------------------------------- SVG

/**
 * SVG 1.1 files as editors save them start with `<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "…svg11.dtd">`: an
 * external identifier only, which the parser never fetches, so it is accepted; an internal subset is still refused.
 */
const SVG_XML = { externalDoctype: true } as const;

/** The credential baked into SVG text, or why there is none. */
export function readBakedSvg(text: string, limits: BakedLimits = DEFAULT_BAKED_LIMITS): BakedResult {
  const parsed = parseXml(text, { maxBytes: limits.maxImageBytes }, SVG_XML);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  if (parsed.doc.name !== "svg") return refuse(`the image is not an SVG (its root element is <${parsed.doc.name}>)`);
  const ob3: XmlElement[] = [];
  const ob2: XmlElement[] = [];
  // Iterative walk: the parser bounds the depth, and no recursion is needed anyway.
  const stack: XmlElement[] = [parsed.doc];
  for (let el = stack.pop(); el; el = stack.pop()) {
    if (el.ns === OB3_SVG_NAMESPACE && el.name === "credential") ob3.push(el);
    if (el.ns === OB2_SVG_NAMESPACE && el.name === "assertion") ob2.push(el);
    stack.push(...el.children);
  }
  const openBadges = ob3.length > 0 ? "3.0" : "2.0";
  const chosen = ob3.length > 0 ? ob3 : ob2;
  const tag = ob3.length > 0 ? "openbadges:credential" : "openbadges:assertion";
  const [first] = chosen;
  if (!first) {
    return refuse(
      `the SVG holds no baked credential (no <openbadges:credential> in the namespace ${OB3_SVG_NAMESPACE})`,
    );
  }
  if (chosen.length > 1) return refuse(`the SVG holds ${chosen.length} <${tag}> elements; Open Badges allows one`);
  const body = first.text.trim();
  const verify = first.attrs.verify?.trim();
  // OB 3.0: JWS in `verify`, JSON as the text. OB 2.0: the text is the assertion; `verify` a JWS or its hosted URL.
  const value = body !== "" ? body : (verify ?? "");
  return bakedValue("svg", openBadges, value, limits, `the SVG's <${tag}>`);
}

// ---------------------------------------------------------------------------------------------------------- writer

/** The credential to bake: its JSON (an object, serialised) or a compact JWS. */
export type BakeInput = Record<string, unknown> | string;

const credentialText = (credential: BakeInput): string =>
  typeof credential === "string" ? credential.trim() : JSON.stringify(credential);

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export type BakeResult<T> = { ok: true; value: T } | { ok: false; issues: ReadIssue[] };

/**
 * Bakes a credential into a PNG: an uncompressed `iTXt openbadgecredential` chunk right after IHDR. A credential
 * already baked there (either keyword) is replaced, as the baking spec permits, so an image is never baked twice.
 */
export function bakePng(png: Uint8Array, credential: BakeInput): BakeResult<Uint8Array> {
  if (!isPngBytes(png)) return { ok: false, issues: [{ path: "", message: "the image is not a PNG" }] };
  const walked = pngChunks(png);
  if (!walked.ok) return walked;
  const text = new TextEncoder().encode(credentialText(credential));
  const keyword = new TextEncoder().encode(OB3_PNG_KEYWORD);
  // keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, text.
  const data = new Uint8Array(keyword.length + 5 + text.length);
  data.set(keyword, 0);
  data.set(text, keyword.length + 5);
  const parts: Uint8Array[] = [PNG_SIGNATURE];
  for (const c of walked.chunks) {
    const { keyword: k } = c.type === "iTXt" || c.type === "tEXt" ? chunkText(c) : { keyword: "" };
    if (k === OB3_PNG_KEYWORD || k === OB2_PNG_KEYWORD) continue;
    parts.push(chunk(c.type, c.data));
    if (c.type === "IHDR") parts.push(chunk("iTXt", data));
  }
  return { ok: true, value: Buffer.concat(parts) };
}

/**
 * Bakes a credential into an SVG: declares `xmlns:openbadges` on the root and puts `<openbadges:credential>` first
 * inside it, the JWS in `verify` or the JSON in CDATA (a `]]>` in the JSON is split across two sections). An existing
 * baked credential is refused: rewriting someone's SVG is beyond a string splice.
 */
export function bakeSvg(svg: string, credential: BakeInput): BakeResult<string> {
  const existing = readBakedSvg(svg);
  if (existing.ok) return { ok: false, issues: [{ path: "", message: "the SVG already holds a baked credential" }] };
  const parsed = parseXml(svg, {}, SVG_XML);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  if (parsed.doc.name !== "svg") return { ok: false, issues: [{ path: "", message: "the image is not an SVG" }] };
  const open = /<svg(?=[\s>/])[^>]*>/.exec(svg);
  if (!open || open[0].endsWith("/>")) {
    return { ok: false, issues: [{ path: "", message: "the SVG's root element has no content to bake into" }] };
  }
  const text = credentialText(credential);
  const element =
    typeof credential === "string"
      ? `<openbadges:credential verify="${text.replace(/[&"<]/g, (c) => `&#${c.charCodeAt(0)};`)}"/>`
      : `<openbadges:credential><![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]></openbadges:credential>`;
  const declared = open[0].includes("xmlns:openbadges=")
    ? open[0]
    : `${open[0].slice(0, -1)} xmlns:openbadges="${OB3_SVG_NAMESPACE}">`;
  const end = open.index + open[0].length;
  return { ok: true, value: `${svg.slice(0, open.index)}${declared}${element}${svg.slice(end)}` };
}

/**
 * What the OB 3.0 reader takes for a baked image given as a string (a data URL, base64 PNG): the PNG's bytes (the
 * reader unbakes them itself and records the `baked-png` variant) or the SVG's credential text. Any other input, or an
 * image without a credential, is returned unchanged, for the reader to report on.
 */
export function unbakeForReader(input: unknown): unknown {
  if (typeof input !== "string" || !looksLikeBakedImage(input)) return input;
  const decoded = decodeImageString(input);
  if (!decoded.ok) return input;
  if (decoded.image === "png") return decoded.bytes;
  const baked = readBakedSvg(decoded.text);
  return baked.ok ? baked.value.text : input;
}
