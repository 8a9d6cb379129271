/**
 * SHACL validation of ELM credentials against the official EDC application-profile shapes, read in place from
 * `../shared/corpus/elm/shacl/`. The credential becomes RDF through jsonld with the gateway's own pinned loader (so
 * this also checks that our context gives the shapes what they expect), then `rdf-validate-shacl` checks it.
 *
 * rdf-validate-shacl rather than shacl-engine: measured on the EC micro-credential sample (292 quads, generic-full,
 * n3 stores, Node 20), a reused validator takes ~15–19 ms per call against ~12–14 ms for shacl-engine, and building it
 * plus the first call ~350–650 ms against ~250–450 ms. Both report the same results; rdf-validate-shacl ships its own
 * types and is the validator DESIGN.md names. A fresh validator per call would cost ~230 ms each time, so parsed
 * shapes and validators are cached per process (per test file under vitest).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import jsonld from "jsonld";
import { Parser, type Quad, Store } from "n3";
import SHACLValidator from "rdf-validate-shacl";
import { testDocumentLoader as documentLoader } from "./contexts.js";

const SHACL_DIR = resolve(fileURLToPath(new URL("../..", import.meta.url)), "../shared/corpus/elm/shacl");

/** The EDC application profiles, each an official shapes file and the ontology IRI it declares. */
const PROFILES = {
  "generic-no-cv": { file: "EDC-generic-no-cv.ttl", iri: "http://data.europa.eu/snb/model/ap/edc-generic-no-cv" },
  "generic-full": { file: "EDC-generic-full.ttl", iri: "http://data.europa.eu/snb/model/ap/edc-generic-full" },
  accredited: { file: "EDC-accredited.ttl", iri: "http://data.europa.eu/snb/model/ap/edc-accredited" },
  converted: { file: "EDC-converted.ttl", iri: "http://data.europa.eu/snb/model/ap/edc-converted" },
  "issued-by-mandate": {
    file: "EDC-issuedByMandate.ttl",
    iri: "http://data.europa.eu/snb/model/ap/edc-issued-by-mandate",
  },
  "diploma-supplement": {
    file: "EDC-diplomaSupplement.ttl",
    iri: "http://data.europa.eu/snb/model/ap/edc-diploma-supplement",
  },
} as const;

/** A shapes file by profile name. Each brings in what it `owl:imports` (generic-full imports generic-no-cv…). */
export type ElmShapes = keyof typeof PROFILES;

/** One SHACL validation result, with terms as strings (IRIs, `_:` blank nodes, literal values). */
export interface ShaclResult {
  focusNode: string;
  /** The property path as an IRI; `null` for node-level results, a `_:` label for complex paths. */
  path: string | null;
  message: string;
  severity: "Violation" | "Warning" | "Info";
  /** The shape that failed: an IRI, or a `_:` label for the anonymous property shapes of the official files. */
  sourceShape: string;
  /** Local name of the constraint component: `MinCountConstraintComponent`, `NodeConstraintComponent`… */
  constraint: string;
  value: string | null;
  /** Why a nested shape failed (`sh:node`, `sh:or`…): the inner results, when the validator reports them. */
  details: ShaclResult[];
}

export interface ShaclReport {
  conforms: boolean;
  results: ShaclResult[];
}

const OWL_IMPORTS = "http://www.w3.org/2002/07/owl#imports";
const profileByIri = new Map<string, ElmShapes>(
  Object.entries(PROFILES).map(([name, { iri }]) => [iri, name as ElmShapes]),
);

const parsedShapes = new Map<ElmShapes, Quad[]>();
const validators = new Map<string, SHACLValidator>();

function shapesOf(profile: ElmShapes): Quad[] {
  let quads = parsedShapes.get(profile);
  if (!quads) {
    quads = new Parser().parse(readFileSync(resolve(SHACL_DIR, PROFILES[profile].file), "utf8"));
    parsedShapes.set(profile, quads);
  }
  return quads;
}

/** The profiles and everything they import, transitively; an import the corpus does not hold is an error. */
function withImports(profiles: readonly ElmShapes[]): ElmShapes[] {
  const seen = new Set<ElmShapes>();
  const visit = (profile: ElmShapes): void => {
    if (seen.has(profile)) return;
    seen.add(profile);
    for (const quad of shapesOf(profile)) {
      if (quad.predicate.value !== OWL_IMPORTS) continue;
      const imported = profileByIri.get(quad.object.value);
      if (!imported) throw new Error(`${PROFILES[profile].file} imports ${quad.object.value}, not in the corpus`);
      visit(imported);
    }
  };
  for (const profile of profiles) visit(profile);
  return [...seen].sort();
}

function validatorFor(profiles: readonly ElmShapes[]): SHACLValidator {
  const closure = withImports(profiles);
  const key = closure.join("+");
  let validator = validators.get(key);
  if (!validator) {
    const shapes = new Store(closure.flatMap(shapesOf));
    // Imports are already merged above; the callback only satisfies the validator's owl:imports handling.
    validator = new SHACLValidator(shapes, { importGraph: () => new Store() });
    validators.set(key, validator);
  }
  return validator;
}

interface TermLike {
  termType: string;
  value: string;
}

const termText = (term: TermLike): string => (term.termType === "BlankNode" ? `_:${term.value}` : term.value);
const localName = (iri: string): string => iri.slice(Math.max(iri.lastIndexOf("#"), iri.lastIndexOf("/")) + 1);

interface RawResult {
  readonly focusNode: TermLike;
  readonly path: TermLike | null | undefined;
  readonly message: readonly TermLike[];
  readonly severity: TermLike;
  readonly sourceShape: TermLike;
  readonly sourceConstraintComponent: TermLike;
  readonly value: TermLike | null | undefined;
  readonly detail: readonly RawResult[];
}

function toResult(raw: RawResult): ShaclResult {
  const severity = localName(raw.severity.value);
  return {
    focusNode: termText(raw.focusNode),
    path: raw.path ? termText(raw.path) : null,
    message: raw.message.map((m) => m.value).join("; "),
    severity: severity === "Warning" || severity === "Info" ? severity : "Violation",
    sourceShape: termText(raw.sourceShape),
    constraint: localName(raw.sourceConstraintComponent.value),
    value: raw.value ? termText(raw.value) : null,
    details: raw.detail.map(toResult),
  };
}

/**
 * Validates an ELM credential (JSON-LD, VC v1 + `edc-ap` contexts) against the official EDC shapes of the given
 * profiles (default generic-full, which EDC requires of every credential). JSON-LD runs in safe mode, so a term the
 * contexts do not define fails here rather than silently vanishing before SHACL sees the data.
 */
export async function validateElm(
  credential: object,
  shapes: readonly ElmShapes[] = ["generic-full"],
): Promise<ShaclReport> {
  const nquads = await jsonld.toRDF(credential, { documentLoader, safe: true, format: "application/n-quads" });
  const data = new Store(new Parser({ format: "application/n-quads" }).parse(nquads));
  const report = await validatorFor(shapes).validate(data);
  return { conforms: report.conforms, results: report.results.map(toResult) };
}
