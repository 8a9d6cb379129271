import { describe, expect, it } from "vitest";
import {
  DELIVERY_SWEEP_EVENT,
  isDeliverySweepEvent,
  overdueDeliveries,
} from "../../../../../functions/core/deliveries/sweep.js";
import type { DeliveryRecord } from "../../../../../functions/kernel/ports/index.js";

// Which pending deliveries the scheduled sweep takes as having lost their queue message: those whose next attempt
// (or the end of the lease holding them) is overdue by more than the margin.

const NOW = new Date("2026-03-01T12:00:00.000Z");
const MARGIN = 15 * 60 * 1000;
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

function deliveryFactory(overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    id: `d-${Math.random().toString(36).slice(2)}`,
    owner: "uni-zed",
    status: "pending",
    attempts: 1,
    credentialId: "urn:uuid:1",
    recipientKind: "email",
    recipientHash: "0".repeat(64),
    createdAt: minutesAgo(120),
    updatedAt: minutesAgo(60),
    nextAttemptAt: minutesAgo(60),
    expiresAt: "2026-04-01T00:00:00.000Z",
    ...overrides,
  };
}

describe("overdue deliveries", () => {
  it("takes a pending delivery due longer ago than the margin, and not one due within it or in the future", () => {
    // Prepare
    const lost = deliveryFactory({ nextAttemptAt: minutesAgo(16) });
    const late = deliveryFactory({ nextAttemptAt: minutesAgo(14) });
    const future = deliveryFactory({ nextAttemptAt: minutesAgo(-30) });
    // Act
    const overdue = overdueDeliveries([lost, late, future], NOW, MARGIN);
    // Assess
    expect(overdue.map((d) => d.id)).toEqual([lost.id]);
  });

  it("counts from the end of a lease when an attempt holds the delivery, and never takes an ended delivery", () => {
    // Prepare
    const leased = deliveryFactory({ nextAttemptAt: minutesAgo(60), leaseUntil: minutesAgo(5) });
    const leaseLongOver = deliveryFactory({ nextAttemptAt: minutesAgo(60), leaseUntil: minutesAgo(20) });
    const delivered = deliveryFactory({ status: "delivered", nextAttemptAt: minutesAgo(60) });
    const failed = deliveryFactory({ status: "failed", nextAttemptAt: minutesAgo(60) });
    // Act
    const overdue = overdueDeliveries([leased, leaseLongOver, delivered, failed], NOW, MARGIN);
    // Assess
    expect(overdue.map((d) => d.id)).toEqual([leaseLongOver.id]);
  });

  it("falls back to the creation time for a delivery without a next attempt time", () => {
    // Prepare
    const { nextAttemptAt: _, ...withoutNext } = deliveryFactory({ createdAt: minutesAgo(30) });
    // Act
    const overdue = overdueDeliveries([withoutNext], NOW, MARGIN);
    // Assess
    expect(overdue).toHaveLength(1);
  });
});

describe("the sweep event", () => {
  it("is told from SQS batches and HTTP requests", () => {
    expect(isDeliverySweepEvent(DELIVERY_SWEEP_EVENT)).toBe(true);
    expect(isDeliverySweepEvent({ ...DELIVERY_SWEEP_EVENT, Records: [] })).toBe(false);
    expect(isDeliverySweepEvent({ ...DELIVERY_SWEEP_EVENT, routeKey: "GET /" })).toBe(false);
    expect(isDeliverySweepEvent({ "edc-gateway": "registry-refresh" })).toBe(false);
    expect(isDeliverySweepEvent(null)).toBe(false);
  });
});
