/**
 * Bulk jobs: a document of many credentials (a spreadsheet, an ELMO file with several reports...) is read row by row,
 * each row written as an unsigned credential in the target format, and the rows stored in chunks of at most
 * `chunkRows` (and `MAX_CHUNK_BYTES`); one queue message per chunk lets workers issue them (`worker.ts`). Rows that
 * cannot be read are error results from the start. Progress is counted on the job item with atomic updates; results
 * are listed in input order.
 *
 * This module holds the two requests that start a job (`POST /v1/jobs`, `POST /v1/jobs/{id}/start`). Beside it:
 * `rows.ts` reads an input row by row, `chunks.ts` writes the rows into stored chunks, `queueing.ts` sends the
 * messages (and fails a job that cannot go on), `read-upload.ts` is a worker's reading of an uploaded input,
 * `view.ts` what callers see, `model.ts` the types they share, `worker.ts` the issuance of a chunk.
 *
 * The written credential is stored, not re-derived by the worker: the request a worker makes for a row is then the
 * same on every attempt, which is what lets the row's Idempotency-Key replay an issuance instead of refusing it.
 */
import type { SpreadsheetMapping } from "../../../mappings/model.js";
import { WRITERS } from "../../../mappings/registry.js";
import { conflict, GatewayError } from "../../kernel/errors.js";
import type { IssuerRecord, UploadTarget } from "../../kernel/ports/index.js";
import { DEFAULT_WORK_BUDGET } from "../../kernel/work-budget.js";
import { resolveIssuerRef } from "../issue/issuer-ref.js";
import { batchOf } from "../registry/batch.js";
import type { Principal } from "../tokens/auth.js";
import { splitRows } from "./chunks.js";
import {
  type CreateJobInput,
  JOB_RETENTION_MS,
  type JobDeps,
  type JobFormat,
  type ReadMessage,
  rowFormatOf,
} from "./model.js";
import { queueChunks, sendOrFail } from "./queueing.js";
import { DEFAULT_MAX_UPLOAD_BYTES } from "./read-upload.js";
import { type MappingSink, readRows, withinInlineRows } from "./rows.js";
import { readableJob } from "./view.js";

/** The issuer the job names, checked against the caller as issuance checks it. */
export function resolveJobIssuer(deps: JobDeps, principal: Principal, ref: string): Promise<IssuerRecord> {
  return resolveIssuerRef(deps, principal, ref, "/body/options/issuer");
}

/** How long a pre-signed upload URL is valid. */
export const UPLOAD_URL_SECONDS = 15 * 60;

/** The content type an upload is signed for (the client sends it as it is; the format is the job's `from`). */
export const UPLOAD_CONTENT_TYPE = "application/octet-stream";

/**
 * `POST /v1/jobs`: with a `document`, reads it, stores its chunks and the rows that could not be read, creates the
 * job and queues one message per chunk. With `upload: true`, creates the job awaiting its input and answers a
 * pre-signed upload request for it (see {@link startJob}). Answers the job's id; the work happens in the workers.
 */
export async function createJob(
  deps: JobDeps,
  principal: Principal,
  input: CreateJobInput,
): Promise<
  { id: string; upload?: UploadTarget } & Partial<Pick<SpreadsheetMapping, "profile" | "unmapped" | "ignored">>
> {
  if (input.upload && input.document !== undefined) {
    throw new GatewayError("validation-failed", "send the document in the request or upload it, not both", [
      { pointer: "/body/upload", detail: "must be absent when a document is sent" },
    ]);
  }
  if (!input.upload && input.document === undefined) {
    throw new GatewayError("validation-failed", "a job needs a document", [
      { pointer: "/body/document", detail: "is required (or ask for an upload URL with upload: true)" },
    ]);
  }
  const { issuer: ref, format, proof, issue, deliver, sendEmail, suspension, dryRun, ...readerOptions } = input.options;
  if (dryRun !== undefined && dryRun !== false) {
    throw new GatewayError("validation-failed", "a dry run is answered by previewJob, not created", [
      { pointer: "/body/options/dryRun", detail: "true is a preview (job-preview.ts)" },
    ]);
  }
  // Registry batches: `issue: false` converts only; `deliver: true` also deposits each issued record.
  const batch = batchOf({ issue, deliver, sendEmail }, format);
  checkSuspension(suspension, format);
  checkSdJwtVcOptions(format, proof, batch !== undefined);
  const issuer = await resolveJobIssuer(deps, principal, ref);
  if (!WRITERS[rowFormatOf(format)]) throw new GatewayError("not-implemented", `writing ${format} is not implemented`);

  const id = deps.ids.newId();
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + JOB_RETENTION_MS).toISOString();
  const base = {
    id,
    issuerSlug: issuer.slug,
    from: input.from,
    format,
    ...(proof ? { proof } : {}),
    done: 0,
    dlq: 0,
    finishedChunks: [],
    createdAt: now.toISOString(),
    expiresAt,
    ...(batch ? { batch } : {}),
    ...(suspension === true ? { suspension: true } : {}),
  };

  if (input.upload) {
    if (!deps.uploads) {
      throw new GatewayError("not-implemented", "uploads are not configured on this gateway (GATEWAY_UPLOADS_BUCKET)", [
        { pointer: "/body/upload", detail: "not available here; send the document in the request" },
      ]);
    }
    const uploadKey = `jobs/${id}/input`;
    const upload = await deps.uploads.createUploadUrl(uploadKey, {
      expiresInSeconds: UPLOAD_URL_SECONDS,
      contentType: UPLOAD_CONTENT_TYPE,
    });
    await deps.jobs.createJob({
      ...base,
      total: 0,
      chunks: 0,
      failed: 0,
      stage: "awaiting-upload",
      uploadKey,
      ...(Object.keys(readerOptions).length > 0 ? { readerOptions } : {}),
    });
    return { id, upload };
  }

  const sink: MappingSink = {};
  const counts = await splitRows(
    deps,
    { id, issuer, format, expiresAt, ...(batch ? { batch } : {}) },
    withinInlineRows(
      readRows(input.document, input.from, deps.limits, readerOptions, sink),
      deps.maxInlineJobRows ?? DEFAULT_WORK_BUDGET.maxInlineJobRows,
    ),
    {},
    sink,
  );
  if (counts.total === 0) {
    throw new GatewayError("unprocessable", "the document holds no credential", [
      { pointer: "/body/document", detail: "empty" },
    ]);
  }
  await deps.jobs.createJob({ ...base, total: counts.total, chunks: counts.chunks, failed: counts.failed });
  await queueChunks(deps, { id, createdAt: now.toISOString() }, counts.chunks);
  return {
    id,
    ...(sink.mapping
      ? {
          profile: sink.mapping.profile,
          unmapped: sink.mapping.unmapped,
          ...(sink.mapping.ignored ? { ignored: sink.mapping.ignored } : {}),
        }
      : {}),
  };
}

/**
 * `options.suspension` of a job, passed to each row's issuance. Checked at submission with issuance's own rule
 * (`addStatusEntry` in `issue.ts`), so that a job every row of which issuance would refuse is a 422 naming the option
 * instead of thousands of failed rows: an OB 3.0 credential has at most one credentialStatus (its revocation entry),
 * and an ELM credential (sealed with JAdES) carries no BitstringStatusListEntry.
 */
function checkSuspension(suspension: unknown, format: JobFormat): void {
  const pointer = "/body/options/suspension";
  if (suspension === undefined || suspension === false) return;
  if (suspension !== true) {
    throw new GatewayError("validation-failed", "options.suspension is a boolean", [{ pointer, detail: "a boolean" }]);
  }
  const why =
    format === "sd-jwt-vc"
      ? "an SD-JWT VC carries one Token Status List entry, for revocation"
      : format === "ob3"
        ? "an Open Badges 3.0 credential has at most one credentialStatus, its revocation entry: suspension entries " +
          "are for plain W3C credentials"
        : "ELM credentials are sealed with JAdES and carry no BitstringStatusListEntry: they cannot be suspended";
  throw new GatewayError("unprocessable", `suspension is not available for ${format} jobs: ${why}`, [
    { pointer, detail: why },
  ]);
}

/**
 * An SD-JWT VC job's options, checked at submission as each row's issuance would check them (`issue/sd-jwt-vc.ts`):
 * it is signed ES256 with the issuer's P-256 key, so no proof suite is chosen; registry batches (issue, deliver)
 * convert or deliver ELM and OB 3.0 only.
 */
export function checkSdJwtVcOptions(format: JobFormat, proof: unknown, registryBatch: boolean): void {
  if (format !== "sd-jwt-vc") return;
  if (proof !== undefined) {
    throw new GatewayError("unprocessable", "an SD-JWT VC is signed ES256 by the issuer's P-256 key: leave proof out", [
      { pointer: "/body/options/proof", detail: "not available for format sd-jwt-vc" },
    ]);
  }
  if (registryBatch) {
    throw new GatewayError("unprocessable", "registry batches (issue, deliver, sendEmail) are for ELM and OB 3.0", [
      { pointer: "/body/options/format", detail: "sd-jwt-vc takes no registry batch options" },
    ]);
  }
}

/**
 * `POST /v1/jobs/{id}/start`: the client has PUT the input; the job moves to `reading` and a worker is asked to read
 * it (reading a large file takes longer than an HTTP request may). 409 when nothing was uploaded or the job was
 * started before; 400 when the upload is larger than the configured limit (it is deleted).
 */
export async function startJob(deps: JobDeps, principal: Principal, id: string): Promise<{ id: string }> {
  const job = await readableJob(deps, principal, id);
  if (job.stage !== "awaiting-upload" || !job.uploadKey) {
    throw conflict(
      job.uploadKey ? "the job was started before" : "the job's document was sent in the request: it started then",
      "/path/id",
    );
  }
  if (!deps.uploads) throw new GatewayError("not-implemented", "uploads are not configured on this gateway");
  const uploaded = await deps.uploads.stat(job.uploadKey);
  if (!uploaded) {
    throw conflict("nothing was uploaded for this job yet: PUT the input to the upload URL first", "/path/id");
  }
  const max = deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  if (uploaded.size > max) {
    await deps.uploads.delete(job.uploadKey);
    throw new GatewayError("limit-exceeded", `the uploaded input has ${uploaded.size} bytes; at most ${max} are read`, [
      { pointer: "/path/id", detail: `upload at most ${max} bytes` },
    ]);
  }
  if (!(await deps.jobs.startReading(job.id))) throw conflict("the job was started before", "/path/id");
  const message: ReadMessage = { type: "job-read", jobId: job.id };
  await sendOrFail(deps, job, message, "the input could not be queued for reading");
  return { id: job.id };
}
