/**
 * Deliveries to Europass wallets: `POST /v1/deliveries` stores a pending delivery and queues it; a worker
 * (SQS Lambda `deliveries-worker.ts`, locally `functions/local/delivery-worker.ts`) makes the deposit attempts.
 *
 * What a wallet answer means (`../research/elm.md` §4.2): 2xx delivered; 409 — the wallet already holds a credential
 * with that `id` — delivered too (a retry after a lost answer ends here); 408, 429, 5xx, timeouts and connection
 * failures are retried with exponential backoff and full jitter; any other 4xx (not a sealed EDC, no such wallet) fails
 * with the wallet's reason, as does a destination the outbound guard refuses. After the last attempt the delivery
 * fails and its message goes to the dead-letter queue.
 *
 * Delivery is at least once and a worker may die anywhere: each attempt holds a lease on the delivery (one worker at
 * a time), every state change is conditional on that lease, and a duplicate or early message finds the delivery
 * leased or ended and is dropped. The queue message carries only the delivery id: the recipient's address stays in
 * the store, and leaves it when the delivery ends.
 */
import { createHash } from "node:crypto";
import { isRecord } from "../../../lib/guards.js";
import { GatewayError, isGatewayError, notFound, notYours, validationFailed } from "../../kernel/errors.js";
import type {
  AttemptOutcome,
  Clock,
  CredentialStore,
  DeliveryPayload,
  DeliveryRecord,
  DeliveryStore,
  IdGenerator,
  Queue,
  QueueMessage,
  WalletAnswer,
  WalletClient,
  WalletRecipient,
} from "../../kernel/ports/index.js";
import { assertClaimsNoOtherName } from "../issue/issuer-profile.js";
import type { Principal } from "../tokens/auth.js";

/** How long a delivery's record is kept (TTL). */
export const DELIVERY_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
/** Largest credential file a delivery carries: its store item holds at most 400 KB. */
export const MAX_DELIVERY_FILE_BYTES = 350_000;
/** SQS delays a message at most this long. */
const MAX_QUEUE_DELAY_SECONDS = 900;
/** How early a message may come and still be attempted (clocks of two workers differ a little). */
const EARLY_TOLERANCE_MS = 1_000;

/** The retry policy (from `WalletConfig`). */
export interface RetryPolicy {
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long an attempt holds the delivery: longer than a wallet call, shorter than the queue's visibility timeout. */
  leaseMs: number;
}

export interface CreateDeliveryDeps {
  deliveries: DeliveryStore;
  queue: Queue;
  clock: Clock;
  ids: IdGenerator;
  /**
   * Issuance records: a credential this gateway issued may only be delivered by its issuer; the issuers, to check the
   * issuer a credential names against the caller.
   */
  store: Pick<CredentialStore, "getIssuance" | "getIssuer" | "listIssuers" | "findIssuerByCertificate">;
  /** False when no wallet is configured: deliveries are refused up front rather than failing later. */
  walletConfigured: boolean;
}

export interface CreateDeliveryInput {
  credential?: Record<string, unknown>;
  credentialId?: string;
  recipient: WalletRecipient;
  sendEmail?: boolean;
  /**
   * A deterministic id (see {@link jobDeliveryId}) that makes creation idempotent: when a delivery with this id exists
   * already (a retried job chunk), no second one is made; the existing one's id is answered, and a pending one is
   * queued again (a duplicate message is harmless, a lost one would leave it stuck).
   */
  deliveryId?: string;
}

/**
 * The delivery id of one record of a job: the same job and row always give the same id (22 base64url characters,
 * like generated ids), so a chunk that is processed twice delivers each record once.
 */
export function jobDeliveryId(jobId: string, row: number): string {
  return createHash("sha256").update(`job-delivery:${jobId}:${row}`, "utf8").digest("base64url").slice(0, 22);
}

/** The queue message of a delivery: its id only. */
export interface DeliveryMessage {
  type: "delivery";
  id: string;
}

/** What `GET /v1/deliveries/{id}` shows. */
export interface DeliveryView {
  id: string;
  status: DeliveryRecord["status"];
  attempts: number;
  lastError: string | null;
  credentialId: string;
  recipient: DeliveryRecord["recipientKind"];
  createdAt: string;
  updatedAt: string;
  nextAttemptAt?: string;
  deadLettered?: boolean;
  note?: string;
}

export const sha256Hex = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

const walletMissing = () =>
  new GatewayError("upstream-failed", "no Europass wallet is configured on this gateway (GATEWAY_WALLET_URL)");

/**
 * The credential's `id` as the wallet will see it: the JSON-LD `id`, or the `id` of a JAdES envelope's payload (the
 * sealed EDC file the wallet takes). Undefined when there is none.
 */
export function credentialIdOf(credential: Record<string, unknown>): string | undefined {
  if (typeof credential.payload === "string" && Array.isArray(credential.signatures)) {
    try {
      const payload: unknown = JSON.parse(credential.payload);
      const id = (payload as Record<string, unknown> | null)?.id;
      return typeof id === "string" && id !== "" ? id : undefined;
    } catch {
      return undefined;
    }
  }
  return typeof credential.id === "string" && credential.id !== "" ? credential.id : undefined;
}

/** The owner of what a principal creates: its issuer, or `admin`. */
function ownerOf(principal: Principal): string {
  if (principal.role === "admin") return "admin";
  if (principal.role === "issuer" && principal.issuerId) return principal.issuerId;
  throw new GatewayError("forbidden", "deliveries are made by an issuer or the admin", [
    { pointer: "/headers/authorization", detail: "not an issuer token" },
  ]);
}

/** Checks the request and answers the file to deposit and the credential's id. */
async function deliverable(
  deps: CreateDeliveryDeps,
  principal: Principal,
  input: CreateDeliveryInput,
): Promise<{ file: string; credentialId: string }> {
  if (input.credential !== undefined && input.credentialId !== undefined) {
    throw validationFailed([{ pointer: "/body/credentialId", detail: "give either credential or credentialId" }]);
  }
  if (input.credentialId !== undefined) {
    const issued = await deps.store.getIssuance(input.credentialId);
    const mine =
      principal.role === "admin" || (principal.role === "issuer" && principal.issuerId === issued?.issuerSlug);
    if (!mine) throw notYours(`credential "${input.credentialId}"`, "/body/credentialId");
    if (!issued) throw notFound(`credential "${input.credentialId}"`, "/body/credentialId");
    // Issuance records keep a content hash, never the credential (no learner data at rest): there is nothing to send.
    throw new GatewayError(
      "unprocessable",
      "the gateway keeps no copy of the credentials it issues (only their hash): send the credential itself",
      [{ pointer: "/body/credentialId", detail: "send the issued credential in `credential` instead" }],
    );
  }
  if (input.credential === undefined) {
    throw validationFailed([{ pointer: "/body/credential", detail: "credential (or credentialId) is required" }]);
  }
  const credentialId = credentialIdOf(input.credential);
  if (credentialId === undefined) {
    throw validationFailed([
      {
        pointer: "/body/credential/id",
        detail: "the credential (or the payload of its seal) needs an `id`: the wallet refuses a second one by it",
      },
    ]);
  }
  const issued = await deps.store.getIssuance(credentialId);
  if (issued) checkIssuer(principal, issued.issuerSlug, "/body/credential/id");
  await checkNamedIssuer(deps, principal, input.credential);
  const file = JSON.stringify(input.credential);
  if (Buffer.byteLength(file, "utf8") > MAX_DELIVERY_FILE_BYTES) {
    throw new GatewayError("limit-exceeded", `a delivered credential is at most ${MAX_DELIVERY_FILE_BYTES} bytes`, [
      { pointer: "/body/credential", detail: `larger than ${MAX_DELIVERY_FILE_BYTES} bytes` },
    ]);
  }
  return { file, credentialId };
}

/** The UUID sealing appends to the issuer node's id (lower-case hex, RFC 9562 layout). */
const SEAL_ID_SUFFIX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function checkIssuer(principal: Principal, issuerSlug: string, pointer: string): void {
  if (principal.role === "admin" || (principal.role === "issuer" && principal.issuerId === issuerSlug)) return;
  throw new GatewayError("forbidden", "this credential was issued by another issuer", [
    { pointer, detail: "issued by another issuer" },
  ]);
}

/** The credential a delivery carries, unwrapped from its JAdES envelope; and the envelope's signing certificate. */
function sealedParts(credential: Record<string, unknown>): { doc: Record<string, unknown>; leaf?: string } {
  if (typeof credential.payload !== "string" || !Array.isArray(credential.signatures)) return { doc: credential };
  let doc: Record<string, unknown> = {};
  let leaf: string | undefined;
  try {
    const payload: unknown = JSON.parse(credential.payload);
    if (isRecord(payload)) doc = payload;
    const first: unknown = credential.signatures[0];
    if (isRecord(first) && typeof first.protected === "string") {
      const header: unknown = JSON.parse(Buffer.from(first.protected, "base64url").toString("utf8"));
      const x5c = isRecord(header) ? header.x5c : undefined;
      if (Array.isArray(x5c) && typeof x5c[0] === "string") leaf = x5c[0];
    }
  } catch {
    // An envelope that does not decode names no issuer to check; the wallet refuses it on delivery.
  }
  return { doc, ...(leaf ? { leaf } : {}) };
}

/**
 * The issuer a delivered credential names must be the caller's: an issuer token delivers its own credentials only,
 * never one naming another DID (signed or not), another registered issuer's name, or sealed with another registered
 * issuer's certificate. The admin delivers any.
 */
async function checkNamedIssuer(
  deps: CreateDeliveryDeps,
  principal: Principal,
  credential: Record<string, unknown>,
): Promise<void> {
  if (principal.role === "admin") return;
  const pointer = "/body/credential/issuer";
  const caller = principal.issuerId === undefined ? undefined : await deps.store.getIssuer(principal.issuerId);
  const notYours = () =>
    new GatewayError("forbidden", "the credential names another issuer than this token's", [
      { pointer, detail: "not this token's issuer" },
    ]);
  if (!caller) throw notYours();
  const { doc, leaf } = sealedParts(credential);
  let sealedByCaller = false;
  if (leaf !== undefined) {
    const sealer = await deps.store.findIssuerByCertificate(leaf);
    if (sealer && sealer.slug !== caller.slug) throw notYours();
    sealedByCaller = sealer?.slug === caller.slug;
  }
  const issuer = doc.issuer;
  const ref = typeof issuer === "string" ? issuer : isRecord(issuer) ? issuer.id : undefined;
  // A DID names its issuer; ELM issuer nodes are named by other URIs, and their seal says who issued them. Sealing
  // appends a UUID to the issuer node's id, as EDC does (mappings/elm/seal.ts): under the caller's own seal, its DID
  // with that suffix is still the caller.
  const ownSealedId = (id: string) =>
    sealedByCaller && id.startsWith(caller.id) && SEAL_ID_SUFFIX.test(id.slice(caller.id.length));
  if (typeof ref === "string" && ref.startsWith("did:") && ref !== caller.id && !ownSealedId(ref)) throw notYours();
  try {
    await assertClaimsNoOtherName(deps.store, caller, issuer);
  } catch (error) {
    if (isGatewayError(error)) throw notYours();
    throw error;
  }
}

function recipientOf(input: CreateDeliveryInput): { recipient: WalletRecipient; address: string } {
  const r = input.recipient as Record<string, unknown>;
  if (typeof r.email === "string") return { recipient: { email: r.email }, address: r.email.toLowerCase() };
  if (typeof r.walletId === "string") {
    // "." and ".." are refused too: as a URL path segment they climb out of `/wallets/` on the wallet host.
    if (r.walletId.length > 200 || /[/?#\s]/.test(r.walletId) || /^\.{1,2}$/.test(r.walletId)) {
      throw validationFailed([
        { pointer: "/body/recipient/walletId", detail: "a wallet id (the part after the last `/` of its address)" },
      ]);
    }
    return { recipient: { walletId: r.walletId }, address: r.walletId };
  }
  throw validationFailed([{ pointer: "/body/recipient", detail: "needs email or walletId" }]);
}

/**
 * Stores a pending delivery and queues its first attempt; answers its id. A delivery that cannot be queued is
 * marked failed (with the reason) before the error is reported, so none stays pending with nothing to move it.
 */
export async function createDelivery(
  deps: CreateDeliveryDeps,
  principal: Principal,
  input: CreateDeliveryInput,
): Promise<{ id: string }> {
  const owner = ownerOf(principal);
  const { recipient, address } = recipientOf(input);
  const { file, credentialId } = await deliverable(deps, principal, input);
  if (!deps.walletConfigured) throw walletMissing();
  const now = deps.clock.now();
  const record: DeliveryRecord = {
    id: input.deliveryId ?? deps.ids.newId(),
    owner,
    status: "pending",
    attempts: 0,
    credentialId,
    recipientKind: "email" in recipient ? "email" : "walletId",
    recipientHash: sha256Hex(address),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    nextAttemptAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + DELIVERY_RETENTION_MS).toISOString(),
  };
  const payload: DeliveryPayload = { recipient, credential: file, sendEmail: input.sendEmail ?? true };
  const message: DeliveryMessage = { type: "delivery", id: record.id };
  try {
    await deps.deliveries.createDelivery(record, payload);
  } catch (error) {
    if (input.deliveryId === undefined || !isGatewayError(error) || error.code !== "conflict") throw error;
    return existingDelivery(deps, owner, message);
  }
  try {
    await deps.queue.send(message);
  } catch (error) {
    const token = deps.ids.newId();
    const at = deps.clock.now().toISOString();
    const claimed = await deps.deliveries.claimAttempt(record.id, { token, now: at, until: at });
    if (claimed) {
      await deps.deliveries.finishAttempt(record.id, token, {
        status: "failed",
        at,
        lastError: "the delivery could not be queued",
        deadLettered: false,
      });
    }
    throw error;
  }
  return { id: record.id };
}

/**
 * The answer to an idempotent creation whose delivery exists: its id, after queueing it again when still pending
 * (the first try may have stopped between storing and queueing it). Another owner's delivery is a conflict.
 */
async function existingDelivery(
  deps: CreateDeliveryDeps,
  owner: string,
  message: DeliveryMessage,
): Promise<{ id: string }> {
  const existing = await deps.deliveries.getDelivery(message.id);
  if (!existing || existing.owner !== owner) {
    throw new GatewayError("conflict", `delivery "${message.id}" exists for another caller`);
  }
  if (existing.status === "pending") await deps.queue.send(message);
  return { id: existing.id };
}

/** A delivery its caller may read: the admin any, an issuer its own; 403 otherwise, for an unknown id too. */
export async function readableDelivery(
  deps: { deliveries: DeliveryStore },
  principal: Principal,
  id: string,
): Promise<DeliveryRecord> {
  const record = await deps.deliveries.getDelivery(id);
  const mine = principal.role === "admin" || (principal.role === "issuer" && principal.issuerId === record?.owner);
  if (!mine) throw notYours(`delivery "${id}"`, "/path/id");
  if (!record) throw notFound(`delivery "${id}"`, "/path/id");
  return record;
}

export function deliveryView(record: DeliveryRecord): DeliveryView {
  return {
    id: record.id,
    status: record.status,
    attempts: record.attempts,
    lastError: record.lastError ?? null,
    credentialId: record.credentialId,
    recipient: record.recipientKind,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.status === "pending" && record.nextAttemptAt ? { nextAttemptAt: record.nextAttemptAt } : {}),
    ...(record.deadLettered ? { deadLettered: true } : {}),
    ...(record.note ? { note: record.note } : {}),
  };
}

/** How a wallet answer is treated. */
export type AnswerClass = { kind: "delivered"; note?: string } | { kind: "retry" | "fail"; reason: string };

/** The policy of the module comment, as one pure function. */
export function classifyAnswer(answer: WalletAnswer): AnswerClass {
  if (answer.kind === "refused") return { kind: "fail", reason: `the wallet may not be called: ${answer.detail}` };
  if (answer.kind !== "answered") {
    const what = answer.kind === "timeout" ? "did not answer in time" : "could not be reached";
    return { kind: "retry", reason: `the wallet ${what} (${answer.detail})` };
  }
  const { status, detail } = answer;
  const said = detail ? `: ${detail}` : "";
  if (status >= 200 && status < 300) return { kind: "delivered" };
  if (status === 409) return { kind: "delivered", note: "the wallet already held this credential (409)" };
  if (status === 408 || status === 429 || status >= 500) {
    return { kind: "retry", reason: `the wallet answered ${status}${said}` };
  }
  return { kind: "fail", reason: `the wallet refused the credential (${status})${said}` };
}

/**
 * The wait before the attempt after `attempts` failed ones: a uniformly random time up to
 * `min(retryMaxMs, retryBaseMs * 2^(attempts-1))` ("full jitter", which spreads retries of a wallet outage apart).
 */
export function backoffMs(attempts: number, policy: Pick<RetryPolicy, "retryBaseMs" | "retryMaxMs">, random: number) {
  const ceiling = Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.floor(random * ceiling);
}

export interface DeliveryWorkerDeps {
  deliveries: DeliveryStore;
  wallet: WalletClient;
  queue: Queue;
  /** Where a delivery's message goes after its last attempt (the deliveries DLQ). */
  deadLetters?: Queue;
  clock: Clock;
  ids: IdGenerator;
  policy: RetryPolicy;
  /** Uniform [0, 1) source for the jitter (tests pass a fixed one). Default Math.random. */
  random?: () => number;
}

/**
 * `delivered` / `failed`: ended now; `retry`: another attempt is queued; `deferred`: another worker holds the
 * delivery, the message is queued again for when its lease ends; `skipped`: nothing to do (ended before, or
 * unknown) — in every case the message may be acknowledged.
 */
export type AttemptResult = "delivered" | "failed" | "retry" | "deferred" | "skipped";

function isDeliveryMessage(body: unknown): body is DeliveryMessage {
  if (typeof body !== "object" || body === null) return false;
  const { type, id } = body as Record<string, unknown>;
  return type === "delivery" && typeof id === "string" && id !== "";
}

/**
 * Makes one deposit attempt for a queued delivery. Resolves when the message may be acknowledged; rejects (store or
 * queue failure) when it must come back, which a lease left behind does not block for longer than the lease.
 */
export async function processDeliveryMessage(deps: DeliveryWorkerDeps, message: QueueMessage): Promise<AttemptResult> {
  if (!isDeliveryMessage(message.body)) return "skipped";
  const { id } = message.body;
  const started = deps.clock.now();
  // A message that comes before the delivery's next attempt is due (SQS hands a message out again now and then, and
  // a deferred duplicate outlives the attempt it waited for) goes back to the queue for then: claiming now would
  // skip the backoff and spend an attempt early.
  const current = await deps.deliveries.getDelivery(id);
  if (current?.status !== "pending") return "skipped";
  const dueMs = current.nextAttemptAt ? Date.parse(current.nextAttemptAt) : started.getTime();
  if (!current.leaseUntil && dueMs - started.getTime() > EARLY_TOLERANCE_MS) {
    const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil((dueMs - started.getTime()) / 1000));
    await deps.queue.send({ type: "delivery", id } satisfies DeliveryMessage, { delaySeconds });
    return "deferred";
  }
  const token = deps.ids.newId();
  const claimed = await deps.deliveries.claimAttempt(id, {
    token,
    now: started.toISOString(),
    until: new Date(started.getTime() + deps.policy.leaseMs).toISOString(),
  });
  if (!claimed) return deferIfLeased(deps, id);
  const { record, payload } = claimed;
  const answer = await deps.wallet.deposit(payload.recipient, payload.credential, payload.sendEmail);
  const verdict = classifyAnswer(answer);
  const at = deps.clock.now();
  let outcome: AttemptOutcome;
  if (verdict.kind === "delivered") {
    outcome = { status: "delivered", at: at.toISOString(), ...(verdict.note ? { note: verdict.note } : {}) };
  } else if (verdict.kind === "fail") {
    outcome = { status: "failed", at: at.toISOString(), lastError: verdict.reason, deadLettered: false };
  } else if (record.attempts >= deps.policy.maxAttempts) {
    const lastError = `${verdict.reason}; gave up after ${record.attempts} attempts`;
    // The dead-letter queue first: a crash before the store write repeats the attempt, never loses the letter.
    await deps.deadLetters?.send({ type: "delivery", id, lastError } satisfies DeliveryMessage & { lastError: string });
    outcome = { status: "failed", at: at.toISOString(), lastError, deadLettered: true };
  } else {
    const waitMs = backoffMs(record.attempts, deps.policy, (deps.random ?? Math.random)());
    const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.round(waitMs / 1000));
    const nextAttemptAt = new Date(at.getTime() + delaySeconds * 1000).toISOString();
    if (
      !(await deps.deliveries.finishAttempt(id, token, {
        status: "pending",
        at: at.toISOString(),
        lastError: verdict.reason,
        nextAttemptAt,
      }))
    ) {
      return "skipped";
    }
    await deps.queue.send({ type: "delivery", id } satisfies DeliveryMessage, { delaySeconds });
    return "retry";
  }
  return (await deps.deliveries.finishAttempt(id, token, outcome))
    ? (outcome.status as "delivered" | "failed")
    : "skipped";
}

/**
 * A message that finds its delivery leased by an attempt in progress comes back once that lease ends, rather than
 * being dropped: the worker holding the lease may die before it queues the next attempt (its message, delivered again
 * to this worker, was the only one). A duplicate it makes finds the delivery ended or leased and ends the same way;
 * attempts stay bounded by `maxAttempts` whatever the number of messages.
 */
async function deferIfLeased(deps: DeliveryWorkerDeps, id: string): Promise<AttemptResult> {
  const record = await deps.deliveries.getDelivery(id);
  const now = deps.clock.now().getTime();
  if (record?.status !== "pending" || !record.leaseUntil || Date.parse(record.leaseUntil) <= now) return "skipped";
  const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil((Date.parse(record.leaseUntil) - now) / 1000) + 1);
  await deps.queue.send({ type: "delivery", id } satisfies DeliveryMessage, { delaySeconds });
  return "deferred";
}

/**
 * Queues again every pending delivery, each when its next attempt is due (or its lease ends): local mode calls this
 * at start, because its in-process queue did not survive the restart. A duplicate of a message still queued is
 * harmless (the lease and the ended state drop it). Answers how many were queued.
 */
export async function requeuePending(deps: { deliveries: DeliveryStore; queue: Queue; clock: Clock }): Promise<number> {
  let cursor: string | undefined;
  let count = 0;
  do {
    const page = await deps.deliveries.listPending({ limit: 500, ...(cursor ? { cursor } : {}) });
    const now = deps.clock.now().getTime();
    for (const record of page.items) {
      const due = Math.max(
        record.nextAttemptAt ? Date.parse(record.nextAttemptAt) : now,
        record.leaseUntil ? Date.parse(record.leaseUntil) + 1000 : now,
      );
      const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.ceil((due - now) / 1000)));
      await deps.queue.send({ type: "delivery", id: record.id } satisfies DeliveryMessage, { delaySeconds });
      count += 1;
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
  return count;
}
