/**
 * The credential formats the gateway names in its API (DESIGN.md, "API surface"). Readers and writers for each are
 * added under `mappings/<format>/`; this list is the contract the HTTP schemas and the OpenAPI document use.
 */
export const FORMATS = ["elm", "ob3", "ob2", "elmo", "europass-xml", "csv", "xlsx"] as const;
export type Format = (typeof FORMATS)[number];

/** Formats read from XML: their source pointers are XPaths into the input (mappings/xml/xpath.ts). */
export const XML_FORMATS: ReadonlySet<Format> = new Set<Format>(["elmo", "europass-xml"]);

/** Formats a conversion can write (the rest are read-only sources). */
export const OUTPUT_FORMATS = ["elm", "ob3", "elmo"] as const satisfies readonly Format[];

/** Proof suites the issue route offers. */
export const PROOF_SUITES = ["eddsa-rdfc-2022", "vc-jwt", "jades"] as const;
export type ProofSuite = (typeof PROOF_SUITES)[number];

export const isFormat = (v: unknown): v is Format =>
  typeof v === "string" && (FORMATS as readonly string[]).includes(v);
