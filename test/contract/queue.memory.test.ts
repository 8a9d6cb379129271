import { describe, expect, it } from "vitest";
import { MemoryQueue } from "../../functions/adapters/local/memory-queue.js";
import type { Clock } from "../../functions/kernel/ports/index.js";
import { QUEUE_VISIBILITY_SECONDS, type QueueHarness, queueContract } from "./queue.contract.js";

/** A clock that moves only when told to. */
function aFakeClock(start = Date.parse("2025-06-01T12:00:00.000Z")): Clock & { advance(seconds: number): void } {
  let now = start;
  return {
    now: () => new Date(now),
    advance: (seconds) => {
      now += Math.round(seconds * 1000);
    },
  };
}

function aHarness(): QueueHarness {
  const clock = aFakeClock();
  return {
    queue: new MemoryQueue({ clock, visibilitySeconds: QUEUE_VISIBILITY_SECONDS }),
    advance: async (seconds) => clock.advance(seconds),
  };
}

queueContract("MemoryQueue", async () => aHarness());

describe("MemoryQueue", () => {
  it("hides received messages for 30 seconds by default, as SQS does", async () => {
    // Prepare
    const clock = aFakeClock();
    const queue = new MemoryQueue({ clock });
    await queue.send({ n: 1 });
    await queue.receive();
    // Act
    clock.advance(29.9);
    const before = await queue.receive();
    clock.advance(0.2);
    const after = await queue.receive();
    // Assess
    expect(before).toEqual([]);
    expect(after).toHaveLength(1);
  });

  it("ignores the receipt of an earlier delivery once the message was received again", async () => {
    // Prepare
    const clock = aFakeClock();
    const queue = new MemoryQueue({ clock, visibilitySeconds: 1 });
    await queue.send({ n: 1 });
    const [stale] = await queue.receive();
    clock.advance(2);
    const [current] = await queue.receive();
    if (stale === undefined || current === undefined) throw new Error("message not received");
    // Act
    await queue.ack(stale);
    clock.advance(2);
    const [third] = await queue.receive();
    // Assess
    expect(third).toMatchObject({ id: current.id, receiveCount: 3 });
  });

  it("gives up waiting when no message arrives in time", async () => {
    // Prepare
    const queue = new MemoryQueue({ clock: aFakeClock() });
    const started = performance.now();
    // Act
    const received = await queue.receive({ waitSeconds: 1 });
    // Assess
    expect(received).toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });
});
