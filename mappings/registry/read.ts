/**
 * One entry point for registry documents: recognises the format (DEQAR Web API JSON, Europass accreditation JSON,
 * QDR / AMS XML) unless it is given, and reads it. Pure; never throws on bad input.
 */
import { looksLikeXml } from "../xml/safe-parse.js";
import { looksLikeDeqarJson, readDeqarJson } from "./deqar-json.js";
import { looksLikeElmAccreditation, readElmAccreditation } from "./elm-accreditation.js";
import { REGISTRY_FORMATS, type RegistryFormat } from "./formats.js";
import { dedupeRegistryData, type RegistryReadResult } from "./model.js";
import { readRegistryXml } from "./qdr-xml.js";

export { REGISTRY_FORMATS, type RegistryFormat } from "./formats.js";

/** The format of a registry document, or undefined when it is none of {@link REGISTRY_FORMATS}. */
export function sniffRegistryFormat(doc: unknown): RegistryFormat | undefined {
  if (looksLikeXml(doc)) return "qdr-xml";
  if (looksLikeElmAccreditation(doc)) return "elm-accreditation";
  if (looksLikeDeqarJson(doc)) return "deqar-json";
  return undefined;
}

/**
 * Reads a registry document in `format` (sniffed when absent). JSON may come as text. `now`: the time identifiers'
 * validity is judged at.
 */
export function readRegistryDocument(
  doc: unknown,
  format: RegistryFormat | undefined,
  limits: { maxXmlBytes?: number; maxXmlDepth?: number; now: Date },
): RegistryReadResult & { format?: RegistryFormat } {
  let value = doc;
  if (typeof doc === "string" && !looksLikeXml(doc)) {
    try {
      value = JSON.parse(doc);
    } catch {
      return { ok: false, issues: [{ path: "", message: "the document is neither JSON nor XML" }] };
    }
  }
  const chosen = format ?? sniffRegistryFormat(value);
  if (!chosen) {
    return {
      ok: false,
      issues: [{ path: "", message: `not a registry document: expected one of ${REGISTRY_FORMATS.join(", ")}` }],
    };
  }
  if (chosen === "qdr-xml") {
    if (typeof value !== "string") return { ok: false, issues: [{ path: "", message: "qdr-xml needs XML text" }] };
    const xmlLimits = {
      ...(limits.maxXmlBytes ? { maxBytes: limits.maxXmlBytes } : {}),
      ...(limits.maxXmlDepth ? { maxDepth: limits.maxXmlDepth } : {}),
    };
    return { ...deduped(readRegistryXml(value, xmlLimits)), format: chosen };
  }
  const result =
    chosen === "elm-accreditation" ? readElmAccreditation(value) : readDeqarJson(value, "deqar-json", limits.now);
  return { ...deduped(result), format: chosen };
}

/** Every reader's records, one per institution, report and agency (see {@link dedupeRegistryData}). */
const deduped = (result: RegistryReadResult): RegistryReadResult =>
  result.ok ? { ...result, value: dedupeRegistryData(result.value) } : result;
