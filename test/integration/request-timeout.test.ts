import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDynalite } from "../support/dynalite.js";
import { type RegisteredIssuer, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";

// A request that runs out of time is answered 503 at once, and its work stops: a counter of the store reads (or
// registry lookups) the use case makes stops advancing when the answer is sent. Before, the work went on for seconds
// after the answer (a presentation of 2,500 credentials: 15 s).
const TIMEOUT_MS = 1_500;
/** Rows of the checked spreadsheet, each naming another awarding body. */
const ROWS = 10_000;
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let issuer: RegisteredIssuer;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: {
      GATEWAY_MAX_BODY_BYTES: String(5 * 1024 * 1024),
      GATEWAY_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS),
      // Budgets large enough that the time budget, not the counted one, is what stops these requests.
      GATEWAY_MAX_PRESENTATION_CREDENTIALS: "5000",
      GATEWAY_MAX_REGISTRY_LOOKUPS: "100000",
      GATEWAY_MAX_SYNC_ROWS: String(ROWS),
    },
  });
  issuer = await registerIssuer(gw, { name: "Timeout University", country: "IE" });
  // The use cases load on their route's first request: loaded before, so that the budget is spent on the work.
  const vp = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    type: ["VerifiablePresentation"],
    verifiableCredential: [credentialOf(issuer.id)],
  };
  await gw.call("POST", "/presentations/verify", { json: { verifiablePresentation: vp } });
  await gw.call("POST", "/v1/check", { json: { document: "given_name,family_name\nAda,Example" } });
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

const credentialOf = (issuerId: string) => ({
  "@context": ["https://www.w3.org/ns/credentials/v2"],
  type: ["VerifiableCredential"],
  issuer: issuerId,
  validFrom: "2024-01-01T00:00:00Z",
  credentialSubject: { id: "did:example:learner" },
});

/** Counts calls of `object[method]` while `run` runs and for `afterMs` after it; the counts at the answer and after. */
async function counted<T extends object, K extends keyof T>(
  object: T,
  method: K,
  run: () => Promise<{ status: number; text: string; json: unknown }>,
  afterMs = 1_500,
) {
  const original = object[method] as unknown as (...args: unknown[]) => unknown;
  let calls = 0;
  (object as Record<K, unknown>)[method] = (...args: unknown[]) => {
    calls++;
    return original.apply(object, args);
  };
  try {
    const t0 = performance.now();
    const res = await run();
    const ms = performance.now() - t0;
    const atAnswer = calls;
    await new Promise((r) => setTimeout(r, afterMs));
    return { res, ms, atAnswer, later: calls };
  } finally {
    (object as Record<K, unknown>)[method] = original as unknown as T[K];
  }
}

describe("a request out of time stops its work", () => {
  it("presentation verification: 503 at the budget, and no credential verified after the answer", async () => {
    const credential = credentialOf(issuer.id);
    const vp = {
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      type: ["VerifiablePresentation"],
      verifiableCredential: Array.from({ length: 2_500 }, () => credential),
    };
    // Each credential naming a registered issuer is looked up in the store: the count of the work done.
    const { res, ms, atAnswer, later } = await counted(gw.deps.store, "getIssuer", () =>
      gw.call("POST", "/presentations/verify", { json: { verifiablePresentation: vp } }),
    );

    expect(res.status, res.text.slice(0, 300)).toBe(503);
    expect((res.json as { code: string }).code).toBe("timed-out");
    expect(ms).toBeLessThan(TIMEOUT_MS + 1_000);
    expect(atAnswer, JSON.stringify({ ms, atAnswer, later })).toBeGreaterThan(0);
    expect(atAnswer).toBeLessThan(2_500);
    // At most the credential being verified when the time ran out.
    expect(later - atAnswer).toBeLessThanOrEqual(2);
  });

  it("check: 503 at the budget, and no registry lookup after the answer", async () => {
    // Many more rows than the budget can look up (a check of 1,000 rows came to fit within it as the check got faster).
    const rows = Array.from(
      { length: ROWS },
      (_, i) => `Ada${i},Example,ada${i}@example.org,Intro to CAD,5,6,online,University number ${i},IE,2025-01-31`,
    );
    const document = [
      "given_name,family_name,email,title,ects,eqf_level,mode,awarding_body,awarding_body_country,issued",
      ...rows,
    ].join("\n");
    // Every row names another awarding body: one registry lookup each (the cache does not help).
    const { res, atAnswer, later } = await counted(gw.deps.registry, "findInstitutions", () =>
      gw.call("POST", "/v1/check", { json: { document } }),
    );

    expect(res.status, res.text.slice(0, 300)).toBe(503);
    expect(atAnswer).toBeLessThan(ROWS);
    // The rows in flight (the check looks up eight at a time) end; no new one starts.
    expect(later - atAnswer).toBeLessThanOrEqual(8 * 3);
    expect(later).toBeLessThan(ROWS);
  });
});
