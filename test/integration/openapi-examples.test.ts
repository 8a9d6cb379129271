import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_ADMIN_TOKEN, EXAMPLE_BASE, EXAMPLES, type OperationExample } from "../../functions/http/examples.js";
import { jobResultLine } from "../../functions/http/operation-response-schemas.js";
import { type LocalDeliveryWorker, startLocalDeliveryWorker } from "../../functions/local/delivery-worker.js";
import { startWalletEmulator, type WalletEmulator } from "../../functions/local/wallet-emulator.js";
import { type LocalWorker, startLocalWorker } from "../../functions/local/worker.js";
import { makeTestCa } from "../support/certificates.js";
import { corpusJson } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, type CallResult, startTestGateway, type TestGateway } from "../support/gateway.js";
import { TestWallet } from "../support/oid4vci-wallet.js";
import { readRequest, requestedClaims } from "../support/oid4vp-wallet.js";
import { present } from "../support/sd-jwt-wallet.js";

// Every example of the OpenAPI document, replayed in the document's example order against a running gateway: the
// real answer must have the operation's documented status and media type and validate (ajv) against the documented
// response schema, as the example itself must. Ids, tokens and signatures the gateway makes are learnt from each
// real answer (the example's value at the same place → the real one) and put in place of the examples' placeholders.

// What some examples need that a fixed example cannot hold (a pre-signed upload, a key proof over the run's nonce, a
// wallet's signed answer, a certificate for the issuer's freshly made key, a share link the wallet made): made here
// just before the example is replayed, as its user would make it, and put in place of the example's placeholder.
/** The example of `operationId` (each named here has one: the first test says so). */
function ex(operationId: string): OperationExample {
  const example = EXAMPLES[operationId];
  if (!example) throw new Error(`${operationId} has no example`);
  return example;
}

const PREPARE: Record<string, () => Promise<void>> = {
  // The job the example shows completed: its rows are issued by the worker meanwhile.
  getJob: () => waitForJob(substitute(ex("getJob").params?.id) as string, substitute(ex("getJob").token) as string),
  startJob: async () => {
    const token = substitute(ex("createJob").token) as string;
    const created = await gw.call("POST", "/v1/jobs", {
      token,
      json: { from: "csv", upload: true, options: { issuer: learntIssuer(), format: "ob3" } },
    });
    expect(created.status, created.text).toBe(202);
    const { url, method, headers } = created.json.upload;
    const put = await fetch(url, {
      method,
      headers,
      body: "given_name,family_name,course_title\nAoife,Byrne,Data Literacy\n",
    });
    expect(put.status).toBeLessThan(300);
    learnt.set(String(ex("startJob").params?.id), created.json.id);
  },
  getDelivery: async () => {
    const id = substitute(ex("getDelivery").params?.id) as string;
    const token = substitute(ex("getDelivery").token) as string;
    for (let i = 0; i < 200; i++) {
      const res = await gw.call("GET", `/v1/deliveries/${id}`, { token });
      if (res.json?.status !== "pending") return;
      await new Promise((r) => setTimeout(r, 25));
    }
  },
  importCredential: async () => {
    const sealed = substitute(ex("createDelivery").request) as { credential: { payload: string } };
    const id = JSON.parse(sealed.credential.payload).id;
    const held = wallet.held().find((h) => h.credentialId === id);
    if (!held) throw new Error(`the wallet holds no credential ${id}`);
    const hash = String((ex("importCredential").response as { source: { shareHash: string } }).source.shareHash);
    learnt.set(hash, wallet.shareLink(held.uuid));
  },
  oid4vciCredential: async () => {
    const example = ex("oid4vciCredential").request as { proofs: { jwt: string[] } };
    const nonce = substitute((ex("oid4vciNonce").response as { c_nonce: string }).c_nonce) as string;
    const audience = substitute(`${EXAMPLE_BASE}/oid4vci/${ex("oid4vciNonce").params?.slug}`) as string;
    learnt.set(String(example.proofs.jwt[0]), await new TestWallet("P-256", "did:key").proof({ audience, nonce }));
  },
  postPresentationResponse: async () => {
    const holderWallet = new TestWallet("P-256", "jwk");
    const slug = String(ex("oid4vciNonce").params?.slug);
    const offer = await gw.call("POST", `/v1/issuers/${slug}/offers`, {
      token: substitute(ex("createCredentialOffer").token) as string,
      json: {
        credential: corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld"),
        configuration: "MicroCredential_dc_sd_jwt",
      },
    });
    expect(offer.status, offer.text).toBe(201);
    const sdJwt = (await holderWallet.collect(offer.json.offerUri)).credential as string;
    const walletUrl = substitute((ex("createPresentationRequest").response as { walletUrl: string }).walletUrl);
    const request = await readRequest(walletUrl as string);
    const query = request.payload.dcql_query.credentials[0];
    const vp = await present(sdJwt, requestedClaims(query), {
      holder: { privateKey: holderWallet.privateKey, publicJwk: holderWallet.publicJwk as Record<string, unknown> },
      nonce: request.payload.nonce,
      aud: request.clientId,
    });
    const example = ex("postPresentationResponse").request as { vp_token: string; state: string };
    learnt.set(example.vp_token, JSON.stringify({ [query.id]: [vp] }));
    learnt.set(example.state, request.payload.state);
  },
  putIssuerCertificate: async () => {
    const slug = substitute(ex("putIssuerCertificate").params?.id) as string;
    const jwks = await gw.call("GET", `/issuers/${slug}/jwks.json`);
    const p256 = jwks.json.keys.find((k: { crv?: string }) => k.crv === "P-256");
    const ca = await makeTestCa("CN=Example Seal Root CA, O=Example Trust Services, C=IE");
    const leaf = await ca.issue({ kty: "EC", crv: "P-256", x: p256.x, y: p256.y });
    const [leafExample, rootExample] = (ex("putIssuerCertificate").request as { chain: string[] }).chain;
    learnt.set(String(leafExample), leaf.toString("pem"));
    learnt.set(String(rootExample), ca.certificate.toString("pem"));
  },
};

/** The example issuer's slug, as the gateway made it. */
const learntIssuer = (): string => substitute(ex("getIssuer").params?.id) as string;

const addFormats = addFormatsModule.default;
const ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true });
addFormats(ajv, ["uri", "email", "date-time", "date"]);

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let worker: LocalWorker;
let wallet: WalletEmulator;
let deliveries: LocalDeliveryWorker;
// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is read as JSON; the assertions check its shape.
let doc: any;

beforeAll(async () => {
  db = await startDynalite();
  wallet = await startWalletEmulator({ seed: 11 });
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: {
      GATEWAY_MAX_BODY_BYTES: String(1024 * 1024),
      GATEWAY_WALLET_URL: wallet.url,
      GATEWAY_WALLET_ALLOW_LOOPBACK: "on",
      GATEWAY_PAGE_VERIFIER: String(EXAMPLES.getIssuer?.params?.id),
    },
  });
  worker = startLocalWorker(gw.deps, { intervalMs: 20 });
  deliveries = startLocalDeliveryWorker(gw.deps, { intervalMs: 20 });
  doc = (await gw.call("GET", "/openapi.json")).json;
});

afterAll(async () => {
  await worker?.stop();
  await deliveries?.stop();
  await gw?.close();
  await wallet?.close();
  await db?.stop();
});

/** Placeholder → the value the running gateway made, learnt from the answers so far. */
const learnt = new Map<string, string>();

function substitute(value: unknown): unknown {
  if (typeof value === "string") {
    const whole = learnt.get(value);
    if (whole !== undefined) return whole;
    let out = value;
    for (const [from, to] of learnt) if (from.length >= 8) out = out.replaceAll(from, to);
    return out;
  }
  if (Array.isArray(value)) return value.map(substitute);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
  return value;
}

/** Learns where a real answer differs from its example: whole strings, and segments of URLs and ids. */
function learn(example: unknown, real: unknown): void {
  if (typeof example === "string" && typeof real === "string") {
    if (substitute(example) === real) return;
    learnt.set(example, real);
    const a = example.split(/([/:#?&=])/);
    const b = real.split(/([/:#?&=])/);
    if (a.length === b.length)
      a.forEach((part, i) => {
        const to = b[i];
        if (to !== undefined && part !== to && part.length >= 8 && !learnt.has(part)) learnt.set(part, to);
      });
    return;
  }
  if (Array.isArray(example) && Array.isArray(real)) {
    for (const [i, e] of example.entries()) learn(e, real[i]);
  } else if (example && real && typeof example === "object" && typeof real === "object")
    for (const [k, v] of Object.entries(example)) learn(v, (real as Record<string, unknown>)[k]);
}

function seed(): void {
  const base = new URL(gw.url);
  learnt.set(EXAMPLE_BASE, gw.url);
  learnt.set("localhost%3A3000", encodeURIComponent(base.host));
  learnt.set(EXAMPLE_ADMIN_TOKEN, ADMIN_TOKEN);
}

const operations = (): { method: string; path: string; op: Record<string, unknown> }[] =>
  Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );

function documented(op: Record<string, unknown>): { status: number; mediaType: string; schema: unknown } {
  const responses = op.responses as Record<string, { content?: Record<string, { schema?: unknown }> }>;
  const status = Object.keys(responses).find((s) => s.startsWith("2"));
  if (!status) throw new Error(`${String(op.operationId)} documents no success`);
  const [mediaType, content] = Object.entries(responses[status]?.content ?? {})[0] ?? ["", {}];
  return { status: Number(status), mediaType, schema: content.schema ?? {} };
}

async function waitForJob(id: string, token: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const job = await gw.call("GET", `/v1/jobs/${id}`, { token });
    if (!["queued", "reading", "running", "awaiting-upload"].includes(job.json?.status)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function replay(operationId: string, method: string, path: string, op: Record<string, unknown>) {
  const example = EXAMPLES[operationId];
  if (!example) throw new Error(`${operationId} has no example`);
  const params = substitute(example.params ?? {}) as Record<string, string>;
  const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? `{${name}}`));
  const token = example.token === undefined ? undefined : (substitute(example.token) as string);
  const body = substitute(example.request);
  const form = Object.keys((op.requestBody as { content?: object } | undefined)?.content ?? {})[0];
  let res: CallResult;
  if (body !== undefined && form === "application/x-www-form-urlencoded") {
    res = await gw.call(method, url, {
      ...(token ? { token } : {}),
      body: new URLSearchParams(body as Record<string, string>).toString(),
      headers: { "content-type": form },
    });
  } else {
    res = await gw.call(method, url, { ...(token ? { token } : {}), ...(body !== undefined ? { json: body } : {}) });
  }
  return res;
}

describe("the OpenAPI document's examples", () => {
  it("has an example for every operation", () => {
    const missing = operations()
      .map(({ op }) => String(op.operationId))
      .filter((id) => !(id in EXAMPLES));
    expect(missing).toEqual([]);
    for (const id of Object.keys(PREPARE)) expect(Object.keys(EXAMPLES)).toContain(id);
  });

  it("documents a response schema for every operation whose answer has content", () => {
    const without = operations()
      .filter(({ op }) => {
        const responses = op.responses as Record<string, { content?: Record<string, { schema?: object }> }>;
        const status = Object.keys(responses).find((s) => s.startsWith("2")) ?? "";
        const content = Object.values(responses[status]?.content ?? {});
        return content.some((c) => !c.schema || Object.keys(c.schema).length === 0);
      })
      .map(({ op }) => String(op.operationId));
    expect(without).toEqual([]);
  });

  it("each example matches its operation's documented request and response schemas", () => {
    for (const { op } of operations()) {
      const id = String(op.operationId);
      const example = EXAMPLES[id];
      if (!example) continue;
      const request = Object.values(
        (op.requestBody as { content?: Record<string, { schema: object }> })?.content ?? {},
      )[0];
      if (request && example.request !== undefined) {
        const ok = ajv.validate(request.schema, example.request);
        expect(ok, `${id} request: ${ajv.errorsText()}`).toBe(true);
      }
      const { mediaType, schema } = documented(op);
      if (example.response !== undefined && (mediaType.includes("json") || typeof example.response === "string")) {
        const ok = ajv.validate(schema as object, example.response);
        expect(ok, `${id} response: ${ajv.errorsText()}`).toBe(true);
      }
    }
  });

  it("replays every example: each answer has the documented status, media type and schema", async () => {
    seed();
    const byId = new Map(operations().map((o) => [String(o.op.operationId), o]));
    const failures: string[] = [];
    for (const [id, example] of Object.entries(EXAMPLES)) {
      const found = byId.get(id);
      if (!found) {
        failures.push(`${id}: no such operation`);
        continue;
      }
      await PREPARE[id]?.();
      const res = await replay(id, found.method, found.path, found.op);
      const { status, mediaType, schema } = documented(found.op);
      const type = res.headers.get("content-type") ?? "";
      if (res.status !== status) {
        failures.push(`${id}: ${res.status} instead of ${status}: ${res.text.slice(0, 300)}`);
        continue;
      }
      if (status !== 204 && !type.startsWith(mediaType)) failures.push(`${id}: content-type ${type}, not ${mediaType}`);
      if (mediaType === "application/jsonl") {
        // JSON Lines: each line one JSON value (jsonlines.org), here a row's result.
        for (const line of res.text.split("\n").filter((l) => l !== "")) {
          if (!ajv.validate(jobResultLine, JSON.parse(line))) failures.push(`${id}: line ${ajv.errorsText()}`);
        }
      } else if (!mediaType.includes("json")) {
        // A page, script, image, PEM or JWT: the text itself against the documented string schema.
        if (!ajv.validate(schema as object, res.text)) failures.push(`${id}: answer ${ajv.errorsText()}`);
      }
      if (mediaType.includes("json") && !mediaType.includes("jsonl")) {
        if (!ajv.validate(schema as object, res.json)) failures.push(`${id}: answer ${ajv.errorsText()}`);
        if (example.response !== undefined) learn(example.response, res.json);
        // An example that says a credential verifies (or does not) must be answered so.
        const said = example.response as
          | { verified?: unknown; verification?: { verified?: unknown }; status?: unknown }
          | undefined;
        if (typeof said?.verified === "boolean" && res.json?.verified !== said.verified)
          failures.push(`${id}: verified ${String(res.json?.verified)}, the example says ${said.verified}`);
        const nested = said?.verification?.verified;
        if (typeof nested === "boolean" && res.json?.verification?.verified !== nested)
          failures.push(
            `${id}: verification.verified ${String(res.json?.verification?.verified)}, the example says ${nested}`,
          );
        // A state the example shows (a job completed, a delivery delivered, a request pending) is the one reached.
        if (typeof said?.status === "string" && typeof res.json?.status === "string" && res.json.status !== said.status)
          failures.push(`${id}: status ${res.json.status}, the example says ${said.status}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
