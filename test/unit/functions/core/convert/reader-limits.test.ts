import { describe, expect, it } from "vitest";
import { readConfig } from "../../../../../functions/config.js";
import { checkDocument } from "../../../../../functions/core/check/check.js";
import { convert } from "../../../../../functions/core/convert/convert.js";
import { deepXml } from "../../../../hostile/manifest.js";
import { jobCsv } from "../../../../support/jobs.js";
import { SYSTEM_TIME } from "../../../../support/write-time.js";

// The readers' ceilings travel with each read (configuration → use case → reader options): two configurations in
// one process each get their own, in any order, and neither changes what the other reads.

const strict = readConfig({ GATEWAY_MODE: "local", GATEWAY_MAX_XML_DEPTH: "8", GATEWAY_MAX_SHEET_ROWS: "2" }).limits;
const roomy = readConfig({ GATEWAY_MODE: "local" }).limits;

const depthRefusal = (limits: typeof strict): string | undefined => {
  try {
    checkDocument({ from: "elmo", document: deepXml(12) }, limits);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

describe("reader limits passed with each read", () => {
  it("refuses XML deeper than the strict limit and not under the default one, interleaved", () => {
    // Act
    const first = depthRefusal(strict);
    const second = depthRefusal(roomy);
    const third = depthRefusal(strict);
    // Assess
    expect(first).toMatch(/deeper than 8 levels/);
    expect(second ?? "").not.toMatch(/deeper than/);
    expect(third).toMatch(/deeper than 8 levels/);
  });

  it("reads two data rows under the strict sheet limit and all four under the default, interleaved", async () => {
    // Act
    const capped = await convert({ to: "ob3", from: "csv", document: jobCsv(4) }, strict, SYSTEM_TIME);
    const whole = await convert({ to: "ob3", from: "csv", document: jobCsv(4) }, roomy, SYSTEM_TIME);
    const cappedAgain = await convert(
      { to: "ob3", from: "csv", document: jobCsv(4), options: { maxRows: 1000 } },
      strict,
      SYSTEM_TIME,
    );
    // Assess
    expect(capped.results).toHaveLength(2);
    expect(capped.rowErrors?.[0]?.message).toMatch(/more than 2 data rows/);
    expect(whole.results).toHaveLength(4);
    expect(whole.rowErrors).toBeUndefined();
    expect(cappedAgain.results).toHaveLength(2);
  });
});
