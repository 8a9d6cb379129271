/** The `jobs` family's routes (bulk issuance jobs), in the order the API lists them. */
import type { RouteSpec } from "../route-spec.js";
import { idParam, schemas } from "../schemas.js";

export const jobsRoutes: readonly RouteSpec[] = [
  {
    method: "POST",
    path: "/v1/jobs",
    family: "jobs",
    operationId: "createJob",
    summary: "Start a bulk conversion / issuance job.",
    access: "issuer",
    body: schemas.job,
    success: {
      status: 202,
      description:
        "`{id, profile?, unmapped?}` (a spreadsheet: which column went where); with `upload: true`, `{id, upload: {url, method, headers, expiresAt}}` (job `awaiting-upload`); with `options.dryRun: true`, 200 and a preview `{dryRun, profile, unmapped, total, issuable, failed, rows: [{row, values, annex1, conformance, errors}]}`, nothing signed or stored",
    },
  },
  {
    method: "GET",
    path: "/v1/jobs",
    family: "jobs",
    operationId: "listJobs",
    summary:
      "Bulk jobs, newest first: the caller issuer's (admin: every issuer's, or `?issuer=`); `?limit=` (1–100), `?cursor=`.",
    access: "issuer",
    success: {
      status: 200,
      description: "`{items: [job progress], cursor?}` (the cursor also in `next-cursor`)",
    },
  },
  {
    method: "GET",
    path: "/v1/jobs/{id}",
    family: "jobs",
    operationId: "getJob",
    summary: "A job's progress: `{status, total, done, failed}`.",
    access: "issuer",
    params: idParam,
    success: { status: 200, description: "Job progress" },
  },
  {
    method: "POST",
    path: "/v1/jobs/{id}/start",
    family: "jobs",
    operationId: "startJob",
    summary:
      "Start a job created with `upload: true` once its input was PUT to the upload URL: a worker reads it into chunks.",
    access: "issuer",
    params: idParam,
    success: { status: 202, description: "`{id}`; the job is `reading`, then `queued`" },
  },
  {
    method: "GET",
    path: "/v1/jobs/{id}/results",
    family: "jobs",
    operationId: "getJobResults",
    summary: "A job's results as JSON Lines.",
    access: "issuer",
    params: idParam,
    success: { status: 200, description: "JSON Lines", contentType: "application/jsonl" },
  },
];
