/**
 * The behaviour every {@link Queue} must have: SQS's standard-queue semantics (at-least-once delivery, visibility
 * timeout, receive count, delay, JSON bodies). Each test gets a fresh, empty queue whose default visibility timeout is
 * {@link QUEUE_VISIBILITY_SECONDS}.
 */

import { describe, expect, it } from "vitest";
import type { Queue, QueueMessage } from "../../functions/kernel/ports/index.js";

/** The default visibility timeout of the queues the factories make. */
export const QUEUE_VISIBILITY_SECONDS = 1;

export interface QueueHarness {
  queue: Queue;
  /** Lets `seconds` of queue time pass: a fake clock for the in-process queue, real time for SQS. */
  advance(seconds: number): Promise<void>;
}

/** Real seconds a test may take at most: the SQS runs wait on the wall clock. */
const TEST_TIMEOUT_MS = 20_000;

/** A little more than the visibility timeout, so that clocks rounding to the millisecond are past it. */
const PAST_VISIBILITY = QUEUE_VISIBILITY_SECONDS + 0.3;

/** Receives until `count` messages arrived or `attempts` receives came back short (SQS may return fewer than max). */
async function receiveAll(queue: Queue, count: number, attempts = 5): Promise<QueueMessage[]> {
  const received: QueueMessage[] = [];
  for (let i = 0; i < attempts && received.length < count; i += 1) {
    received.push(...(await queue.receive({ max: 10 })));
  }
  return received;
}

/** Registers the Queue contract tests for one implementation. */
export function queueContract(name: string, create: () => Promise<QueueHarness>): void {
  // Concurrent: every test has its own queue, and on SQS most of the time is spent waiting for timeouts to pass.
  describe(`Queue contract: ${name}`, { timeout: TEST_TIMEOUT_MS, concurrent: true }, () => {
    it("receives nothing from an empty queue", async ({ expect }) => {
      // Prepare
      const { queue } = await create();
      // Act
      const received = await queue.receive();
      // Assess
      expect(received).toEqual([]);
    });

    it("delivers a sent message with its id, its body, a receipt and a receive count of 1", async ({ expect }) => {
      // Prepare
      const { queue } = await create();
      const body = { kind: "deliver", credentialId: "urn:uuid:1", attempt: 0 };
      // Act
      const { id } = await queue.send(body);
      const received = await queue.receive();
      // Assess
      expect(received).toHaveLength(1);
      const [message] = received;
      expect(message).toMatchObject({ id, body, receiveCount: 1 });
      expect(message?.receipt).toMatch(/\S/);
    });

    it("carries the body as JSON: nested values survive and non-JSON values turn into their JSON form", async ({
      expect,
    }) => {
      // Prepare
      const { queue } = await create();
      const body = {
        text: "Ελληνικά, 日本語, emoji 🎓",
        nested: { list: [1, 2.5, null, true, { deep: ["x"] }] },
        when: new Date("2025-01-02T03:04:05.000Z"),
        dropped: undefined,
      };
      // Act
      await queue.send(body);
      const [message] = await queue.receive();
      // Assess
      expect(message?.body).toStrictEqual({
        text: "Ελληνικά, 日本語, emoji 🎓",
        nested: { list: [1, 2.5, null, true, { deep: ["x"] }] },
        when: "2025-01-02T03:04:05.000Z",
      });
    });

    it("hides a received message until its visibility timeout passes, then delivers it again", async ({ expect }) => {
      // Prepare
      const { queue, advance } = await create();
      const { id } = await queue.send({ n: 1 });
      const [first] = await queue.receive();
      // Act
      const whileHidden = await queue.receive();
      await advance(PAST_VISIBILITY);
      const [again] = await queue.receive();
      // Assess
      expect(first?.id).toBe(id);
      expect(whileHidden).toEqual([]);
      expect(again).toMatchObject({ id, body: { n: 1 }, receiveCount: 2 });
      expect(again?.receipt).not.toBe(first?.receipt);
    });

    it("counts every delivery of a message that is never acknowledged", async ({ expect }) => {
      // Prepare
      const { queue, advance } = await create();
      await queue.send({ n: 1 });
      const counts: number[] = [];
      // Act
      for (let i = 0; i < 3; i += 1) {
        const [message] = await queue.receive();
        counts.push(message?.receiveCount ?? 0);
        await advance(PAST_VISIBILITY);
      }
      // Assess
      expect(counts).toEqual([1, 2, 3]);
    });

    it("forgets an acknowledged message for good", async ({ expect }) => {
      // Prepare
      const { queue, advance } = await create();
      await queue.send({ n: 1 });
      const [message] = await queue.receive();
      if (message === undefined) throw new Error("no message received");
      // Act
      await queue.ack(message);
      await advance(PAST_VISIBILITY);
      const after = await queue.receive();
      // Assess
      expect(after).toEqual([]);
    });

    it("acknowledges one message without touching the others", async ({ expect }) => {
      // Prepare
      const { queue, advance } = await create();
      const { id: keptId } = await queue.send({ n: "kept" });
      await queue.send({ n: "acked" });
      const received = await receiveAll(queue, 2);
      const acked = received.find((message) => message.id !== keptId);
      if (acked === undefined) throw new Error("the second message was not received");
      // Act
      await queue.ack(acked);
      await advance(PAST_VISIBILITY);
      const after = await receiveAll(queue, 2, 2);
      // Assess
      expect(after.map((message) => message.id)).toEqual([keptId]);
    });

    it("honours a longer visibility timeout asked for on receive", async ({ expect }) => {
      // Prepare
      const { queue, advance } = await create();
      const { id } = await queue.send({ n: 1 });
      await queue.receive({ visibilitySeconds: QUEUE_VISIBILITY_SECONDS + 1 });
      // Act
      await advance(PAST_VISIBILITY);
      const stillHidden = await queue.receive();
      await advance(1);
      const [again] = await queue.receive();
      // Assess
      expect(stillHidden).toEqual([]);
      expect(again).toMatchObject({ id, receiveCount: 2 });
    });

    it("holds back a delayed message until its delay passes", async ({ expect }) => {
      // Prepare
      const { queue, advance } = await create();
      const { id } = await queue.send({ n: 1 }, { delaySeconds: 1 });
      // Act
      const early = await queue.receive();
      await advance(1.3);
      const [late] = await queue.receive();
      // Assess
      expect(early).toEqual([]);
      expect(late).toMatchObject({ id, receiveCount: 1 });
    });

    it("delivers each of several messages once within a visibility timeout", async ({ expect }) => {
      // Prepare
      const { queue } = await create();
      const sent = await Promise.all([queue.send({ n: 1 }), queue.send({ n: 2 }), queue.send({ n: 3 })]);
      // Act
      const received = await receiveAll(queue, 3);
      // Assess
      expect(received.map((message) => message.id).sort()).toEqual(sent.map((message) => message.id).sort());
      expect(received.map((message) => message.body)).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }, { n: 3 }]));
    });

    it("never hands out more than max messages at once", async ({ expect }) => {
      // Prepare
      const { queue } = await create();
      for (let n = 0; n < 4; n += 1) await queue.send({ n });
      // Act
      const received = await queue.receive({ max: 2 });
      // Assess
      expect(received.length).toBeGreaterThan(0);
      expect(received.length).toBeLessThanOrEqual(2);
    });

    it("waits for a message when asked to, and returns as soon as one arrives", async ({ expect }) => {
      // Prepare
      const { queue } = await create();
      const started = performance.now();
      // Act
      const receiving = queue.receive({ waitSeconds: 5 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { id } = await queue.send({ n: 1 });
      const received = await receiving;
      // Assess
      expect(received.map((message) => message.id)).toEqual([id]);
      expect(performance.now() - started).toBeLessThan(4_000);
    });

    it("refuses a body that has no JSON form", async ({ expect }) => {
      // Prepare
      const { queue } = await create();
      // Act
      const error = await queue.send(undefined).catch((reason: unknown) => reason);
      // Assess
      expect(error).toBeInstanceOf(TypeError);
    });

    it.each([
      ["max 0", { max: 0 }],
      ["max 11", { max: 11 }],
      ["a negative wait", { waitSeconds: -1 }],
      ["a fractional visibility timeout", { visibilitySeconds: 0.5 }],
    ])("refuses to receive with %s", async (_, opts) => {
      // Prepare
      const { queue } = await create();
      // Act
      const error = await queue.receive(opts).catch((reason: unknown) => reason);
      // Assess
      expect(error).toBeInstanceOf(RangeError);
    });
  });
}
