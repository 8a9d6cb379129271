/**
 * Lambda: bulk jobs. `POST /v1/jobs` reads the document into chunks and queues them (202 `{id}`), or, with
 * `upload: true`, answers a pre-signed upload request and waits for `POST /v1/jobs/{id}/start`; `GET /v1/jobs` lists
 * the caller's jobs. The chunks are issued by the jobs worker (`jobs-worker.ts` on SQS, `functions/local/worker.ts` locally);
 * `GET /v1/jobs/{id}` shows progress and `GET /v1/jobs/{id}/results` the results as JSON Lines, a page at a time
 * (`?limit=`, `?cursor=`; the next page's cursor is in the `next-cursor` header).
 */
import {
  depsFor,
  type GatewayDeps,
  jobsPort,
  jobsQueuePort,
  statusListsPort,
  storePort,
  uploadsPort,
  type Wiring,
} from "../composition.js";
import type { CreateJobInput } from "../core/jobs/model.js";
import { familyHandler, type RouteFn } from "../http/family.js";
import { schemas } from "../http/schemas.js";
import { bodyOf } from "../http/validated.js";
import { GatewayError } from "../kernel/errors.js";
import { jobDepsOf } from "./job-deps.js";

const NO_STORE = { "cache-control": "no-store" };

/**
 * The use cases (document readers: CSV, XLSX, the registry formats) load on the first request, not at the function's
 * init (cold start).
 */
const jobsUseCases = () => import("../core/jobs/jobs.js");
const jobViews = () => import("../core/jobs/view.js");

const jobPreview = () => import("../core/jobs/preview.js");

const create: RouteFn = async (req) => {
  const { principal, deps } = req;
  const input: CreateJobInput = bodyOf(req, schemas.job);
  if (input.options.dryRun === true) {
    // A dry run signs and stores nothing: 200 with the preview, no job.
    const { previewJob } = await jobPreview();
    return { status: 200, body: await previewJob(jobDepsOf(deps), principal, input), headers: NO_STORE };
  }
  const { createJob } = await jobsUseCases();
  const { id, upload, profile, unmapped } = await createJob(jobDepsOf(deps), principal, input);
  return {
    status: 202,
    body: { id, ...(upload ? { upload } : {}), ...(profile ? { profile, unmapped } : {}) },
    headers: { ...NO_STORE, location: `/v1/jobs/${encodeURIComponent(id)}` },
  };
};

const start: RouteFn = async ({ params, principal, deps }) => {
  const { startJob } = await jobsUseCases();
  const { id } = await startJob(jobDepsOf(deps), principal, params.id as string);
  return { status: 202, body: { id }, headers: { ...NO_STORE, location: `/v1/jobs/${encodeURIComponent(id)}` } };
};

const get: RouteFn = async ({ params, principal, deps }) => {
  const { readableJob, jobView } = await jobViews();
  const job = await readableJob(deps, principal, params.id as string);
  return { status: 200, body: jobView(job, deps.clock.now()), headers: NO_STORE };
};

function pageQuery(query: Record<string, string>, max = 1000): { limit?: number; cursor?: string } {
  const page: { limit?: number; cursor?: string } = {};
  if (query.limit !== undefined) {
    if (!/^\d{1,4}$/.test(query.limit) || Number(query.limit) < 1 || Number(query.limit) > max) {
      throw new GatewayError("validation-failed", `limit must be an integer from 1 to ${max}`, [
        { pointer: "/query/limit", detail: `an integer from 1 to ${max}` },
      ]);
    }
    page.limit = Number(query.limit);
  }
  if (query.cursor !== undefined) page.cursor = query.cursor;
  return page;
}

const list: RouteFn = async ({ query, principal, deps }) => {
  const { limit, cursor } = pageQuery(query, 100);
  const { listJobsPage } = await jobViews();
  const page = await listJobsPage({ jobs: deps.jobs, publicUrl: deps.config.publicUrl }, principal, {
    ...(query.issuer !== undefined ? { issuer: query.issuer } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(cursor !== undefined ? { cursor } : {}),
  });
  return {
    status: 200,
    body: page,
    headers: { ...NO_STORE, ...(page.cursor ? { "next-cursor": page.cursor } : {}) },
  };
};

const results: RouteFn = async ({ params, query, principal, deps }) => {
  const { readableJob, jobResultsPage } = await jobViews();
  const job = await readableJob(deps, principal, params.id as string);
  const page = await jobResultsPage(deps, job, pageQuery(query));
  return {
    status: 200,
    text: page.jsonl,
    contentType: "application/jsonl",
    headers: { ...NO_STORE, ...(page.cursor ? { "next-cursor": page.cursor } : {}) },
  };
};

/**
 * The ports this function's routes use (the bundle carries only their adapters). `handlers/all.ts` gives
 * each family only these in tests too, so a route using a port left out here fails there.
 */
export const wiring: Wiring = {
  store: storePort,
  jobs: jobsPort,
  jobsQueue: jobsQueuePort,
  statusLists: statusListsPort,
  uploads: uploadsPort,
};

export const createHandler = (deps: () => Promise<GatewayDeps>) =>
  familyHandler(
    "jobs",
    { createJob: create, listJobs: list, getJob: get, startJob: start, getJobResults: results },
    deps,
  );

export const handler = createHandler(depsFor(wiring));
