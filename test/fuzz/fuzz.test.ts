import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PARTITION_KEY, SORT_KEY } from "../../functions/adapters/aws/table.js";
import { hostileTargets } from "./hostile-targets.js";
import { type FuzzTarget, type RouteWorld, readerTargets, routeTargets } from "./targets.js";
import { type RouteWorldHandle, startRouteWorld } from "./world.js";

// The fixed-seed slice of `npm run fuzz`: the same properties over every reader, the sniffer and every route, with a
// few cases each so that it stays within seconds. A failure prints the shrunk counterexample.

const SEED = 20261123;
const READER_RUNS = 60;
const ROUTE_RUNS = 6;

let handle: RouteWorldHandle;
let world: RouteWorld;
let storedBefore: Set<string>;

beforeAll(async () => {
  handle = await startRouteWorld();
  world = handle.world;
  storedBefore = await handle.storedKeys();
});

afterAll(async () => handle?.close());

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

  it("answers the hostile corpus's attacks, as they are and mutated, without a 5xx on any route", async () => {
    // Act: one case per entry here (the bombs take seconds); `npm run fuzz` runs 20 each.
    const { failures, total } = await runAll(hostileTargets(world), 1);

    // Assess
    expect(failures).toEqual([]);
    expect(total).toBeGreaterThan(20);
  }, 180_000);

  it("lost nothing stored before the fuzzing, and would see a lost item", async () => {
    // Assess: after every target above ran.
    expect(await handle.lost(storedBefore)).toEqual([]);

    // The check can fail: delete one item the gateway stored before, and it is reported.
    const [victim] = [...storedBefore];
    expect(victim).toBeDefined();
    const [pk, sk] = String(victim).split(" ");
    await handle.scanner.send(
      new DeleteCommand({ TableName: world.deps.config.tableName, Key: { [PARTITION_KEY]: pk, [SORT_KEY]: sk } }),
    );
    expect(await handle.lost(storedBefore)).toContain(`stored item ${victim}`);
  });
});
