/**
 * The hostile input corpus: what each entry is, what it attacks, and how it is delivered. Static entries are files in
 * `test/hostile/corpus/` (written for this project; none is a real credential); the rest are built here because they
 * are large or binary (deep nesting, oversized bodies, invalid UTF-8, zip bombs, a truncated XLSX, a huge JWT header).
 *
 * Delivery:
 * - `raw`: the bytes are the whole request body (as application/json), sent to every route that takes a body.
 * - `document`: a credential document (object or string) placed in each route's document slot (`document`,
 *   `credential`, `verifiableCredential`, `verifiablePresentation`).
 *
 * Expectation:
 * - `problem`: a 4xx application/problem+json.
 * - `problem-or-inert`: a 4xx problem+json, or a 2xx whose effect is harmless and checked by `inert` (formula text
 *   carried as text; a JWT read but never trusted; a context URL never fetched). Verification routes answer
 *   "not verified" results (200 on /v1, 422 JSON on the W3C alias) for documents they can read.
 */
import { readFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { assemble, deflatedEntry } from "../support/zip-surgery.js";

export type Delivery = { kind: "raw"; body: () => Buffer } | { kind: "document"; value: () => unknown; from?: string };

export interface HostileEntry {
  id: string;
  /** What the entry is and what it attacks. */
  what: string;
  file?: string;
  delivery: Delivery;
  expect: "problem" | "problem-or-inert";
  /**
   * Routes (by operationId, `*` for every route) whose problem must name what was exceeded: text that appears in the
   * problem body (the limit's name, or the pointer of the field).
   */
  names?: Record<string, string>;
}

const corpus = (name: string): string => readFileSync(new URL(`./corpus/${name}`, import.meta.url), "utf8");

/** JSON nested `depth` arrays deep. */
export const deepJson = (depth: number): string => `${"[".repeat(depth)}${"]".repeat(depth)}`;

/** An ELMO-looking XML document nested `depth` elements deep. */
export const deepXml = (depth: number): string =>
  `<elmo xmlns="https://github.com/emrex-eu/elmo-schemas/tree/v1">${"<a>".repeat(depth)}${"</a>".repeat(depth)}</elmo>`;

/** A one-entry ZIP (the XLSX container) whose entry inflates to `inflated` bytes of zeros: a zip bomb. */
export function zipBomb(inflated: number): Buffer {
  const data = deflateRawSync(Buffer.alloc(inflated));
  const name = Buffer.from("xl/worksheets/sheet1.xml");
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(inflated, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(inflated, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(local.length + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

/** A ZIP of `n` empty entries (an entry-count flood: each entry costs a directory record and a lookup). */
export const zipOfEntries = (n: number): Buffer =>
  assemble(Array.from({ length: n }, (_, i) => deflatedEntry(`e${i}`, Buffer.alloc(0))));

/**
 * A ZIP whose central directory lists one small entry while the local area also holds a hidden entry the directory
 * does not list, inflating 200 MiB: a guard that reads only the directory's sizes lets it through.
 */
export function hiddenEntryZipBomb(): Buffer {
  const listed = deflatedEntry("[Content_Types].xml", Buffer.from("<Types/>"));
  return assemble([deflatedEntry("xl/worksheets/sheet1.xml", Buffer.alloc(200 * 1024 * 1024)), listed], [listed]);
}

/** A CSV of `rows` data rows in the default layout. */
export const manyRowsCsv = (rows: number): string =>
  `given_name,family_name,title,awarding_body,awarding_body_country,awarding_date\n${"Ada,Example,Intro to CAD,University of Zed,IE,2026-01-01\n".repeat(rows)}`;

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

/** A complete graph of blank nodes: RDFC-1.0 can only tell them apart by an exponential search. */
export function blankNodeBomb(n = 10): Record<string, unknown> {
  const nodes = Array.from({ length: n }, (_, i) => ({
    "@id": `_:b${i}`,
    "https://schema.org/knows": Array.from({ length: n }, (_, j) => ({ "@id": `_:b${j}` })).filter((_, j) => j !== i),
  }));
  return {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    type: ["VerifiableCredential"],
    issuer: "did:example:issuer",
    validFrom: "2024-01-01T00:00:00Z",
    credentialSubject: { id: "did:example:learner" },
    "@included": nodes,
    proof: {
      type: "DataIntegrityProof",
      cryptosuite: "eddsa-rdfc-2022",
      verificationMethod:
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
      proofPurpose: "assertionMethod",
      created: "2024-01-01T00:00:00Z",
      proofValue: "z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKKiYcQhEYU5KpowXxp",
    },
  };
}

/** A credential whose JSON-LD context points at `url` (loopback, link-local...): it must never be fetched. */
export function contextAt(url: string): Record<string, unknown> {
  const vc = JSON.parse(corpus("ssrf-context-imds.json")) as Record<string, unknown>;
  vc["@context"] = [
    "https://www.w3.org/ns/credentials/v2",
    url,
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
  ];
  return vc;
}

/** Entries whose payload needs the test's canary server (a loopback URL that counts requests). */
export const canaryEntry = (canaryUrl: string): HostileEntry => ({
  id: "jsonld-context-loopback",
  what: "JSON-LD @context pointing at a loopback HTTP server that counts requests (SSRF through context loading)",
  delivery: { kind: "document", value: () => contextAt(`${canaryUrl}/context.jsonld`) },
  expect: "problem-or-inert",
});

export const HOSTILE_ENTRIES: HostileEntry[] = [
  {
    id: "xxe-elmo",
    what: "ELMO XML with a DOCTYPE declaring an external entity to file:///etc/passwd (XXE)",
    file: "xxe-elmo.xml",
    delivery: { kind: "document", value: () => corpus("xxe-elmo.xml"), from: "elmo" },
    expect: "problem",
  },
  {
    id: "xxe-parameter-entity",
    what: "Europass XML with an external parameter entity at the cloud metadata address (blind XXE / SSRF)",
    file: "xxe-parameter-entity.xml",
    delivery: { kind: "document", value: () => corpus("xxe-parameter-entity.xml"), from: "europass-xml" },
    expect: "problem",
  },
  {
    id: "billion-laughs",
    what: "XML entity expansion (10^9 'lol's from nine nested entities)",
    file: "billion-laughs.xml",
    delivery: { kind: "document", value: () => corpus("billion-laughs.xml"), from: "elmo" },
    expect: "problem",
  },
  {
    id: "deep-xml",
    what: "ELMO root with 100,000 nested elements (parser stack exhaustion)",
    delivery: { kind: "document", value: () => deepXml(100_000), from: "elmo" },
    expect: "problem",
  },
  {
    id: "deep-json-body",
    what: "a body of 10,000 nested arrays (recursive parser / validator stack exhaustion)",
    delivery: { kind: "raw", body: () => Buffer.from(deepJson(10_000)) },
    expect: "problem",
  },
  {
    id: "deep-json-document",
    what: "a document sent as JSON text holding 5,000 nested objects, inside an otherwise valid request",
    delivery: { kind: "document", value: () => `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}` },
    expect: "problem",
  },
  {
    id: "oversized-body",
    what: "a 3 MiB body, over the gateway's body limit",
    delivery: { kind: "raw", body: () => Buffer.from(`{"document":"${"A".repeat(3 * 1024 * 1024)}"}`) },
    expect: "problem",
  },
  {
    id: "invalid-utf8",
    what: "a JSON body with bytes that are not UTF-8 (0xC3 0x28, a lone 0xFF)",
    delivery: {
      kind: "raw",
      body: () =>
        Buffer.concat([Buffer.from('{"to":"ob3","document":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]),
    },
    expect: "problem",
  },
  {
    id: "proto-keys",
    what: "__proto__, constructor and prototype keys (prototype pollution through merges)",
    file: "proto-keys.json",
    delivery: { kind: "raw", body: () => Buffer.from(corpus("proto-keys.json")) },
    expect: "problem",
  },
  {
    id: "huge-numbers",
    what: "1e400 (Infinity once parsed) and a 30-digit integer (rounded once parsed)",
    file: "huge-numbers.json",
    delivery: { kind: "raw", body: () => Buffer.from(corpus("huge-numbers.json")) },
    expect: "problem",
  },
  {
    id: "year-275760",
    what: "validFrom in year +275760 (the edge of JavaScript dates) and validUntil in year 0",
    delivery: {
      kind: "document",
      value: () => ({
        ...contextAt("https://www.w3.org/ns/credentials/examples/v2"),
        validFrom: "+275760-09-13T00:00:00Z",
        validUntil: "0000-01-01T00:00:00Z",
      }),
    },
    expect: "problem",
  },
  {
    id: "jsonld-context-imds",
    what: "JSON-LD @context at http://169.254.169.254/ (the cloud metadata service)",
    file: "ssrf-context-imds.json",
    delivery: { kind: "document", value: () => JSON.parse(corpus("ssrf-context-imds.json")) },
    expect: "problem-or-inert",
  },
  {
    id: "formula-injection",
    what: "CSV cells starting with =, +, -, @ (spreadsheet formula injection, DDE)",
    file: "formula-injection.csv",
    delivery: { kind: "document", value: () => corpus("formula-injection.csv"), from: "csv" },
    expect: "problem-or-inert",
  },
  {
    id: "blank-node-bomb",
    what: "a credential with a complete graph of 10 blank nodes (RDFC-1.0 canonicalization blow-up)",
    delivery: { kind: "document", value: () => blankNodeBomb(10) },
    expect: "problem-or-inert",
  },
  {
    id: "zip-bomb",
    what: "base64 XLSX whose single entry inflates 200 MiB of zeros from about 200 KiB",
    delivery: { kind: "document", value: () => zipBomb(200 * 1024 * 1024).toString("base64"), from: "xlsx" },
    expect: "problem",
  },
  {
    id: "truncated-xlsx",
    what: "base64 XLSX cut off in the middle (no central directory)",
    delivery: {
      kind: "document",
      value: () => zipBomb(4096).subarray(0, 60).toString("base64"),
      from: "xlsx",
    },
    expect: "problem",
  },
  {
    id: "jwt-alg-none",
    what: "a VC-JWT with alg none and an empty signature",
    file: "jwt-alg-none.txt",
    delivery: { kind: "document", value: () => corpus("jwt-alg-none.txt").trim() },
    expect: "problem-or-inert",
  },
  {
    id: "jwt-huge-header",
    what: "a VC-JWT whose protected header is 40 KB of x5c junk",
    delivery: {
      kind: "document",
      value: () =>
        `${b64url({ alg: "ES256", x5c: Array.from({ length: 400 }, () => "A".repeat(100)) })}.${b64url({ iss: "did:example:x", vc: { type: ["VerifiableCredential"] } })}.AAAA`,
    },
    expect: "problem-or-inert",
  },
  {
    id: "zip-hidden-entry",
    what: "base64 XLSX whose central directory lists one small entry while a hidden local entry inflates 200 MiB",
    delivery: { kind: "document", value: () => hiddenEntryZipBomb().toString("base64"), from: "xlsx" },
    expect: "problem",
    names: { convert: "the directory does not list", check: "the directory does not list" },
  },
  {
    id: "zip-10001-entries",
    what: "base64 XLSX of 10,001 empty entries (one more than the entry limit)",
    delivery: { kind: "document", value: () => zipOfEntries(10_001).toString("base64"), from: "xlsx" },
    expect: "problem",
    names: { convert: "10000 ZIP entries", check: "10000 ZIP entries" },
  },
  {
    id: "csv-25000-rows",
    what: "a 25,000-row CSV sent to synchronous routes (a bulk job's work in one request)",
    delivery: { kind: "document", value: () => manyRowsCsv(25_000), from: "csv" },
    expect: "problem",
    names: { convert: "maxSyncRows", check: "maxSyncRows", createJob: "maxInlineJobRows" },
  },
  {
    id: "presentation-2500-credentials",
    what: "a presentation holding 2,500 credentials (each a canonicalization and a signature check)",
    delivery: {
      kind: "document",
      value: () => ({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        type: ["VerifiablePresentation"],
        verifiableCredential: Array.from({ length: 2_500 }, () => ({})),
      }),
    },
    expect: "problem-or-inert",
    names: { verifyPresentation: "maxPresentationCredentials" },
  },
  {
    id: "array-20001-elements",
    what: "a request body whose document is one array of 20,001 elements (over the array element limit)",
    delivery: { kind: "raw", body: () => Buffer.from(`{"document":[${"0,".repeat(20_000)}0]}`) },
    expect: "problem",
    names: { "*": "maxArrayElements" },
  },
  {
    id: "json-600000-values",
    what: "a request body of 600,000 JSON values in arrays each under the element limit (over the value limit)",
    delivery: {
      kind: "raw",
      body: () =>
        Buffer.from(`{"document":[${Array.from({ length: 600 }, () => `[${"0,".repeat(999)}0]`).join(",")}]}`),
    },
    expect: "problem",
    names: { "*": "maxJsonValues" },
  },
];
