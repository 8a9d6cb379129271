/**
 * Fuzz inputs: arbitrary values, real documents from the shared corpus (read in place) and mutations of them, so
 * that the properties reach deep into the readers rather than stopping at the first type check.
 */
import fc from "fast-check";
import { corpusJson, corpusText } from "../support/corpus.js";
import { jobCsv } from "../support/jobs.js";
import { unsignedOb3Credential } from "../support/ob3.js";

/** Text seeds: XML of every XML format, CSV, a VC-JWT shape. Small files, so that each case stays fast. */
export function textSeeds(): string[] {
  const jwtPart = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return [
    corpusText("elmo/v2.0.0/example.xml"),
    corpusText("europass-xml/v2-xml-1.2_80406a3/examples/EDC_WileECoyote_Simple.xml"),
    corpusText("europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_basic.xml"),
    jobCsv(3, { batch: "fuzz" }),
    `${jwtPart({ alg: "ES256", typ: "JWT" })}.${jwtPart({ vc: unsignedOb3Credential(), iss: "did:example:1" })}.AAAA`,
  ];
}

/** JSON seeds: OB3, ELM, OB2 documents. */
export function objectSeeds(): Record<string, unknown>[] {
  return [
    unsignedOb3Credential(),
    corpusJson("ob3/examples/basicOpenBadgeCredential-1-Sample_OpenBadgeCredential.json"),
    corpusJson("ob3/examples/TESTVECTOR-eddsa-rdfc-2022-signed-credential.json"),
    corpusJson("elm/samples/Sample-MC-Annex1-unsigned-uploadable.json"),
    corpusJson("ob2/spec-examples/01-Assertion-Example.json"),
  ];
}

/** Every path to a value inside `value` (iteratively, at most `max`). */
function pathsOf(value: unknown, max = 2_000): (string | number)[][] {
  const out: (string | number)[][] = [];
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  while (stack.length > 0 && out.length < max) {
    const item = stack.pop();
    if (!item) break;
    out.push(item.path);
    if (Array.isArray(item.v)) {
      item.v.forEach((e, i) => {
        stack.push({ v: e, path: [...item.path, i] });
      });
    } else if (item.v !== null && typeof item.v === "object")
      for (const [k, e] of Object.entries(item.v)) stack.push({ v: e, path: [...item.path, k] });
  }
  return out;
}

/** `seed` with the value at each chosen path replaced (or removed when `replacement` is undefined). */
export function mutateObject(
  seed: Record<string, unknown>,
  edits: { at: number; replacement: unknown }[],
): Record<string, unknown> {
  const copy = structuredClone(seed);
  for (const edit of edits) {
    const paths = pathsOf(copy).filter((p) => p.length > 0);
    const path = paths[edit.at % Math.max(1, paths.length)];
    if (!path) continue;
    let parent: unknown = copy;
    for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key];
    const last = path[path.length - 1] as string | number;
    const container = parent as Record<string | number, unknown>;
    if (edit.replacement === undefined) {
      if (Array.isArray(container)) container.splice(Number(last), 1);
      else delete container[last];
    } else container[last] = edit.replacement;
  }
  return copy;
}

/** `seed` with a slice replaced by `insert` (truncations, insertions, corruptions). */
export const mutateText = (seed: string, at: number, cut: number, insert: string): string => {
  const i = at % (seed.length + 1);
  return seed.slice(0, i) + insert + seed.slice(Math.min(seed.length, i + (cut % 256)));
};

/** Strings that readers treat specially. */
const TRICKY_STRINGS = [
  "",
  " ",
  "<",
  "<?xml",
  "<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>",
  "{",
  "[",
  "null",
  "UEsDBA==",
  "UEsDBBQAAAAIAA",
  "a,b\n",
  "eyJhbGciOiJub25lIn0.e30.",
  "\uFEFF<elmo/>",
  "\u0000",
  "\uD800",
  "=cmd|' /C calc'!A0",
  "1e400",
  "__proto__",
];

export interface DocumentArbitraries {
  /** Any document a request could carry: objects, strings, mutated seeds, anything at all. */
  document: fc.Arbitrary<unknown>;
  text: fc.Arbitrary<string>;
  object: fc.Arbitrary<Record<string, unknown>>;
}

/** The document arbitraries, built once from the seeds. */
export function documentArbitraries(): DocumentArbitraries {
  const texts = textSeeds();
  const objects = objectSeeds();
  const replacement = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(...TRICKY_STRINGS),
    fc.constantFrom(1e308, -0, Number.MAX_SAFE_INTEGER + 2, "2024-13-45T99:99:99Z", "+275760-09-13T00:00:00Z"),
  );
  const text = fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...texts), fc.nat(), fc.nat(), fc.string())
        .map(([s, a, c, i]) => mutateText(s, a, c, i)),
    },
    { weight: 1, arbitrary: fc.constantFrom(...texts, ...TRICKY_STRINGS) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString("base64")) },
  );
  const object = fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...objects),
          fc.array(fc.record({ at: fc.nat(), replacement }), { minLength: 1, maxLength: 4 }),
        )
        .map(([seed, edits]) => mutateObject(seed, edits)),
    },
    {
      weight: 1,
      arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 }),
    },
  );
  const document = fc.oneof(
    { weight: 3, arbitrary: object },
    { weight: 3, arbitrary: text },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
  );
  return { document, text, object };
}
