import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTES, type RouteSpec, routeKey } from "../../functions/http/contract.js";
import { startDynalite } from "../support/dynalite.js";
import {
  ADMIN_TOKEN,
  type CallResult,
  emulatorDocumentClient,
  type RegisteredIssuer,
  registerIssuer,
  startTestGateway,
  type TestGateway,
} from "../support/gateway.js";
import { canaryEntry, HOSTILE_ENTRIES, type HostileEntry } from "./manifest.js";

// Every entry of the hostile corpus, posted to every route that accepts it: a 4xx problem+json (or, where the
// manifest says so, a harmless 2xx / "not verified" result), never a 5xx, in bounded time and memory, with the
// gateway healthy afterwards. Times and memory are measured and printed, not asserted (except a generous hang guard).

/** A request that takes longer than this is a hang, not a slow answer. */
const HANG_GUARD_MS = 20_000;
/** Resident memory may not grow by more than this over one request (the bombs would need gigabytes). */
const MEMORY_GUARD_BYTES = 768 * 1024 * 1024;

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let owner: RegisteredIssuer;
let canary: Server;
let canaryHits = 0;
let entries: HostileEntry[];
let scanner: DynamoDBDocumentClient;
/** A credential issued before the corpus: it must still verify after it. */
let issuedBefore: unknown;
const measured: { entry: string; route: string; status: number; ms: number; rssMiB: number }[] = [];

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    // 2 MiB: room for the entry-count and value-count floods, which must meet their own limits, not the body's.
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) },
  });
  owner = await registerIssuer(gw, { name: "Hostile Corpus University", country: "IE" });
  scanner = emulatorDocumentClient(db.endpoint);
  const issued = await gw.call("POST", "/v1/credentials/issue", {
    token: owner.token,
    json: {
      credential: {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        type: ["VerifiableCredential"],
        credentialSubject: { id: "did:example:learner" },
      },
      options: { issuer: owner.id },
    },
  });
  expect(issued.status, issued.text).toBe(201);
  issuedBefore = issued.json?.verifiableCredential;
  canary = createServer((_req, res) => {
    canaryHits++;
    res.writeHead(200, { "content-type": "application/ld+json" }).end('{"@context":{}}');
  });
  await new Promise<void>((ok) => canary.listen(0, "127.0.0.1", () => ok()));
  entries = [...HOSTILE_ENTRIES, canaryEntry(`http://127.0.0.1:${(canary.address() as AddressInfo).port}`)];
});

afterAll(async () => {
  if (measured.length > 0) {
    const worst = [...measured].sort((a, b) => b.ms - a.ms).slice(0, 5);
    console.info(
      `hostile corpus: ${measured.length} requests, ${measured.filter((m) => m.status >= 500).length} 5xx; ` +
        `slowest ${worst.map((m) => `${m.entry} → ${m.route}: ${m.ms} ms`).join("; ")}; ` +
        `largest RSS growth ${Math.max(...measured.map((m) => m.rssMiB))} MiB`,
    );
  }
  canary?.close();
  await gw?.close();
  await db?.stop();
});

type Slot = (document: unknown, from: string | undefined) => Record<string, unknown> | undefined;

/** Where each route takes a credential document. Routes with a body and no slot get the raw entries only. */
const DOCUMENT_SLOTS: Record<string, Slot> = {
  convert: (document, from) => ({ to: "ob3", document, ...(from ? { from } : {}) }),
  check: (document, from) => ({ document, ...(from ? { from } : {}) }),
  issueCredential: (credential) => ({ credential, options: { issuer: owner.id } }),
  issueCredentialVcApi: (credential) => ({ credential, options: { issuer: owner.id } }),
  verifyCredential: (verifiableCredential) => ({ verifiableCredential }),
  verifyCredentialVcApi: (verifiableCredential) => ({ verifiableCredential }),
  verifyPresentation: (verifiablePresentation) => ({ verifiablePresentation }),
  createJob: (document, from) => ({ from: from ?? "csv", document, options: { issuer: owner.id, format: "ob3" } }),
};

const VERIFY_ROUTES = new Set(["verifyCredential", "verifyCredentialVcApi", "verifyPresentation"]);

/** Routes that take a body and answer (planned routes answer 501 by design until implemented). */
const bodyRoutes = (): RouteSpec[] => ROUTES.filter((r) => r.body && !r.plannedIn);

const tokenFor = (route: RouteSpec): string | undefined =>
  route.access === "issuer" ? owner.token : route.access === "public" ? undefined : ADMIN_TOKEN;

/** Fills a route's path parameters with the owner's resources (or a probe id). */
const pathOf = (route: RouteSpec): string =>
  route.path
    .replace("{id}", route.path.startsWith("/v1/issuers") ? owner.slug : "probe-id")
    .replace(/\{[^}]+\}/g, "probe");

async function timed(entry: HostileEntry, route: RouteSpec, send: () => Promise<CallResult>): Promise<CallResult> {
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const res = await Promise.race([
    send(),
    new Promise<never>((_, fail) =>
      setTimeout(() => fail(new Error(`hang guard: ${entry.id} → ${routeKey(route)}`)), HANG_GUARD_MS),
    ),
  ]);
  const ms = Math.round(performance.now() - t0);
  const rssGrowth = process.memoryUsage().rss - rss0;
  measured.push({
    entry: entry.id,
    route: routeKey(route),
    status: res.status,
    ms,
    rssMiB: Math.round(rssGrowth / 2 ** 20),
  });
  expect(rssGrowth, `${entry.id} → ${routeKey(route)} memory`).toBeLessThan(MEMORY_GUARD_BYTES);
  return res;
}

/** The outcome the manifest allows for an entry on a route. */
function assessOutcome(entry: HostileEntry, route: RouteSpec, res: CallResult): void {
  const where = `${entry.id} → ${routeKey(route)}: ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, where).toBeLessThan(500);
  if (VERIFY_ROUTES.has(route.operationId) && res.json?.verified === false) return;
  if (entry.expect === "problem-or-inert" && res.status < 300) {
    if (entry.id === "formula-injection" && route.operationId === "convert") {
      // Carried as the literal text it is: never evaluated (no "2" where "=1+1" was).
      expect(res.text, where).toContain("=1+1");
    }
    return;
  }
  expect(res.status, where).toBeGreaterThanOrEqual(400);
  // OAuth-style routes (OpenID4VCI) serve the problem members plus OAuth's `error` as application/json.
  const oauth = "oauthErrors" in route && route.oauthErrors !== undefined;
  // (Errors of the HTTP front, such as 413 before any function runs, are problem+json there too.)
  const types = oauth ? ["application/json", "application/problem+json"] : ["application/problem+json"];
  expect(types, where).toContain(res.headers.get("content-type"));
  expect(res.json, where).toMatchObject({ status: res.status, code: expect.any(String), type: expect.any(String) });
  // `*`: every route that reads the body as JSON (a route taking another media type refuses it as that first).
  const names = entry.names?.[route.operationId] ?? (res.status === 415 ? undefined : entry.names?.["*"]);
  if (names !== undefined) expect(res.text, `${where}: names ${names}`).toContain(names);
}

/** Items in the gateway's table: what a hostile request could delete or overwrite. */
async function storedItems(): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await scanner.send(
      new ScanCommand({ TableName: gw.deps.config.tableName, Select: "COUNT", ExclusiveStartKey: start }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

describe("the hostile corpus", () => {
  it("has a manifest entry with a description for every file in test/hostile/corpus", async () => {
    // Prepare
    const { readdirSync } = await import("node:fs");
    const files = readdirSync(new URL("./corpus/", import.meta.url));

    // Act
    const described = new Set(HOSTILE_ENTRIES.flatMap((e) => (e.file ? [e.file] : [])));

    // Assess
    expect(files.filter((f) => !described.has(f))).toEqual([]);
    for (const e of HOSTILE_ENTRIES) expect(e.what.length, e.id).toBeGreaterThan(20);
  });

  it("is answered on every route that takes it with 4xx problem+json (or a harmless result), never a 5xx", async () => {
    let stored = await storedItems();
    for (const entry of entries) {
      for (const route of bodyRoutes()) {
        const token = tokenFor(route);
        if (entry.delivery.kind === "raw") {
          const body = entry.delivery.body();
          const res = await timed(entry, route, () =>
            gw.call(route.method, pathOf(route), {
              ...(token ? { token } : {}),
              body,
              headers: { "content-type": "application/json" },
            }),
          );
          assessOutcome(entry, route, res);
          continue;
        }
        const slot = DOCUMENT_SLOTS[route.operationId];
        if (!slot) continue;
        const json = slot(entry.delivery.value(), entry.delivery.from);
        const res = await timed(entry, route, () =>
          gw.call(route.method, pathOf(route), { ...(token ? { token } : {}), json }),
        );
        assessOutcome(entry, route, res);
      }
      // Nothing already stored is lost: a hostile entry may at most add (a harmless issuance), never remove.
      const now = await storedItems();
      expect(now, `${entry.id}: items stored`).toBeGreaterThanOrEqual(stored);
      stored = now;
    }
    expect(measured.length).toBeGreaterThan(entries.length);
  }, 600_000);

  it("never fetches a JSON-LD context from an address a document names", () => {
    // Assess (after the corpus ran): the loopback canary was never asked for its context.
    expect(canaryHits).toBe(0);
  });

  it("loses nothing stored: the credential issued before the corpus still verifies, its issuer still answers", async () => {
    const verified = await gw.call("POST", "/v1/credentials/verify", { json: { verifiableCredential: issuedBefore } });
    expect(verified.json?.verified, verified.text.slice(0, 400)).toBe(true);
    expect((await gw.call("GET", `/v1/issuers/${owner.slug}`, { token: owner.token })).status).toBe(200);
  });

  it("stays healthy: /health answers 200 after the whole corpus", async () => {
    // Act
    const res = await gw.call("GET", "/health");

    // Assess
    expect(res.status).toBe(200);
  });
});
