import { describe, expect, it } from "vitest";
import { readCsvStream } from "../../mappings/spreadsheet/csv.js";

// Bugs the hostile corpus and the fuzzer found in readers, each pinned by the input that showed it.

async function* oneChunk(text: string): AsyncGenerator<string> {
  yield text;
}

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("the streaming CSV reader", () => {
  it("answers a syntax error in a chunk larger than the parser's buffer instead of waiting forever for drain", async () => {
    // Prepare: 25 KB of `{"a":` — an opening quote inside the first field, in one chunk the parser cannot take at once.
    const text = `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`;

    // Act
    const items = await Promise.race([
      drain(readCsvStream(oneChunk(text), { delimiter: "," })),
      new Promise<"hang">((ok) => setTimeout(() => ok("hang"), 5_000)),
    ]);

    // Assess
    expect(items).not.toBe("hang");
    expect((items as unknown[])[0]).toEqual({
      fatal: [expect.objectContaining({ message: expect.stringContaining("CSV") })],
    });
  });
});
