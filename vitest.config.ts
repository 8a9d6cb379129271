import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

/** Chromium from Debian (`apt-get install chromium`); e2e tests run only where it is present. */
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Files that run only in `npm run test:full` (`vitest run` with every project), not in `npm test`
 * (`vitest run --project '!slow'`): each is long because it waits on real time (queue visibility timeouts, a
 * pre-signed upload and a worker on moto), not because it computes much, and what it checks the rest of the suite
 * checks at a smaller scale. `.ci/run` runs `npm run test:full` after `npm test`.
 */
const SLOW = ["test/integration/rehearsal.test.ts", "test/integration/synth-matches-rehearsal.test.ts"];

/**
 * Files that assert wall-clock budgets (a 503 at the request budget, a refusal "fast", /health answering during a
 * large check): they run alone, after the parallel files (a project with one worker is a group of its own), so that
 * the other workers' CPU does not make them miss their budgets.
 */
const TIMED = ["test/integration/request-timeout.test.ts", "test/integration/work-budget.test.ts"];

/**
 * Vitest's default in `run` mode is one worker fewer than the cores, which is a single worker on a 2-core machine.
 * Most files spend much of their time waiting on child processes, sockets and timers (moto, a spawned gateway, the
 * wallet emulator's delays), so one worker per core plus one keeps both cores busy. `VITEST_MAX_WORKERS` overrides.
 */
const maxWorkers = Number(process.env.VITEST_MAX_WORKERS ?? availableParallelism() + 1);

export default defineConfig({
  test: {
    env: { POWERTOOLS_LOG_LEVEL: "SILENT", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers,
    projects: [
      // Unit and corpus files share their workers' module graph (no re-import of jsonld, ajv, the AWS SDK... per
      // file): that cuts the unit project's CPU time by about 40 %. None of them mocks modules or stubs globals; a file
      // that must be isolated belongs in another project.
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"], isolate: false } },
      { extends: true, test: { name: "contract", include: ["test/contract/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...SLOW, ...TIMED],
        },
      },
      { extends: true, test: { name: "infra", include: ["test/infra/**/*.test.ts"] } },
      { extends: true, test: { name: "corpus", include: ["test/corpus/**/*.test.ts"], isolate: false } },
      { extends: true, test: { name: "hostile", include: ["test/hostile/**/*.test.ts", "test/fuzz/**/*.test.ts"] } },
      { extends: true, test: { name: "timed", include: TIMED, maxWorkers: 1 } },
      { extends: true, test: { name: "slow", include: SLOW } },
      ...(existsSync(chromium)
        ? [{ extends: true as const, test: { name: "e2e", include: ["test/e2e/**/*.test.ts"] } }]
        : []),
    ],
  },
});
