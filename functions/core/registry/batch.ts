/**
 * Registry batches: a national body posts a batch of records (ELMO files, a CSV with a column profile,
 * legacy Europass XML) as a bulk job (`POST /v1/jobs` with `options.issue` / `options.deliver`) that converts each
 * record, optionally issues it under the body's issuer, and optionally delivers it to the learner's Europass wallet.
 * Each record's result says what was converted, issued and delivered, or why not (`outcome`). These are the hooks the
 * jobs pipeline calls: reading the batch settings, picking a record's recipient, and finishing a record in the worker.
 */
import type { CanonicalCredential } from "../../../mappings/model.js";
import { GatewayError, isGatewayError } from "../../kernel/errors.js";
import type { JobBatch, JobRecord, JobResult, JobRow, RecordOutcome } from "../../kernel/ports/index.js";
import { type CreateDeliveryDeps, createDelivery, jobDeliveryId } from "../deliveries/deliveries.js";

/** Deposits one issued credential in a learner's wallet; answers the delivery's id (deliveries retry on their own). */
export type DeliverRecord = (input: {
  /** The job and row the record is: a retried chunk delivers it again under the same delivery id. */
  jobId: string;
  row: number;
  issuerSlug: string;
  credential: Record<string, unknown>;
  email: string;
  sendEmail: boolean;
}) => Promise<{ id: string }>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The batch settings of a job's options, or undefined for a plain job (every row issued, nothing delivered). Refuses a
 * delivery without issuance, or of another format than ELM: a Europass wallet takes sealed EDC credentials only.
 */
export function batchOf(
  options: { issue?: unknown; deliver?: unknown; sendEmail?: unknown },
  format: "ob3" | "elm" | "sd-jwt-vc",
): JobBatch | undefined {
  const { issue, deliver, sendEmail } = options;
  if (issue === undefined && deliver === undefined && sendEmail === undefined) return undefined;
  for (const [name, value] of Object.entries({ issue, deliver, sendEmail })) {
    if (value !== undefined && typeof value !== "boolean") {
      throw new GatewayError("validation-failed", `options.${name} must be a boolean`, [
        { pointer: `/body/options/${name}`, detail: "must be a boolean" },
      ]);
    }
  }
  if (deliver === true && issue === false) {
    throw new GatewayError("validation-failed", "a batch that delivers must issue: wallets take sealed credentials", [
      { pointer: "/body/options/deliver", detail: "needs issue: true" },
    ]);
  }
  if (deliver === true && format !== "elm") {
    throw new GatewayError(
      "validation-failed",
      "Europass wallets take sealed EDC (ELM) credentials: deliver needs format elm",
      [{ pointer: "/body/options/format", detail: "must be elm when deliver is true" }],
    );
  }
  return {
    issue: issue !== false,
    deliver: deliver === true,
    ...(typeof sendEmail === "boolean" ? { sendEmail } : {}),
  };
}

/** The learner's e-mail address a record gives (the first valid one), for its delivery. */
export function recipientOf(credential: CanonicalCredential): string | undefined {
  return credential.learner.emails.map((e) => e.trim().replace(/^mailto:/i, "")).find((e) => EMAIL.test(e));
}

/** Errors that are the record's own fault (its delivery is refused for good), as opposed to an outage to retry. */
const RECORD_ERRORS = new Set(["validation-failed", "unprocessable", "forbidden", "not-found", "upstream-failed"]);

/**
 * Finishes one record of a registry batch in the worker: converted already (the chunk holds the converted record);
 * then issued through `issue` (the worker's own issuance, idempotent per row) when the batch asks for it; then
 * delivered when it asks for that. Throws only for failures that are not the record's (the chunk is retried).
 */
export async function finishBatchRecord(
  job: JobRecord & { batch: JobBatch },
  row: JobRow,
  issue: () => Promise<JobResult>,
  deliver?: DeliverRecord,
): Promise<JobResult> {
  if (!job.batch.issue) {
    return { row: row.row, credential: row.credential, outcome: { converted: true, issued: false } };
  }
  const issued = await issue();
  if ("error" in issued) {
    return { ...issued, outcome: { converted: true, issued: false, reason: `not issued: ${issued.error.message}` } };
  }
  if (!("verifiableCredential" in issued)) return issued;
  if (!job.batch.deliver) return { ...issued, outcome: { converted: true, issued: true } };
  const notDelivered = (reason: string): JobResult => ({
    ...issued,
    outcome: { converted: true, issued: true, delivered: false, reason },
  });
  if (!row.recipient) return notDelivered("not delivered: the record gives no e-mail address of the learner");
  if (!deliver) return notDelivered("not delivered: this gateway has no Europass wallet configured");
  try {
    const { id } = await deliver({
      jobId: job.id,
      row: row.row,
      issuerSlug: job.issuerSlug,
      credential: issued.verifiableCredential as Record<string, unknown>,
      email: row.recipient,
      sendEmail: job.batch.sendEmail ?? true,
    });
    const outcome: RecordOutcome = { converted: true, issued: true, delivered: true, deliveryId: id };
    return { ...issued, outcome };
  } catch (error) {
    if (isGatewayError(error) && RECORD_ERRORS.has(error.code)) return notDelivered(`not delivered: ${error.message}`);
    throw error;
  }
}

/**
 * A {@link DeliverRecord} over the deliveries use case: the record is deposited as its job's issuer would, under a
 * delivery id derived from the job and row and created only if absent, so a redelivered chunk (the queue delivers at
 * least once) never makes a second delivery of a record.
 */
export function deliverRecordWith(deps: CreateDeliveryDeps): DeliverRecord {
  return ({ jobId, row, issuerSlug, credential, email, sendEmail }) =>
    createDelivery(
      deps,
      { role: "issuer", issuerId: issuerSlug },
      { credential, recipient: { email }, sendEmail, deliveryId: jobDeliveryId(jobId, row) },
    );
}
