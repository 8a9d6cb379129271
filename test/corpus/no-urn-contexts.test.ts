/**
 * No credential the gateway writes or signs names a `urn:` context: a URN cannot be dereferenced, so every JSON-LD
 * processor other than the gateway (Digital Bazaar's verifier, the 1EdTech validator) fails on it ("Dereferencing a
 * URL did not result in a valid JSON-LD object"). Checked over the whole corpus: every file any reader accepts, read
 * as every format whose reader accepts it, converted to every writable target, through the running gateway (its
 * configured extension context URL); and the OB 3.0 results issued with each proof suite, as well as every ELM file
 * issued directly as OB 3.0 (the issue use case converts it itself).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";
import jsonld from "jsonld";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayContexts } from "../../mappings/contexts.js";
import { FORMATS, type Format, OUTPUT_FORMATS } from "../../mappings/formats.js";
import { LEGACY_OB3_ELM_CONTEXT_URN } from "../../mappings/ob3/extension-context.js";
import { ASYNC_READERS, READERS } from "../../mappings/registry.js";
import { CORPUS } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";

/** Files no reader is meant for: schemas, prose, RDF shapes, the OB 3.0 model source. */
const NOT_DOCUMENTS = new Set([".xsd", ".md", ".ttl", ".lines", ".txt", ""]);
const BINARY = new Set([".xlsx", ".xlsm", ".xls", ".png"]);

function corpusFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return corpusFiles(path);
    return NOT_DOCUMENTS.has(extname(name).toLowerCase()) ? [] : [path];
  });
}

/** A file as a caller sends it in `document`: binary files as base64, the rest as text (JSON text is parsed). */
function documentOf(path: string): string {
  const bytes = readFileSync(path);
  return BINARY.has(extname(path).toLowerCase()) ? bytes.toString("base64") : bytes.toString("utf8");
}

const READABLE: Format[] = FORMATS.filter((f) => READERS[f] !== undefined || ASYNC_READERS[f] !== undefined);

/** Every string inside every `@context` anywhere in a JSON value (nested credentials, endorsements included). */
function contextStrings(value: unknown, inContext = false, out: string[] = []): string[] {
  if (typeof value === "string") {
    if (inContext) out.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) contextStrings(item, inContext, out);
  } else if (value !== null && typeof value === "object") {
    for (const [key, member] of Object.entries(value)) contextStrings(member, inContext || key === "@context", out);
  }
  return out;
}

/** The JSON payload of a compact JWS (VC-JWT). */
const jwtPayload = (jwt: string): unknown =>
  JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8"));

const isUrn = (s: string): boolean => /^urn:/i.test(s.trim());

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let issuer: { id: string; slug: string; token: string };

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(16 * 1024 * 1024) },
  });
  issuer = await registerIssuer(gw, { name: "Corpus College", country: "IE", legalIdentifier: "IE-99999" });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

interface Converted {
  file: string;
  from: string;
  to: string;
  documents: unknown[];
}

const converted: Converted[] = [];

describe("no conversion output names a urn: context", () => {
  it("every corpus file a reader accepts, as every format that reads it, to every writable target", async () => {
    const seen = new Set<string>();
    for (const path of corpusFiles(CORPUS)) {
      const file = relative(CORPUS, path);
      const document = documentOf(path);
      for (const from of READABLE) {
        for (const to of OUTPUT_FORMATS) {
          const res = await gw.call("POST", "/v1/convert", { json: { from, to, document } });
          // 4xx: this reader does not accept the file (or the target refuses what it holds); never a 5xx.
          expect(res.status, `${file} ${from}→${to}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
          if (res.status !== 200) continue;
          const key = `${file}|${res.json.from}|${to}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const documents = (res.json.results as { document: unknown }[]).map((r) => r.document);
          converted.push({ file, from: res.json.from, to, documents });
        }
      }
    }

    const offending = converted.flatMap((c) =>
      c.documents.flatMap((d) =>
        contextStrings(d)
          .filter(isUrn)
          .map((u) => `${c.file} ${c.from}→${c.to}: ${u}`),
      ),
    );
    expect(offending).toEqual([]);
    // The check must have looked at something: each reader accepted corpus files (the corpus's XLSX files are the EDC
    // issuer's empty templates and registry documentation: no data row, nothing to convert), and OB 3.0 output named
    // the extension by the gateway's URL (the EC Annex I sample needs it).
    const froms = new Set(converted.map((c) => c.from));
    expect([...froms].sort()).toEqual(["csv", "elm", "elmo", "europass-xml", "ob2", "ob3"]);
    const ob3 = converted.filter((c) => c.to === "ob3");
    expect(ob3.length).toBeGreaterThan(40);
    const sample = ob3.find((c) => c.file === "elm/samples/Sample-MC-Annex1-signed.jsonld");
    expect(contextStrings(sample?.documents[0])).toContain(`${gw.url}/contexts/ob3-elm/v1.json`);
  }, 600_000);
});

describe("no issued credential names a urn: context", () => {
  it("each OB 3.0 conversion result, issued with eddsa-rdfc-2022 and vc-jwt", async () => {
    const ob3 = converted.filter((c) => c.to === "ob3");
    expect(ob3.length).toBeGreaterThan(0);
    const offending: string[] = [];
    let issued = 0;
    let refused = 0;
    for (const c of ob3) {
      for (const [k, document] of c.documents.entries()) {
        for (const proof of ["eddsa-rdfc-2022", "vc-jwt"] as const) {
          const credential = { ...(document as Record<string, unknown>), id: `urn:uuid:${crypto.randomUUID()}` };
          const res = await gw.call("POST", "/v1/credentials/issue", {
            token: issuer.token,
            json: { credential, options: { issuer: issuer.id, proof } },
          });
          // The issuance gate refuses what the gateway's own verifier rejects (a learner with neither id nor identifier).
          if (res.status === 422 && /does not sign a credential its own verifier rejects/.test(res.json.detail)) {
            refused += 1;
            continue;
          }
          expect(res.status, `${c.file} #${k} (${c.from}) ${proof}: ${res.text.slice(0, 500)}`).toBe(201);
          const vc = res.json.verifiableCredential;
          const signed = typeof vc === "string" ? jwtPayload(vc) : vc;
          issued += 1;
          for (const u of contextStrings(signed).filter(isUrn)) offending.push(`${c.file} #${k} ${proof}: ${u}`);
        }
      }
    }
    expect(offending).toEqual([]);
    expect(issued).toBeGreaterThan(refused);
    expect(issued).toBeGreaterThan(60);
  }, 600_000);

  it("each ELM credential of the corpus issued as OB 3.0 (the issue use case converts it)", async () => {
    // The ELM files that are credentials as the issue route takes them (JSON-LD, not the JAdES-sealed envelope).
    const elm = [...new Set(converted.filter((c) => c.from === "elm").map((c) => c.file))].flatMap((file) => {
      const source = JSON.parse(readFileSync(join(CORPUS, file), "utf8"));
      const credential = source.credential ?? source;
      // A fresh id each: the converted credential's id derives from the source's, and some samples share one.
      const fresh = { ...credential, id: `urn:credential:${crypto.randomUUID()}` };
      return JSON.stringify(credential.type ?? "").includes("EuropeanDigitalCredential")
        ? [{ file, credential: fresh }]
        : [];
    });
    expect(elm.map((e) => e.file)).toContain("elm/samples/Sample-MC-Annex1-unsigned.jsonld");
    const offending: string[] = [];
    for (const { file, credential } of elm) {
      const res = await gw.call("POST", "/v1/credentials/issue", {
        token: issuer.token,
        json: { credential, options: { issuer: issuer.id, format: "ob3", proof: "eddsa-rdfc-2022" } },
      });
      expect(res.status, `${file}: ${res.text.slice(0, 500)}`).toBe(201);
      for (const u of contextStrings(res.json.verifiableCredential).filter(isUrn)) offending.push(`${file}: ${u}`);
      expect(contextStrings(res.json.verifiableCredential)).toContain(`${gw.url}/contexts/ob3-elm/v1.json`);
    }
    expect(offending).toEqual([]);
  }, 300_000);
});

describe("a credential converted while the extension had a URN", () => {
  it("is signed naming the published URL instead, and states the same RDF", async () => {
    const document = documentOf(join(CORPUS, "elm/samples/Sample-MC-Annex1-signed.jsonld"));
    const conversion = await gw.call("POST", "/v1/convert", { json: { to: "ob3", document } });
    const url = `${gw.url}/contexts/ob3-elm/v1.json`;
    const current = conversion.json.results[0].document as Record<string, unknown>;
    const contexts = current["@context"] as string[];
    expect(contexts).toContain(url);
    // As the gateway wrote it before: the same document, naming the extension by its URN. The issuer and id are set
    // to what issuance sets, and no status entry is asked for, so that only the context can differ.
    const legacy = {
      ...current,
      "@context": contexts.map((c) => (c === url ? LEGACY_OB3_ELM_CONTEXT_URN : c)),
      id: `urn:uuid:${crypto.randomUUID()}`,
      issuer: { ...(current.issuer as Record<string, unknown>), id: issuer.id },
    };

    const res = await gw.call("POST", "/v1/credentials/issue", {
      token: issuer.token,
      json: { credential: legacy, options: { issuer: issuer.id, status: false } },
    });

    expect(res.status, res.text.slice(0, 500)).toBe(201);
    const { proof: _proof, ...signed } = res.json.verifiableCredential;
    expect(signed["@context"]).toEqual(contexts);
    expect(contextStrings(signed).filter(isUrn)).toEqual([]);
    // The gateway's loader still holds the legacy documents, so both can be expanded: they are the same statements
    // (the issuer object issuance writes from the registration aside).
    // This gateway's loader: the declared contexts, the extension under this gateway's URL.
    const { documentLoader } = gatewayContexts({ ob3ElmContextUrl: url });
    const nquads = (doc: unknown) =>
      jsonld.toRDF(structuredClone(doc) as object, { format: "application/n-quads", documentLoader, safe: true });
    expect(await nquads(signed)).toBe(await nquads({ ...legacy, issuer: signed.issuer }));
  });
});
