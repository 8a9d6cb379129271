import { describe, expect, it } from "vitest";
import { rowCredentialId } from "../../../../../functions/core/jobs/chunks.js";
import { readRows, readRowsFromStream } from "../../../../../functions/core/jobs/rows.js";
import { jobCsv } from "../../../../support/jobs.js";

const LIMITS = { maxBodyBytes: 5_000_000, maxJsonDepth: 64, maxJsonKeys: 100_000 };

/** The bytes of `text` in pieces of `size` bytes: multi-byte characters end up split across pieces. */
async function* pieces(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

describe("reading an uploaded input as a stream", () => {
  it("reads a CSV streamed in 7-byte pieces exactly as the same CSV sent whole, multi-byte names included", async () => {
    // Prepare: a semicolon CSV (the delimiter is guessed from the header line) with names outside ASCII.
    const csv = jobCsv(12)
      .replaceAll(",", ";")
      .replace(/Learner(\d+)/g, "Zoë-Łucja-$1")
      .replace('"A short course on data stewardship; with a comma"', "Ünïcode; çourse");

    // Act
    const streamed = await collect(readRowsFromStream(pieces(csv, 7), "csv", LIMITS));
    const whole = await collect(readRows(csv, "csv", LIMITS));

    // Assess
    expect(streamed).toHaveLength(12);
    expect(streamed).toEqual(whole);
    expect(streamed.map((r) => r.row)).toEqual(Array.from({ length: 12 }, (_, i) => i + 2));
    expect(JSON.stringify(streamed[3]?.credential)).toContain("Zoë-Łucja-3");
  });

  it("rejects with the source's error when the stream fails mid-read, instead of ending early with a row error", async () => {
    // Prepare: an object stream (S3's socket) that breaks after the header and a few rows
    const csv = jobCsv(40);
    const broken = new Error("read ECONNRESET");
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield* pieces(csv.slice(0, 600), 100);
      throw broken;
    }
    const seen: unknown[] = [];

    // Act
    const reading = (async () => {
      for await (const item of readRowsFromStream(failing(), "csv", LIMITS)) seen.push(item);
    })();

    // Assess: the reading fails as a whole (the worker retries it) and no row says "ECONNRESET"
    await expect(reading).rejects.toBe(broken);
    expect(JSON.stringify(seen)).not.toContain("ECONNRESET");
  });

  it("refuses a stream that is not a CSV of the expected layout as the whole document is refused", async () => {
    // Act
    const streamed = collect(readRowsFromStream(pieces("name,colour\nx,y\n", 3), "csv", LIMITS));

    // Assess
    await expect(streamed).rejects.toThrow(/CSV cannot be read/);
  });
});

describe("row credential ids", () => {
  it("are UUID URNs fixed by the job and row, so a repeated read writes the same credentials", () => {
    // Act
    const first = rowCredentialId("job-a", 2);

    // Assess
    expect(first).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rowCredentialId("job-a", 2)).toBe(first);
    expect(rowCredentialId("job-a", 3)).not.toBe(first);
    expect(rowCredentialId("job-b", 2)).not.toBe(first);
  });
});
