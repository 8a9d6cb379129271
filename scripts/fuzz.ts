/**
 * `npm run fuzz`: the fuzz properties of `test/fuzz/targets.ts` over every reader, the sniffer, document preparation
 * and every route, and of `test/fuzz/hostile-targets.ts` (the hostile corpus's attacks, as they are and mutated, on
 * every route that takes a body), with at least 100,000 cases in total (`--total N`, `--seed N`) plus 20 per hostile entry (`--hostile N`). Prints the cases
 * run per target, any shrunk counterexample, and the unhandled errors seen; then checks that nothing stored before
 * the run was lost (every table item, the credential issued before still verifying). Exits 1 when anything failed.
 */
import { parseArgs } from "node:util";

// Before the gateway's modules load: their loggers read the level once.
process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const { values } = parseArgs({
  options: {
    total: { type: "string", default: "100000" },
    hostile: { type: "string", default: "20" },
    seed: { type: "string" },
  },
});
const total = Number(values.total);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
if (!Number.isSafeInteger(total) || total < 1) throw new Error("--total must be a positive integer");
const perHostile = Number(values.hostile);
if (!Number.isSafeInteger(perHostile) || perHostile < 0) throw new Error("--hostile must be a whole number");

let unhandled = 0;
process.on("unhandledRejection", (e) => {
  unhandled++;
  console.error("unhandled rejection:", e);
});
process.on("uncaughtException", (e) => {
  unhandled++;
  console.error("uncaught exception:", e);
});

const { budget, readerTargets, routeTargets } = await import("../test/fuzz/targets.js");
const { hostileTargets } = await import("../test/fuzz/hostile-targets.js");
const { startRouteWorld } = await import("../test/fuzz/world.js");

const { world, storedKeys, lost, close } = await startRouteWorld();
const storedBefore = await storedKeys();
const hostile = hostileTargets(world);
// The hostile entries are bombs and floods (seconds each): a fixed number of cases each, not a share of the total.
const plan = new Map([
  ...budget([...readerTargets(), ...routeTargets(world)], total, 200),
  ...hostile.map((t) => [t, perHostile] as const),
]);
console.log(`fuzzing ${plan.size} targets, ${[...plan.values()].reduce((a, b) => a + b, 0)} cases, seed ${seed}`);

const started = performance.now();
let runs = 0;
const failures: string[] = [];
for (const [target, n] of plan) {
  const t0 = performance.now();
  const result = await target.run(n, seed);
  runs += result.runs;
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `${result.failed ? "FAIL" : "ok  "} ${String(result.runs).padStart(7)}  ${seconds.padStart(6)} s  ${result.target}`,
  );
  if (result.failed) failures.push(`${result.target}\n${result.failure}`);
}
const missing = await lost(storedBefore);
await close();
if (missing.length > 0) failures.push(`nothing stored may be lost, but:\n${missing.join("\n")}`);

console.log(
  `\n${runs} cases in ${((performance.now() - started) / 1000).toFixed(0)} s: ${failures.length} failing targets, ${unhandled} unhandled errors (seed ${seed})`,
);
for (const f of failures) console.log(`\n--- ${f}`);
process.exit(failures.length > 0 || unhandled > 0 ? 1 : 0);
