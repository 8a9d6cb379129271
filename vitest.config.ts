import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";

/** Chromium from Debian (`apt-get install chromium`); e2e tests run only where it is present. */
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  test: {
    env: { POWERTOOLS_LOG_LEVEL: "SILENT", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      { extends: true, test: { name: "contract", include: ["test/contract/**/*.test.ts"] } },
      { extends: true, test: { name: "integration", include: ["test/integration/**/*.test.ts"] } },
      { extends: true, test: { name: "infra", include: ["test/infra/**/*.test.ts"] } },
      { extends: true, test: { name: "corpus", include: ["test/corpus/**/*.test.ts"] } },
      { extends: true, test: { name: "hostile", include: ["test/hostile/**/*.test.ts", "test/fuzz/**/*.test.ts"] } },
      ...(existsSync(chromium)
        ? [{ extends: true as const, test: { name: "e2e", include: ["test/e2e/**/*.test.ts"] } }]
        : []),
    ],
  },
});
