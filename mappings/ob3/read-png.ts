/**
 * Extracting a credential baked into a PNG (OB 3.0 "Document formats", PNG extracting): the text of the first `iTXt`
 * chunk with the keyword `openbadgecredential`, which holds the credential's JSON or its VC-JWT. Compression is not
 * allowed there, so a compressed chunk is refused rather than inflated.
 */
import type { ReadIssue } from "../model.js";

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const KEYWORD = "openbadgecredential";
/** The Open Badges 2.0 baking keyword, for a clearer refusal. */
const OB2_KEYWORD = "openbadges";

export type PngText = { ok: true; text: string } | { ok: false; issues: ReadIssue[] };

const refuse = (message: string): PngText => ({ ok: false, issues: [{ path: "", message }] });

/** Whether bytes start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return SIGNATURE.every((b, i) => bytes[i] === b);
}

/** The text baked into a PNG under `openbadgecredential`, or why there is none. Never throws. */
export function bakedText(bytes: Uint8Array): PngText {
  if (!isPng(bytes))
    return refuse("binary input that is not a PNG: an OB 3.0 credential is JSON, a VC-JWT or a baked image");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const latin1 = new TextDecoder("latin1");
  let ob2 = false;
  for (let at = SIGNATURE.length; at + 12 <= bytes.length; ) {
    const length = view.getUint32(at);
    const type = latin1.decode(bytes.subarray(at + 4, at + 8));
    const data = bytes.subarray(at + 8, Math.min(at + 8 + length, bytes.length));
    if (type === "IEND") break;
    if (type === "iTXt") {
      const end = data.indexOf(0);
      const keyword = end < 0 ? "" : latin1.decode(data.subarray(0, end));
      if (keyword === OB2_KEYWORD) ob2 = true;
      if (keyword === KEYWORD) return chunkText(data, end + 1);
    }
    at += 12 + length;
  }
  return refuse(
    ob2
      ? "the PNG holds an Open Badges 2.0 baked assertion (iTXt openbadges), not an OB 3.0 credential"
      : `the PNG holds no baked credential (no iTXt chunk with the keyword ${KEYWORD})`,
  );
}

/** The text of an iTXt chunk after its keyword: compression flag and method, language tag, translated keyword. */
function chunkText(data: Uint8Array, from: number): PngText {
  if (data[from] !== 0) return refuse("the baked credential is compressed, which OB 3.0 does not allow");
  const language = data.indexOf(0, from + 2);
  const translated = language < 0 ? -1 : data.indexOf(0, language + 1);
  if (translated < 0) return refuse("the PNG's openbadgecredential chunk is truncated");
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(data.subarray(translated + 1)) };
  } catch {
    return refuse("the PNG's openbadgecredential chunk is not UTF-8 text");
  }
}
