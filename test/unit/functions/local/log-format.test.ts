import { describe, expect, it } from "vitest";
import { prettyLogLine, wantsPrettyLogs } from "../../../../functions/local/log-format.js";

describe("local log lines", () => {
  it("turns a request log into one line: time, route, status, duration", () => {
    const line = JSON.stringify({
      level: "INFO",
      message: "request",
      timestamp: "2026-12-07T08:51:36.659Z",
      service: "edc-gateway",
      sampling_rate: 0,
      routeKey: "POST /v1/convert",
      status: 200,
      durationMs: 41,
      requestId: "cfd755c6",
    });
    expect(prettyLogLine(line)).toBe("08:51:36 POST /v1/convert 200 41 ms");
  });

  it("writes other logs as level, message and their fields", () => {
    const line = JSON.stringify({
      level: "ERROR",
      message: "unhandled error",
      timestamp: "2026-12-07T08:51:36.659Z",
      service: "edc-gateway",
      routeKey: "GET /v1/jobs/{id}",
      error: { name: "TypeError" },
    });
    expect(prettyLogLine(line)).toBe(
      '08:51:36 ERROR unhandled error routeKey=GET /v1/jobs/{id} error={"name":"TypeError"}',
    );
  });

  it("passes text that is not a JSON object through", () => {
    for (const text of ["recovered 1 unfinished job(s)", "{not json", "[1,2]"]) expect(prettyLogLine(text)).toBe(text);
  });

  it("is pretty on a terminal, JSON when piped, and GATEWAY_LOG_FORMAT decides when set", () => {
    expect(wantsPrettyLogs({}, true)).toBe(true);
    expect(wantsPrettyLogs({}, false)).toBe(false);
    expect(wantsPrettyLogs({ GATEWAY_LOG_FORMAT: "json" }, true)).toBe(false);
    expect(wantsPrettyLogs({ GATEWAY_LOG_FORMAT: "pretty" }, false)).toBe(true);
  });
});
