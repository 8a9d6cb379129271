import type { SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { processSqsBatch, queueMessageOf } from "../../../../functions/handlers/sqs-batch.js";
import type { QueueMessage } from "../../../../functions/kernel/ports/index.js";

// AWS Lambda's partial batch response for SQS (event source mapping with `ReportBatchItemFailures`): the function
// returns `{"batchItemFailures": [{"itemIdentifier": <messageId>}, ...]}`; Lambda deletes the other records of the
// batch and makes only the listed ones visible again. An empty list means the whole batch succeeded.

function record(messageId: string, body: string, receiveCount = "1"): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: receiveCount,
      SentTimestamp: "1700000000000",
      SenderId: "AIDAEXAMPLE",
      ApproximateFirstReceiveTimestamp: "1700000000001",
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:jobs",
    awsRegion: "eu-west-1",
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("processSqsBatch", () => {
  it("reports only the records whose handling threw, by their messageId", async () => {
    // Arrange
    const records = [record("m1", '{"n":1}'), record("m2", '{"n":2}'), record("m3", '{"n":3}')];
    const seen: unknown[] = [];

    // Act
    const response = await processSqsBatch(records, async (message) => {
      seen.push(message.body);
      if ((message.body as { n: number }).n === 2) throw new Error("store unavailable");
    });

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "m2" }] });
    expect(seen).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it("answers an empty list when every record is handled", async () => {
    expect(await processSqsBatch([record("a", "{}"), record("b", "[]")], async () => undefined)).toEqual({
      batchItemFailures: [],
    });
  });

  it("acknowledges a body that is not JSON without handing it on, so a poison message does not come back", async () => {
    // Arrange
    const handled: string[] = [];

    // Act
    const response = await processSqsBatch([record("poison", "not json {"), record("ok", '"x"')], async (message) => {
      handled.push(message.id);
    });

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(handled).toEqual(["ok"]);
  });

  it("tells onError of each failure with the message id, and goes on with the next record", async () => {
    // Arrange
    const told: [string, string][] = [];

    // Act
    const response = await processSqsBatch(
      [record("x", "1"), record("y", "2")],
      async () => {
        throw new TypeError("boom");
      },
      { onError: (error, messageId) => told.push([messageId, (error as Error).name]) },
    );

    // Assess
    expect(told).toEqual([
      ["x", "TypeError"],
      ["y", "TypeError"],
    ]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "x" }, { itemIdentifier: "y" }]);
  });

  it("handles records one after the other unless asked to run them together", async () => {
    // Arrange
    const slowFirst = async (log: string[], message: QueueMessage) => {
      log.push(`start ${message.id}`);
      await sleep(message.id === "1" ? 30 : 1);
      log.push(`end ${message.id}`);
    };
    const records = [record("1", "{}"), record("2", "{}")];
    const sequential: string[] = [];
    const concurrent: string[] = [];

    // Act
    await processSqsBatch(records, (m) => slowFirst(sequential, m));
    await processSqsBatch(records, (m) => slowFirst(concurrent, m), { concurrent: true });

    // Assess
    expect(sequential).toEqual(["start 1", "end 1", "start 2", "end 2"]);
    expect(concurrent).toEqual(["start 1", "start 2", "end 2", "end 1"]);
  });

  it("lists concurrent failures in the batch's order, whichever finished first", async () => {
    const response = await processSqsBatch(
      [record("slow", "30"), record("fast", "1")],
      async (message) => {
        await sleep(message.body as number);
        throw new Error("failed");
      },
      { concurrent: true },
    );
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(["slow", "fast"]);
  });
});

describe("queueMessageOf", () => {
  it("carries the id, the parsed body, the receipt handle and SQS's receive count", () => {
    expect(queueMessageOf(record("m", '{"jobId":"j"}', "4"))).toEqual({
      id: "m",
      body: { jobId: "j" },
      receipt: "receipt-m",
      receiveCount: 4,
    });
  });

  it("counts an unreadable receive count as the first receive", () => {
    expect(queueMessageOf(record("m", "{}", "many"))?.receiveCount).toBe(1);
  });
});
