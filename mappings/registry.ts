/**
 * The reader and writer registry: which formats the gateway can read and write, and how an input's format is
 * recognised when the caller does not say. Use cases go through here, so a new format is one entry in each table.
 */

import { readElm } from "./elm/read.js";
import { looksLikeElm } from "./elm/sniff.js";
import { writeElm } from "./elm/write.js";
import type { Format } from "./formats.js";
import type { CanonicalCredential, ReadResult, WriteResult } from "./model.js";
import { readOb3 } from "./ob3/read.js";
import { looksLikeOb3 } from "./ob3/sniff.js";
import { writeOb3 } from "./ob3/write.js";

export type Reader = (input: unknown) => ReadResult;
export type Writer = (credential: CanonicalCredential, options: Record<string, unknown>) => WriteResult;

/** Readers by format. Formats without an entry are named in the API but not readable yet. */
export const READERS: Partial<Record<Format, Reader>> = {
  elm: readElm,
  ob3: readOb3,
};

/** Writers by format. */
export const WRITERS: Partial<Record<Format, Writer>> = {
  elm: (credential, options) => writeElm(credential, options),
  ob3: (credential, options) => writeOb3(credential, options),
};

/** Recognisers, most specific first: the first that claims the input names its format. */
const SNIFFERS: { format: Format; test: (input: unknown) => boolean }[] = [
  { format: "elm", test: looksLikeElm },
  { format: "ob3", test: looksLikeOb3 },
];

/** The format of an input, or undefined when no reader recognises it. Strings holding JSON are parsed first. */
export function sniffFormat(input: unknown): Format | undefined {
  return SNIFFERS.find((s) => s.test(input))?.format;
}
