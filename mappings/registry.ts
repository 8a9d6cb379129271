/**
 * The format registry: the format modules (`mappings/<format>/index.ts`), which say how each format is recognised,
 * read and written and which JSON-LD contexts its credentials name. Use cases go through here, so a new format is one
 * module and one entry in {@link FORMAT_MODULES} (and in {@link SNIFF_ORDER}).
 */

import { csv } from "./csv/index.js";
import { elm } from "./elm/index.js";
import { elmo } from "./elmo/index.js";
import { europassXml } from "./europass-xml/index.js";
import type { AsyncReader, ContextSettings, FormatModule, Reader, Writer } from "./format-module.js";
import type { Format } from "./formats.js";
import { type DeclaredContexts, mergeContexts, VC_CONTEXTS } from "./jsonld/loader.js";
import { ob2 } from "./ob2/index.js";
import { ob3 } from "./ob3/index.js";
import { xlsx } from "./xlsx/index.js";

export type { AsyncReader, ContextSettings, FormatModule, Reader, Writer } from "./format-module.js";

/** Every format of `FORMATS` (mappings/formats.ts), by its id. */
export const FORMAT_MODULES: Readonly<Record<Format, FormatModule>> = {
  elm,
  ob3,
  ob2,
  elmo,
  "europass-xml": europassXml,
  csv,
  xlsx,
};

const modules = Object.values(FORMAT_MODULES);

/** Synchronous readers by format. Formats without an entry are read asynchronously ({@link ASYNC_READERS}). */
export const READERS: Partial<Record<Format, Reader>> = Object.fromEntries(
  modules.flatMap((m) => (m.readsAsync ? [] : [[m.id, m.read]])),
);

/**
 * Readers that can only work asynchronously: exceljs reads XLSX through streams and has no synchronous API. Use
 * cases that can await (conversion) look here when {@link READERS} has no entry.
 */
export const ASYNC_READERS: Partial<Record<Format, AsyncReader>> = Object.fromEntries(
  modules.flatMap((m) => (m.readsAsync ? [[m.id, m.read]] : [])),
);

/** Writers by format. */
export const WRITERS: Partial<Record<Format, Writer>> = Object.fromEntries(
  modules.flatMap((m) => (m.write ? [[m.id, m.write]] : [])),
);

/**
 * The order formats are tried in, most specific first: the first whose module claims the input names its format
 * (ELM before OB 3.0, whose `@context` an EDC may share; the XML formats by their root; CSV, which almost any text
 * is, last).
 */
export const SNIFF_ORDER: readonly Format[] = ["elm", "ob3", "elmo", "europass-xml", "ob2", "xlsx", "csv"];

/** The format of an input, or undefined when no reader recognises it. Strings holding JSON are parsed first. */
export function sniffFormat(input: unknown): Format | undefined {
  return SNIFF_ORDER.find((format) => FORMAT_MODULES[format].sniff(input));
}

/** The contexts the gateway's document loader serves: the VC data model's and every format's, for `settings`. */
export function declaredContexts(settings: ContextSettings = {}): DeclaredContexts {
  return mergeContexts(VC_CONTEXTS, ...modules.flatMap((m) => (m.contexts ? [m.contexts(settings)] : [])));
}
