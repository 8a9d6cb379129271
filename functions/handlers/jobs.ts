/**
 * Lambda: bulk jobs (issue 8). `POST /v1/jobs` reads the document into chunks and queues them (202 `{id}`); the
 * chunks are issued by the jobs worker (`jobs-worker.ts` on SQS, `functions/local/worker.ts` locally);
 * `GET /v1/jobs/{id}` shows progress and `GET /v1/jobs/{id}/results` the results as JSON Lines, a page at a time
 * (`?limit=`, `?cursor=`; the next page's cursor is in the `next-cursor` header).
 */
import { getDeps } from "../composition.js";
import { GatewayError } from "../core/errors.js";
import { type CreateJobInput, createJob, jobResultsPage, jobView, readableJob } from "../core/jobs.js";
import { familyHandler, type RouteFn } from "../http/family.js";
import { jobDepsOf } from "./job-deps.js";

const NO_STORE = { "cache-control": "no-store" };

const create: RouteFn = async ({ body, principal, deps }) => {
  const { id } = await createJob(jobDepsOf(deps), principal, body as CreateJobInput);
  return { status: 202, body: { id }, headers: { ...NO_STORE, location: `/v1/jobs/${encodeURIComponent(id)}` } };
};

const get: RouteFn = async ({ params, principal, deps }) => {
  const job = await readableJob(deps, principal, params.id as string);
  return { status: 200, body: jobView(job), headers: NO_STORE };
};

function pageQuery(query: Record<string, string>): { limit?: number; cursor?: string } {
  const page: { limit?: number; cursor?: string } = {};
  if (query.limit !== undefined) {
    if (!/^\d{1,4}$/.test(query.limit)) {
      throw new GatewayError("validation-failed", "limit must be an integer from 1 to 1000", [
        { pointer: "/query/limit", detail: "an integer from 1 to 1000" },
      ]);
    }
    page.limit = Number(query.limit);
  }
  if (query.cursor !== undefined) page.cursor = query.cursor;
  return page;
}

const results: RouteFn = async ({ params, query, principal, deps }) => {
  const job = await readableJob(deps, principal, params.id as string);
  const page = await jobResultsPage(deps, job, pageQuery(query));
  return {
    status: 200,
    text: page.jsonl,
    contentType: "application/jsonl",
    headers: { ...NO_STORE, ...(page.cursor ? { "next-cursor": page.cursor } : {}) },
  };
};

export const createHandler = (deps: typeof getDeps) =>
  familyHandler("jobs", { createJob: create, getJob: get, getJobResults: results }, deps);

export const handler = createHandler(getDeps);
