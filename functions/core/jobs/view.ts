/**
 * What callers see of jobs: a job's status from its counters, its view, the pages of jobs and of results, and who
 * may see a job at all.
 */
import { GatewayError, notFound, notYours } from "../../kernel/errors.js";
import type { JobRecord, JobStatus, JobStore } from "../../kernel/ports/index.js";
import { slugFromId } from "../issuers/registration.js";
import type { Principal } from "../tokens/auth.js";
import type { JobView } from "./model.js";

/** A job's status from its counters. */
export function jobStatus(job: JobRecord): JobStatus {
  if (job.error !== undefined) return "failed";
  if (job.stage !== undefined) return job.stage;
  if (job.finishedChunks.length >= job.chunks) {
    if (job.failed === 0) return "completed";
    return job.done === 0 ? "failed" : "completed-with-errors";
  }
  return job.startedAt ? "running" : "queued";
}

/** The job, if the caller may see it: the admin, or its issuer's token (others get 403, as for an unknown id). */
export async function readableJob(deps: { jobs: JobStore }, principal: Principal, id: string): Promise<JobRecord> {
  const job = await deps.jobs.getJob(id);
  const mine = principal.role === "admin" || (principal.role === "issuer" && principal.issuerId === job?.issuerSlug);
  if (!mine) throw notYours(`job "${id}"`, "/path/id");
  if (!job) throw notFound(`job "${id}"`, "/path/id");
  return job;
}

/**
 * The view of a job. `done` and `failed` count the rows of counted chunks exactly, plus the rows of chunks in flight
 * as their workers last recorded them (every second or so: see `worker.ts`); once every chunk is counted they
 * are exact. While an uploaded input is being read, `total` is the rows read so far (its chunks are issued already).
 */
export function jobView(job: JobRecord, now?: Date): JobView {
  let done = job.done;
  let failed = job.failed;
  for (const [index, progress] of Object.entries(job.chunkProgress ?? {})) {
    if (job.finishedChunks.includes(Number(index))) continue;
    done += progress.done;
    failed += progress.failed;
  }
  const status = jobStatus(job);
  const total = job.stage === "reading" ? (job.readProgress?.rows ?? 0) : job.total;
  return {
    id: job.id,
    status,
    issuer: job.issuerSlug,
    from: job.from,
    format: job.format,
    ...(job.proof ? { proof: job.proof } : {}),
    total,
    done,
    failed,
    dlq: job.dlq,
    createdAt: job.createdAt,
    ...(job.startedAt ? { startedAt: job.startedAt } : {}),
    ...(status === "running" && job.startedAt && now ? pace(done + failed, total, job.startedAt, now) : {}),
    ...(job.error !== undefined ? { error: job.error } : {}),
  };
}

/**
 * A running job's pace: rows with a result per second since its first chunk started, and the seconds left at that
 * pace. Absent until a row has a result (no pace to tell yet).
 */
function pace(
  rows: number,
  total: number,
  startedAt: string,
  now: Date,
): { rowsPerSecond?: number; etaSeconds?: number } {
  const seconds = (now.getTime() - Date.parse(startedAt)) / 1000;
  if (!(seconds > 0) || rows <= 0) return {};
  const rowsPerSecond = rows / seconds;
  return {
    rowsPerSecond: Math.round(rowsPerSecond * 10) / 10,
    etaSeconds: Math.ceil(Math.max(0, total - rows) / rowsPerSecond),
  };
}

/**
 * `GET /v1/jobs`: one page of jobs, newest first. An issuer's token sees its own jobs (naming another issuer in
 * `issuer` is 403); the admin sees every issuer's, or one issuer's with `issuer`.
 */
export async function listJobsPage(
  deps: { jobs: JobStore; publicUrl: string },
  principal: Principal,
  query: { issuer?: string; limit?: number; cursor?: string },
): Promise<{ items: JobView[]; cursor?: string }> {
  let issuerSlug: string | undefined;
  if (query.issuer !== undefined) {
    try {
      issuerSlug = query.issuer.startsWith("did:") ? slugFromId(query.issuer, deps.publicUrl) : query.issuer;
    } catch {
      // An issuer token is told the same for an issuer that is not its own and one that does not exist.
      if (principal.role !== "admin") issuerSlug = "\u0000";
      else throw notFound(`issuer ${query.issuer}`, "/query/issuer");
    }
  }
  if (principal.role !== "admin") {
    if (principal.role !== "issuer" || !principal.issuerId) {
      throw new GatewayError("forbidden", "jobs are listed for their issuer or the admin");
    }
    if (issuerSlug !== undefined && issuerSlug !== principal.issuerId) {
      throw new GatewayError("forbidden", "these jobs belong to another issuer", [
        { pointer: "/query/issuer", detail: "not this token's issuer" },
      ]);
    }
    issuerSlug = principal.issuerId;
  }
  const page = await deps.jobs.listJobs({
    ...(issuerSlug !== undefined ? { issuerSlug } : {}),
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
  });
  return { items: page.items.map((job) => jobView(job)), ...(page.cursor ? { cursor: page.cursor } : {}) };
}

/** One page of results as JSON Lines (`{row, verifiableCredential}` or `{row, error}` per line, row order). */
export async function jobResultsPage(
  deps: { jobs: JobStore },
  job: JobRecord,
  page: { limit?: number; cursor?: string },
): Promise<{ jsonl: string; cursor?: string; count: number }> {
  const { items, cursor } = await deps.jobs.listResults(job.id, page);
  const jsonl = items.map((item) => `${JSON.stringify(item)}\n`).join("");
  return { jsonl, count: items.length, ...(cursor ? { cursor } : {}) };
}
