import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { type DbDocumentLoader, verifyCredential as dbVerifyCredential } from "@digitalbazaar/vc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDynalite } from "../support/dynalite.js";
import { registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { unsignedOb3Credential } from "../support/ob3.js";

// The W3C VC API aliases (/credentials/issue, /credentials/verify, /presentations/verify) as the W3C interoperability
// suites drive them, beside the /v1 routes that keep their own answers. The suites cannot be fetched here, so each
// defect they found is reproduced with the normative statement it breaks (VCDM 2.0, VCDM 1.1, VC Data Integrity), and
// what the gateway issues is verified by Digital Bazaar's library with a loader that holds only the published contexts
// (from the npm packages W3C's and Digital Bazaar's contexts ship in), not the gateway's loader.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let issuer: { id: string; slug: string; token: string };

const VC_V1 = "https://www.w3.org/2018/credentials/v1";
const VC_V2 = "https://www.w3.org/ns/credentials/v2";
const DI_V2 = "https://w3id.org/security/data-integrity/v2";

/** The bytes of a context as its npm package publishes it (the packages do not export their .jsonld files). */
const packageFile = (path: string): Buffer => readFileSync(new URL(`../../node_modules/${path}`, import.meta.url));
const published = new Map<string, Buffer>([
  [VC_V1, packageFile("@digitalbazaar/credentials-context/contexts/v1.jsonld")],
  [VC_V2, packageFile("@digitalbazaar/credentials-context/contexts/v2.jsonld")],
  [DI_V2, packageFile("@digitalbazaar/data-integrity-context/contexts/data-integrity-v2.jsonld")],
  ["https://www.w3.org/ns/did/v1", packageFile("did-context/contexts/did-v1.jsonld")],
  ["https://w3id.org/security/multikey/v1", packageFile("@digitalbazaar/multikey-context/contexts/multikey-v1.jsonld")],
]);

/** Digital Bazaar's verifier, loading only the published contexts above and the issuer's DID document. */
async function dbVerify(credential: unknown) {
  const did = (await gw.call("GET", `/issuers/${issuer.slug}/did.json`)).json;
  const documents = new Map<string, unknown>([[did.id, did]]);
  for (const method of did.verificationMethod) documents.set(method.id, method);
  const documentLoader: DbDocumentLoader = async (url) => {
    const bytes = published.get(url);
    const document = bytes ? JSON.parse(bytes.toString("utf8")) : documents.get(url);
    if (document === undefined) throw new Error(`not a published context or the issuer's DID document: ${url}`);
    return { contextUrl: null, documentUrl: url, document: structuredClone(document) };
  };
  return dbVerifyCredential({
    credential,
    suite: new DataIntegrityProof({ cryptosuite }),
    documentLoader,
    checkStatus: async () => ({ verified: true }),
  });
}

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint });
  issuer = await registerIssuer(gw, { name: "Suite University", country: "IE" });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

const ISSUE_ROUTES = ["/v1/credentials/issue", "/credentials/issue"] as const;

const issue = (path: string, credential: unknown, options: Record<string, unknown> = {}) =>
  gw.call("POST", path, { token: issuer.token, json: { credential, options: { issuer: issuer.id, ...options } } });

async function issued(credential: unknown, options: Record<string, unknown> = {}) {
  const res = await issue("/credentials/issue", credential, options);
  expect(res.status, JSON.stringify(res.json).slice(0, 500)).toBe(201);
  return res.json.verifiableCredential;
}

const verify = (path: string, verifiableCredential: unknown) =>
  gw.call("POST", path, { json: { verifiableCredential } });

/** A plain VCDM 2.0 credential as the suites send it: no validFrom, no id. */
const v2Credential = (extra: Record<string, unknown> = {}) => ({
  "@context": [VC_V2],
  type: ["VerifiableCredential"],
  issuer: issuer?.id,
  credentialSubject: { id: "did:example:subject", name: "Alice" },
  ...extra,
});

/** A VCDM 1.1 credential (the vc-di-eddsa suite's v1 vectors: issuanceDate and expirationDate). */
const v1Credential = () => ({
  "@context": [VC_V1],
  id: `urn:uuid:${crypto.randomUUID()}`,
  type: ["VerifiableCredential"],
  issuer: issuer?.id,
  issuanceDate: "2024-01-01T00:00:00Z",
  expirationDate: "2099-01-01T00:00:00Z",
  credentialSubject: { id: "did:example:subject" },
});

const sri = (algorithm: "sha256" | "sha384", bytes: Buffer) =>
  `${algorithm}-${createHash(algorithm).update(bytes).digest("base64")}`;
/** base64url-nopad multibase of a sha2-256 multihash (0x12, length 0x20). */
const multibaseSha256 = (bytes: Buffer) =>
  `u${Buffer.concat([Buffer.from([0x12, 0x20]), createHash("sha256").update(bytes).digest()]).toString("base64url")}`;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions.
const checkOf = (body: any, name: string) => body.checks.find((c: { check: string }) => c.check === name);

describe("VCDM 1.1 credentials are issued with eddsa-rdfc-2022 (VC Data Integrity: the v2 context added for the proof)", () => {
  it.each(ISSUE_ROUTES)(
    "%s answers 201 with a proof Digital Bazaar verifies, and no BitstringStatusListEntry",
    async (path) => {
      const res = await issue(path, v1Credential());

      expect(res.status, JSON.stringify(res.json)).toBe(201);
      const vc = res.json.verifiableCredential;
      expect(vc["@context"]).toEqual([VC_V1, DI_V2]);
      expect(vc.proof).toMatchObject({ type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022" });
      // The v1 context does not define BitstringStatusListEntry: the credential carries no status entry.
      expect(vc.credentialStatus).toBeUndefined();
      const theirs = await dbVerify(vc);
      expect(theirs.verified, JSON.stringify(theirs.error ?? theirs)).toBe(true);
      expect((await dbVerify({ ...vc, expirationDate: "2098-01-01T00:00:00Z" })).verified).toBe(false);
    },
  );

  it("verifies on /v1 (200, verified) and the alias (200)", async () => {
    const vc = await issued(v1Credential());

    const ours = await verify("/v1/credentials/verify", vc);
    const alias = await verify("/credentials/verify", vc);

    expect(ours.status).toBe(200);
    expect(ours.json.verified, JSON.stringify(ours.json.errors)).toBe(true);
    expect(alias.status, JSON.stringify(alias.json.errors)).toBe(200);
  });

  it("refuses a VCDM 1.1 credential without issuanceDate (VCDM 1.1: a credential MUST have an issuanceDate)", async () => {
    const { issuanceDate: _dropped, ...credential } = v1Credential();

    for (const path of ISSUE_ROUTES) {
      const res = await issue(path, credential);
      expect(res.status, path).toBe(422);
      expect(res.json.errors, path).toContainEqual(
        expect.objectContaining({ pointer: "/body/credential/issuanceDate" }),
      );
    }
  });
});

describe("VCDM 2.0 issuance keeps its status entry and verifies with Digital Bazaar", () => {
  it("a plain W3C credential without validFrom gets a BitstringStatusListEntry and a proof Digital Bazaar verifies", async () => {
    const vc = await issued(v2Credential());

    expect(vc.credentialStatus).toMatchObject({ type: "BitstringStatusListEntry", statusPurpose: "revocation" });
    expect(vc.id).toMatch(/^urn:uuid:/);
    const theirs = await dbVerify(vc);
    expect(theirs.verified, JSON.stringify(theirs.error ?? theirs)).toBe(true);
  });

  it("an OB 3.0 credential still gets its status entry", async () => {
    const vc = await issued(unsignedOb3Credential());

    expect(vc.credentialStatus).toMatchObject({ type: "BitstringStatusListEntry" });
  });
});

describe("validFrom is optional when verifying (VCDM 2.0: 'If present, the value of the validFrom property MUST be …')", () => {
  it("a credential without validFrom verifies on /v1 and the alias", async () => {
    const vc = await issued(v2Credential());
    expect(vc.validFrom).toBeUndefined();

    const ours = await verify("/v1/credentials/verify", vc);
    const alias = await verify("/credentials/verify", vc);

    expect(ours.status).toBe(200);
    expect(ours.json.verified, JSON.stringify(ours.json.errors)).toBe(true);
    expect(alias.status, JSON.stringify(alias.json.errors)).toBe(200);
  });

  it("a presentation holding such a credential verifies (every credential in it is verified the same way)", async () => {
    const vc = await issued(v2Credential());

    const res = await gw.call("POST", "/presentations/verify", {
      json: {
        verifiablePresentation: { "@context": [VC_V2], type: ["VerifiablePresentation"], verifiableCredential: [vc] },
      },
    });

    expect(res.status, JSON.stringify(res.json.errors)).toBe(200);
    expect(res.json.credentialResults[0].verified).toBe(true);
  });
});

describe("a verifiableCredential that is a JSON string, not a map, is refused on the alias (Data Integrity: PARSING_ERROR)", () => {
  it("/credentials/verify answers 4xx with a problem naming the field; /v1 keeps parsing it", async () => {
    const vc = await issued(v2Credential());
    const text = JSON.stringify(vc);

    const alias = await verify("/credentials/verify", text);
    const ours = await verify("/v1/credentials/verify", text);

    expect([400, 422]).toContain(alias.status);
    expect(alias.json.errors).toContainEqual(expect.objectContaining({ pointer: "/body/verifiableCredential" }));
    expect(ours.status).toBe(200);
    expect(ours.json.verified).toBe(true);
  });
});

// Each case: the credential, the field the refusal must name, the VCDM 2.0 statement it breaks.
const INVALID: [string, Record<string, unknown>, string][] = [
  ["id null", v2Credential({ id: null }), "/body/credential/id"],
  ["id not a URL", v2Credential({ id: "not a url" }), "/body/credential/id"],
  ["type without VerifiableCredential", v2Credential({ type: ["ExampleCredential"] }), "/body/credential/type"],
  [
    "credentialSubject missing",
    { ...v2Credential(), credentialSubject: undefined },
    "/body/credential/credentialSubject",
  ],
  ["credentialSubject {}", v2Credential({ credentialSubject: {} }), "/body/credential/credentialSubject"],
  [
    "credentialSubject [{id}, {}]",
    v2Credential({ credentialSubject: [{ id: "did:example:1" }, {}] }),
    "/body/credential/credentialSubject/1",
  ],
  ["credentialSubject null", v2Credential({ credentialSubject: null }), "/body/credential/credentialSubject"],
  ["credentialSubject true", v2Credential({ credentialSubject: true }), "/body/credential/credentialSubject"],
  ["credentialSubject 4", v2Credential({ credentialSubject: 4 }), "/body/credential/credentialSubject"],
  ["credentialSubject []", v2Credential({ credentialSubject: [] }), "/body/credential/credentialSubject"],
  [
    "credentialSubject a string",
    v2Credential({ credentialSubject: "did:example:1" }),
    "/body/credential/credentialSubject",
  ],
  [
    "credentialSchema without id",
    v2Credential({ credentialSchema: { type: "JsonSchema" } }),
    "/body/credential/credentialSchema",
  ],
  ["relatedResource strings", v2Credential({ relatedResource: [VC_V2] }), "/body/credential/relatedResource/0"],
  [
    "relatedResource without id",
    v2Credential({ relatedResource: [{ digestSRI: "sha384-abc" }] }),
    "/body/credential/relatedResource/0/id",
  ],
  [
    "relatedResource with duplicate ids",
    v2Credential({
      relatedResource: [
        { id: "https://example.com/a", digestSRI: sri("sha384", Buffer.from("a")) },
        { id: "https://example.com/a", digestSRI: sri("sha384", Buffer.from("b")) },
      ],
    }),
    "/body/credential/relatedResource/1/id",
  ],
  [
    "relatedResource without digestSRI or digestMultibase",
    v2Credential({ relatedResource: [{ id: "https://example.com/a" }] }),
    "/body/credential/relatedResource/0",
  ],
  [
    "relatedResource with a digestSRI not of the SRI grammar",
    v2Credential({ relatedResource: [{ id: "https://example.com/a", digestSRI: "md5:abc" }] }),
    "/body/credential/relatedResource/0/digestSRI",
  ],
];

describe("invalid VCDM 2.0 input is refused naming the field, on /v1 and the alias", () => {
  it.each(INVALID)("%s", async (_name, credential, pointer) => {
    for (const path of ISSUE_ROUTES) {
      const res = await issue(path, credential);
      expect([400, 422], `${path}: ${JSON.stringify(res.json).slice(0, 300)}`).toContain(res.status);
      expect(res.json.errors, path).toContainEqual(expect.objectContaining({ pointer }));
    }
  });

  it("a well-formed relatedResource (digestSRI and digestMultibase) is accepted", async () => {
    const bytes = Buffer.from("a related document");
    const vc = await issued(
      v2Credential({
        relatedResource: [
          { id: "https://example.com/a", digestSRI: sri("sha384", bytes) },
          { id: "https://example.com/b", digestMultibase: multibaseSha256(bytes) },
        ],
      }),
    );

    expect(vc.relatedResource).toHaveLength(2);
  });
});

describe("the verifier checks relatedResource digests against the pinned copies it holds (VCDM 2.0 §5.3)", () => {
  const v2Bytes = published.get(VC_V2) as Buffer;

  it("accepts digests of the published v2 context (SRI sha384 and multibase sha2-256)", async () => {
    const vc = await issued(
      v2Credential({
        relatedResource: [{ id: VC_V2, digestSRI: sri("sha384", v2Bytes), digestMultibase: multibaseSha256(v2Bytes) }],
      }),
    );

    const alias = await verify("/credentials/verify", vc);

    expect(alias.status, JSON.stringify(alias.json.errors)).toBe(200);
    expect(checkOf(alias.json, "relatedResource")).toMatchObject({ status: "ok" });
  });

  it("rejects a digest that does not match: 422 on the alias, verified false on /v1 (200)", async () => {
    const wrong = Buffer.concat([v2Bytes, Buffer.from(" ")]);
    const vc = await issued(v2Credential({ relatedResource: [{ id: VC_V2, digestSRI: sri("sha384", wrong) }] }));

    const alias = await verify("/credentials/verify", vc);
    const ours = await verify("/v1/credentials/verify", vc);

    expect(alias.status).toBe(422);
    expect(checkOf(alias.json, "relatedResource")).toMatchObject({ status: "error" });
    expect(ours.status).toBe(200);
    expect(ours.json.verified).toBe(false);
  });

  it("says unknown for a resource it holds no copy of, and still verifies", async () => {
    const vc = await issued(
      v2Credential({
        relatedResource: [{ id: "https://example.com/a", digestSRI: sri("sha384", Buffer.from("anything")) }],
      }),
    );

    const alias = await verify("/credentials/verify", vc);

    expect(alias.status, JSON.stringify(alias.json.errors)).toBe(200);
    expect(checkOf(alias.json, "relatedResource")).toMatchObject({ status: "skipped" });
    expect(checkOf(alias.json, "relatedResource").detail).toMatch(/unknown/);
  });
});
