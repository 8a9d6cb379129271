/**
 * The reader and writer registry: which formats the gateway can read and write, and how an input's format is
 * recognised when the caller does not say. Use cases go through here, so a new format is one entry in each table.
 */

import { readElm } from "./elm/read.js";
import { looksLikeElm } from "./elm/sniff.js";
import { writeElm } from "./elm/write.js";
import type { Format } from "./formats.js";
import type { CanonicalCredential, ReadResult, WriteResult } from "./model.js";

export type Reader = (input: unknown) => ReadResult;
export type Writer = (credential: CanonicalCredential, options: Record<string, unknown>) => WriteResult;

/** Readers by format. Formats without an entry are named in the API but not readable yet. */
export const READERS: Partial<Record<Format, Reader>> = {
  elm: readElm,
};

/** Writers by format. */
export const WRITERS: Partial<Record<Format, Writer>> = {
  elm: (credential, options) => writeElm(credential, options),
};

/** Recognisers, most specific first: the first that claims the input names its format. */
const SNIFFERS: { format: Format; test: (input: unknown) => boolean }[] = [{ format: "elm", test: looksLikeElm }];

/** The format of an input, or undefined when no reader recognises it. Strings holding JSON are parsed first. */
export function sniffFormat(input: unknown): Format | undefined {
  return SNIFFERS.find((s) => s.test(input))?.format;
}
