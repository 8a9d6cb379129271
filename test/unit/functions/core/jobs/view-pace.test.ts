/**
 * A running job's pace in its view: rows with a result per second since it started, and the time left at that pace
 * (remaining rows divided by the rate, rounded up to a whole second).
 */
import { describe, expect, it } from "vitest";
import { jobView } from "../../../../../functions/core/jobs/view.js";
import type { JobRecord } from "../../../../../functions/kernel/ports/index.js";

const job = (over: Partial<JobRecord>): JobRecord => ({
  id: "j1",
  issuerSlug: "zed",
  from: "csv",
  format: "ob3",
  total: 1000,
  chunks: 20,
  done: 0,
  failed: 0,
  dlq: 0,
  finishedChunks: [],
  createdAt: "2026-03-01T10:00:00.000Z",
  expiresAt: "2026-04-01T10:00:00.000Z",
  ...over,
});

describe("job pace", () => {
  it("rows/s since the start and the seconds left at that pace", () => {
    // 240 done + 10 failed in 10 s: 25 rows/s; 750 rows left: 30 s.
    const running = job({
      startedAt: "2026-03-01T10:00:00.000Z",
      done: 240,
      failed: 10,
      finishedChunks: [0, 1, 2, 3, 4],
    });
    expect(jobView(running, new Date("2026-03-01T10:00:10.000Z"))).toMatchObject({
      status: "running",
      rowsPerSecond: 25,
      etaSeconds: 30,
    });
  });

  it("counts the rows of chunks in flight as their workers recorded them", () => {
    const running = job({ startedAt: "2026-03-01T10:00:00.000Z", chunkProgress: { 0: { done: 40, failed: 0 } } });
    expect(jobView(running, new Date("2026-03-01T10:00:04.000Z"))).toMatchObject({ rowsPerSecond: 10, etaSeconds: 96 });
  });

  it("no pace before a row has a result, for a job not running, or without a clock", () => {
    const started = job({ startedAt: "2026-03-01T10:00:00.000Z" });
    expect(jobView(started, new Date("2026-03-01T10:00:05.000Z"))).not.toHaveProperty("rowsPerSecond");
    const finished = job({ startedAt: "2026-03-01T10:00:00.000Z", done: 1000, finishedChunks: [...Array(20).keys()] });
    expect(jobView(finished, new Date("2026-03-01T10:01:00.000Z"))).not.toHaveProperty("etaSeconds");
    expect(jobView(job({ startedAt: "2026-03-01T10:00:00.000Z", done: 100 }))).not.toHaveProperty("rowsPerSecond");
  });
});
