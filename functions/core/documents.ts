/**
 * Turning the `document` of a request into what readers take: JSON objects as they are, JSON text parsed with the
 * same limits as bodies, other strings (XML, CSV, base64 XLSX, VC-JWT) passed through for their readers. Then the
 * format: the caller's `from`, or the registry's recognition.
 */
import type { Format } from "../../mappings/formats.js";
import type { CanonicalCredential, Loss, ReadIssue } from "../../mappings/model.js";
import { READERS, sniffFormat } from "../../mappings/registry.js";
import { GatewayError } from "./errors.js";
import { type JsonLimits, parseJsonText } from "./json.js";

const DOC = "/body/document";

export interface ReadDocuments {
  from: Format;
  credentials: CanonicalCredential[];
  losses: Loss[];
  warnings: ReadIssue[];
}

/** The document as readers take it: a string holding JSON becomes the parsed value. */
export function prepareDocument(document: unknown, limits: JsonLimits): unknown {
  if (typeof document !== "string") return document;
  const text = document.trim();
  if (text.startsWith("{") || text.startsWith("[")) return parseJsonText(text, limits, DOC);
  return document;
}

/** Reads the request's document into canonical credentials, or throws a 4xx naming where it is wrong. */
export function readDocuments(document: unknown, from: Format | undefined, limits: JsonLimits): ReadDocuments {
  const input = prepareDocument(document, limits);
  const format = from ?? sniffFormat(input);
  if (!format) {
    throw new GatewayError("unprocessable", "the document's format was not recognised; name it with `from`", [
      { pointer: "/body/from", detail: `not recognised; readable formats: ${Object.keys(READERS).join(", ")}` },
    ]);
  }
  const reader = READERS[format];
  if (!reader) {
    throw new GatewayError("not-implemented", `reading ${format} is not implemented yet`, [
      { pointer: from ? "/body/from" : "/body/document", detail: `no reader for ${format} yet` },
    ]);
  }
  const result = reader(input);
  if (!result.ok) {
    throw new GatewayError(
      "unprocessable",
      `the document is not a readable ${format} credential: ${result.issues[0]?.message ?? "unreadable"}`,
      result.issues.map((i) => ({ pointer: `${DOC}${i.path}`, detail: i.message })),
    );
  }
  if (result.value.length === 0) {
    throw new GatewayError("unprocessable", "the document holds no credential", [{ pointer: DOC, detail: "empty" }]);
  }
  return { from: format, credentials: result.value, losses: result.losses, warnings: result.warnings };
}
