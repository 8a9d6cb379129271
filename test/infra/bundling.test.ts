import { existsSync } from "node:fs";
import path from "node:path";
import { OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import fullCountries from "i18n-iso-countries";
import { describe, expect, it } from "vitest";
import { FAMILIES } from "../../functions/http/contract.js";
import {
  BUNDLE,
  ESM_REQUIRE_BANNER,
  esbuildOptions,
  handlerEntry,
  hasHandler,
  nodejsBundling,
  PROJECT_ROOT,
  WORKERS,
} from "../../infra/bundling.js";
import { httpClient } from "../../infra/stubs/http-client.js";
import englishCountries from "../../infra/stubs/i18n-iso-countries-en.js";

describe("bundle options", () => {
  it("give NodejsFunction and the build script the same esbuild settings", () => {
    // Prepare
    const cdk = nodejsBundling();

    // Act
    const api = esbuildOptions("meta");

    // Assess
    expect(cdk.format).toBe(OutputFormat.ESM);
    expect(api.format).toBe("esm");
    expect(cdk.target).toBe(api.target);
    expect(cdk.mainFields).toEqual(api.mainFields);
    expect(cdk.banner).toBe(api.banner?.js);
    expect(cdk.minify).toBe(api.minify);
    expect(cdk.sourceMap).toBe(api.sourcemap);
    expect(cdk.sourcesContent).toBe(api.sourcesContent);
    expect(cdk.externalModules).toEqual(api.external);
    expect(cdk.esbuildArgs).toEqual(
      Object.fromEntries(Object.entries(api.alias ?? {}).map(([from, to]) => [`--alias:${from}`, to])),
    );
  });

  it("emit ESM for Node 24 with a working require, bundling the AWS SDK", () => {
    expect(BUNDLE).toMatchObject({ format: "esm", target: "node24", mainFields: ["module", "main"], minify: true });
    expect(BUNDLE.banner).toBe(ESM_REQUIRE_BANNER);
    expect(ESM_REQUIRE_BANNER).toBe('import{createRequire}from"module";const require=createRequire(import.meta.url);');
    expect(BUNDLE.external).toEqual([]);
    expect(nodejsBundling().bundleAwsSDK).toBe(true);
  });

  it("write each family to dist/{family}/index.mjs from functions/handlers/{family}.ts", () => {
    for (const family of FAMILIES) {
      const options = esbuildOptions(family);
      expect(options.entryPoints).toEqual([path.join(PROJECT_ROOT, "functions", "handlers", `${family}.ts`)]);
      expect(options.outfile).toBe(path.join(PROJECT_ROOT, "dist", family, "index.mjs"));
    }
  });

  it("bundle each worker the same way, from functions/handlers/{worker}.ts to dist/{worker}/index.mjs", () => {
    // Prepare
    const family = esbuildOptions("meta");

    // Act
    const workers = WORKERS.map((worker) => ({ worker, options: esbuildOptions(worker) }));

    // Assess
    expect(WORKERS).toEqual(["jobs-worker", "deliveries-worker"]);
    for (const { worker, options } of workers) {
      expect(options.entryPoints).toEqual([path.join(PROJECT_ROOT, "functions", "handlers", `${worker}.ts`)]);
      expect(options.outfile).toBe(path.join(PROJECT_ROOT, "dist", worker, "index.mjs"));
      expect(handlerEntry(worker)).toBe(path.join(PROJECT_ROOT, "functions", "handlers", `${worker}.ts`));
      expect(hasHandler(worker), worker).toBe(true);
      // Everything but the entry and the output is the families' settings.
      const { entryPoints: _entry, outfile: _out, ...settings } = options;
      const { entryPoints: _familyEntry, outfile: _familyOut, ...familySettings } = family;
      expect(settings).toEqual(familySettings);
    }
    expect(WORKERS.filter((worker) => (FAMILIES as readonly string[]).includes(worker))).toEqual([]);
  });

  it("alias modules to stubs that exist", () => {
    for (const target of Object.values(BUNDLE.alias))
      expect(existsSync(path.join(PROJECT_ROOT, target)), target).toBe(true);
  });

  it("stub jsonld's HTTP client with one that refuses every request", () => {
    const get = httpClient.get as () => unknown;
    expect(() => get()).toThrow(/disabled/);
    expect(httpClient.then).toBeUndefined();
  });

  it("stub i18n-iso-countries with English names only, answering every English lookup as the full package does", () => {
    // Prepare (in one process both share the library object, so only the English answers can be compared here)
    const codes = Object.keys(fullCountries.getAlpha2Codes());

    // Act
    const names = codes.map((code) => englishCountries.getName(code, "en"));

    // Assess
    expect(BUNDLE.alias["i18n-iso-countries"]).toBe("./infra/stubs/i18n-iso-countries-en.ts");
    expect(names).toEqual(codes.map((code) => fullCountries.getName(code, "en")));
    expect(englishCountries.getAlpha2Code("Ireland", "en")).toBe("IE");
    expect(englishCountries.alpha3ToAlpha2("IRL")).toBe("IE");
  });
});
