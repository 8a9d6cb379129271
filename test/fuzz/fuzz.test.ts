import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FuzzTarget, type RouteWorld, readerTargets, routeTargets } from "./targets.js";
import { startRouteWorld } from "./world.js";

// The fixed-seed slice of `npm run fuzz`: the same properties over every reader, the sniffer and every route, with a
// few cases each so that it stays within seconds. A failure prints the shrunk counterexample.

const SEED = 20261123;
const READER_RUNS = 60;
const ROUTE_RUNS = 6;

let world: RouteWorld;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ world, close } = await startRouteWorld());
});

afterAll(async () => close?.());

const runAll = async (targets: FuzzTarget[], runs: number) => {
  const failures: string[] = [];
  let total = 0;
  for (const target of targets) {
    const result = await target.run(runs, SEED);
    total += result.runs;
    if (result.failed) failures.push(`${result.target}: ${result.failure}`);
  }
  return { failures, total };
};

describe("fuzzing, fixed-seed slice", () => {
  it("no reader, sniffer or document preparation throws on any input", async () => {
    // Act
    const { failures, total } = await runAll(readerTargets(), READER_RUNS);

    // Assess
    expect(failures).toEqual([]);
    expect(total).toBeGreaterThan(READER_RUNS * 5);
  });

  it("no route answers 5xx, rejects, or answers a 4xx that is not problem+json", async () => {
    // Act
    const { failures, total } = await runAll(routeTargets(world), ROUTE_RUNS);

    // Assess
    expect(failures).toEqual([]);
    expect(total).toBeGreaterThan(ROUTE_RUNS * 30);
  }, 120_000);
});
