/**
 * Recognising XML credential formats by their root element and namespace, without parsing the whole document: the
 * first start tag (after the prolog, comments and processing instructions) is read from the first 64 KiB.
 */
import { ELMO_NAMESPACES } from "../elmo/read.js";
import { looksLikeXml } from "./safe-parse.js";

/** The root element's local name and default/prefixed namespace, when the text starts like XML. */
export function xmlRoot(input: unknown): { name: string; ns?: string } | undefined {
  if (!looksLikeXml(input)) return undefined;
  const head = input.slice(0, 65_536).replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, "");
  const m = /<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)([^>]*)>/.exec(head);
  if (!m) return undefined;
  const prefix = m[1]?.slice(0, -1);
  const attrs = m[3] ?? "";
  const decl = prefix ? new RegExp(`xmlns:${prefix}\\s*=\\s*["']([^"']*)["']`) : /xmlns\s*=\s*["']([^"']*)["']/;
  const ns = decl.exec(attrs)?.[1];
  return { name: m[2] ?? "", ...(ns ? { ns } : {}) };
}

const ELMO_NS = Object.values(ELMO_NAMESPACES) as string[];

/** An ELMO document: root `elmo`, or a wrapper (EWP ToR response) holding an `elmo` in an ELMO namespace. */
export function looksLikeElmo(input: unknown): boolean {
  const root = xmlRoot(input);
  if (!root || typeof input !== "string") return false;
  if (root.name === "elmo") return true;
  return ELMO_NS.some((ns) => input.includes(ns)) && /<([\w.-]+:)?elmo[\s>]/.test(input);
}

/**
 * A legacy Europass XML credential: root `europassCredential`, or EDCI's `verifiablePresentation` (namespace
 * `http://data.europa.eu/snb/vp`) wrapping one.
 */
export function looksLikeEuropassXml(input: unknown): boolean {
  const root = xmlRoot(input);
  if (root?.name === "europassCredential") return true;
  return (
    root?.name === "verifiablePresentation" &&
    typeof input === "string" &&
    /<([\w.-]+:)?europassCredential[\s>/]/.test(input)
  );
}
