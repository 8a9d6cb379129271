/**
 * The OB 3.0 reader's view of a baked PNG (OB 3.0 "Document formats", PNG extracting): the text baked under
 * `openbadgecredential` (the credential's JSON or its VC-JWT). The chunk walk, CRC and duplicate checks and limits are
 * `baked.ts`'s; this only refuses what the OB 3.0 reader cannot take (an OB 2.0 assertion baked under `openbadges`).
 */
import type { ReadIssue } from "../model.js";
import { isPngBytes, readBakedPng } from "./baked.js";

export type PngText = { ok: true; text: string } | { ok: false; issues: ReadIssue[] };

const refuse = (message: string): PngText => ({ ok: false, issues: [{ path: "", message }] });

/** Whether bytes start with the PNG signature. */
export const isPng = isPngBytes;

/** The text baked into a PNG under `openbadgecredential`, or why there is none. Never throws. */
export function bakedText(bytes: Uint8Array): PngText {
  if (!isPngBytes(bytes))
    return refuse("binary input that is not a PNG: an OB 3.0 credential is JSON, a VC-JWT or a baked image");
  const read = readBakedPng(bytes);
  if (!read.ok) return read;
  if (read.value.openBadges === "2.0")
    return refuse("the PNG holds an Open Badges 2.0 baked assertion (iTXt openbadges), not an OB 3.0 credential");
  return { ok: true, text: read.value.text };
}
