import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_ADMIN_TOKEN, EXAMPLE_BASE, EXAMPLES } from "../../functions/http/examples.js";
import { jobResultLine } from "../../functions/http/operation-response-schemas.js";
import { type LocalWorker, startLocalWorker } from "../../functions/local/worker.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, type CallResult, startTestGateway, type TestGateway } from "../support/gateway.js";

// Every example of the OpenAPI document, replayed in the document's example order against a running gateway: the
// real answer must have the operation's documented status and media type and validate (ajv) against the documented
// response schema, as the example itself must. Ids, tokens and signatures the gateway makes are learnt from each
// real answer (the example's value at the same place → the real one) and put in place of the examples' placeholders.

// Operations without a replayable example, and why: each needs something a fixed example cannot hold.
const NOT_REPLAYED: Record<string, string> = {
  importTrustedList: "a signed ETSI TS 119 612 trusted list",
  putIssuerCertificate: "a certificate chain certifying the issuer's freshly made key",
  startJob: "an input PUT to the pre-signed upload URL between two calls",
  // Also: the one ELM credential the examples seal (issueCredentialVcApi, an Open Badge written as ELM) names its
  // issuer node `<issuer DID><uuid>`, a DID that is not the caller's, so a delivery of it is refused (403).
  createDelivery: "a Europass wallet (GATEWAY_WALLET_URL) and an ELM credential sealed by the example issuer",
  getDelivery: "a Europass wallet (GATEWAY_WALLET_URL) and a delivery made by createDelivery",
  importCredential: "a Europass wallet share link",
  oid4vciCredential: "a key proof JWT over the c_nonce of the run",
  postPresentationResponse: "a vp_token signed by a wallet over the request's nonce",
  createPageRequest: "a configured page verifier (GATEWAY_PAGE_VERIFIER)",
  getPageRequestResult: "the pollKey of a page request made in the run",
};

const addFormats = addFormatsModule.default;
const ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true });
addFormats(ajv, ["uri", "email", "date-time", "date"]);

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let worker: LocalWorker;
// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is read as JSON; the assertions check its shape.
let doc: any;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint, env: { GATEWAY_MAX_BODY_BYTES: String(1024 * 1024) } });
  worker = startLocalWorker(gw.deps, { intervalMs: 20 });
  doc = (await gw.call("GET", "/openapi.json")).json;
});

afterAll(async () => {
  await worker?.stop();
  await gw?.close();
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
  if (operationId === "getJobResults" && token) await waitForJob(params.id ?? "", token);
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
  it("has an example for every operation, but those listed with the reason none can be replayed", () => {
    const missing = operations()
      .map(({ op }) => String(op.operationId))
      .filter((id) => !(id in EXAMPLES) && !(id in NOT_REPLAYED));
    expect(missing).toEqual([]);
    for (const id of Object.keys(EXAMPLES)) expect(Object.keys(NOT_REPLAYED)).not.toContain(id);
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
        const said = (example.response as { verified?: unknown } | undefined)?.verified;
        if (typeof said === "boolean" && res.json?.verified !== said)
          failures.push(`${id}: verified ${String(res.json?.verified)}, the example says ${said}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
