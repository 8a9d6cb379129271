/**
 * One definition of how a Lambda bundle is built, shared by the CDK functions ({@link lambdaCode}, at synth) and by
 * `scripts/build.ts` (for size reports and inspection): both run esbuild's API with {@link bundleOptions}, so what
 * we measure is what we deploy.
 *
 * Why code splitting (cold start): code only some routes reach (exceljs for XLSX, jsonld and the RDF
 * canonicalizer for Data Integrity, ...) is loaded with `import()`; with `splitting` esbuild writes it to chunks next
 * to `index.mjs` that Node loads on the first such request, so the function's init imports only the entry chunk.
 * `NodejsFunction` cannot split (it always passes `--outfile`, and esbuild splits only into an `outdir`), so each
 * function's code is a directory asset that CDK bundles locally with these options, as `NodejsFunction` would.
 *
 * Why ESM with a `createRequire` banner: `@digitalbazaar/credentials-context` resolves its files with
 * `new URL(..., import.meta.url)` at load time; in CJS output `import.meta` is empty and the bundle crashes on
 * require (toolchain-spike.md 2.6). ESM keeps `import.meta.url`; the banner gives CJS dependencies bundled into ESM
 * a working `require` for node built-ins. `mainFields: module,main` prefers packages' ESM builds.
 */
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AssetHashType, DockerImage, type ILocalBundling } from "aws-cdk-lib";
import { Code } from "aws-cdk-lib/aws-lambda";
import { type BuildOptions, buildSync } from "esbuild";
import {
  API_REFERENCE_BUNDLE_DIR,
  API_REFERENCE_LIBRARY_FILES,
  API_REFERENCE_PACKAGE,
} from "../functions/http/api-reference.js";
import type { Family } from "../functions/http/contract.js";

/** The repository root: esbuild's working directory, and the source of the functions' code assets. */
export const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Directory of the handler entry files, relative to {@link PROJECT_ROOT}. */
export const HANDLERS_DIR = "functions/handlers";

/**
 * Functions that are not HTTP families: invoked by an event source (an SQS queue), not by a route. Each is bundled from
 * `functions/handlers/{worker}.ts` like the families, and deployed as its own Lambda function.
 */
export const WORKERS = ["jobs-worker", "deliveries-worker"] as const;
export type WorkerName = (typeof WORKERS)[number];

/** Anything bundled into a Lambda function: an HTTP family (`FAMILIES` in the route contract) or a worker. */
export type BundleEntry = Family | WorkerName;

/** Absolute path of an entry's handler: `functions/handlers/{entry}.ts`, exporting `handler`. */
export const handlerEntry = (entry: BundleEntry): string => path.join(PROJECT_ROOT, HANDLERS_DIR, `${entry}.ts`);

/** Whether an entry's handler file exists yet (the bundler needs it; the assertion tests do not). */
export const hasHandler = (entry: BundleEntry): boolean => existsSync(handlerEntry(entry));

export const ESM_REQUIRE_BANNER = 'import{createRequire}from"module";const require=createRequire(import.meta.url);';

/**
 * The bundle settings, in esbuild's own terms. Everything below derives from this object.
 * - `target: node24`: the Lambda runtime (Runtime.NODEJS_24_X).
 * - `external: []`: the AWS SDK v3 is bundled, so we run the versions we tested, not whatever the runtime ships, and
 *   tree-shaking keeps only the clients we use.
 * - `sourcesContent: false`: source maps map stack traces to files and lines without shipping the sources again.
 * - `alias`: modules replaced by stubs. jsonld's HTTP client is never used (contexts are served from pinned copies)
 *   but would pull in ky and undici; the alias only applies if something imports it. `i18n-iso-countries` becomes
 *   the library with its English names only (the gateway asks for no other language; every locale is ~0.7 MB).
 */
export const BUNDLE = {
  platform: "node",
  format: "esm",
  target: "node24",
  mainFields: ["module", "main"],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  external: [] as readonly string[],
  alias: {
    "@digitalbazaar/http-client": "./infra/stubs/http-client.ts",
    "i18n-iso-countries": "./infra/stubs/i18n-iso-countries-en.ts",
  } as Readonly<Record<string, string>>,
  /** Code reached through `import()` goes to chunks loaded on demand (ESM only). */
  splitting: true,
  /** The entry chunk is `index.mjs` (the Lambda handler `index.handler`), as `NodejsFunction` names ESM output. */
  outFile: "index.mjs",
  /**
   * Chunks sit beside the entry, not in a subdirectory: a dependency that resolves files with
   * `new URL(..., import.meta.url)` sees the same directory from any chunk.
   */
  chunkNames: "chunk-[hash]",
} as const;

/** esbuild API options for one entry's bundle, written to `outdir` (`index.mjs`, its chunks, their source maps). */
export function bundleOptions(entry: BundleEntry, outdir: string): BuildOptions {
  return {
    absWorkingDir: PROJECT_ROOT,
    entryPoints: { index: handlerEntry(entry) },
    outdir,
    outExtension: { ".js": ".mjs" },
    splitting: BUNDLE.splitting,
    chunkNames: BUNDLE.chunkNames,
    bundle: true,
    platform: BUNDLE.platform,
    format: BUNDLE.format,
    target: BUNDLE.target,
    mainFields: [...BUNDLE.mainFields],
    banner: { js: BUNDLE.banner },
    minify: BUNDLE.minify,
    sourcemap: BUNDLE.sourcemap,
    sourcesContent: BUNDLE.sourcesContent,
    external: [...BUNDLE.external],
    alias: { ...BUNDLE.alias },
    metafile: true,
    logLevel: "warning",
  };
}

/**
 * Files a function reads at run time, copied from an installed package into a directory beside its `index.mjs`: the
 * meta function's API reference page (Swagger UI, 1.9 MB) is read from there on its first request, so neither the
 * entry chunk nor the function's init carries it.
 */
export const BUNDLE_FILES: Partial<Record<BundleEntry, { package: string; files: readonly string[]; dir: string }[]>> =
  {
    meta: [{ package: API_REFERENCE_PACKAGE, files: API_REFERENCE_LIBRARY_FILES, dir: API_REFERENCE_BUNDLE_DIR }],
  };

/** Copies an entry's {@link BUNDLE_FILES} into its bundle directory `outdir`. */
export function copyBundleFiles(entry: BundleEntry, outdir: string): void {
  const installed = createRequire(path.join(PROJECT_ROOT, "package.json"));
  for (const { package: pkg, files, dir } of BUNDLE_FILES[entry] ?? []) {
    const from = path.dirname(installed.resolve(`${pkg}/package.json`));
    mkdirSync(path.join(outdir, dir), { recursive: true });
    for (const file of files) copyFileSync(path.join(from, file), path.join(outdir, dir, file));
  }
}

/** {@link bundleOptions} for `npm run build`: each entry in `{outDir}/{entry}/`. */
export function esbuildOptions(entry: BundleEntry, outDir = path.join(PROJECT_ROOT, "dist")): BuildOptions {
  return bundleOptions(entry, path.join(outDir, entry));
}

/**
 * A function's code: the entry's bundle directory, built at synth by esbuild in this process with
 * {@link bundleOptions} (what `NodejsFunction` does, with code splitting). The asset hash is the output's, so an
 * unchanged bundle is not uploaded again; a synth that skips bundling (the infra tests) builds nothing.
 */
export function lambdaCode(entry: BundleEntry): Code {
  return Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type, never pulled: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry("dummy"),
      local: new LocalBundle(entry),
    },
  });
}

/**
 * Builds one entry's bundle into CDK's output directory. A class with the entry as data, not a bare function: CDK
 * caches staged assets by the JSON of their bundling options within a synth, and functions do not serialise, so
 * bundlers that differ only in a closure would all get the first one's bundle.
 */
class LocalBundle implements ILocalBundling {
  constructor(readonly entry: BundleEntry) {}

  tryBundle(outputDir: string): boolean {
    buildSync({ ...bundleOptions(this.entry, outputDir), metafile: false });
    copyBundleFiles(this.entry, outputDir);
    return true;
  }
}

/** One output of an esbuild metafile, as far as {@link initialChunks} reads it. */
interface MetafileOutputs {
  outputs: Record<string, { bytes: number; imports: { path: string; kind: string }[] }>;
}

/**
 * The chunks a function's init loads: its entry chunk (`…/index.mjs`) and every chunk that it imports statically,
 * transitively (shared code esbuild split out). Chunks reached only through `import()` load on first use and are
 * not among them (unless `withDynamic`: then every chunk the function can ever load; esbuild also writes chunks for
 * `import()`s in code it tree-shook, which nothing loads). Paths as the metafile has them (relative to the project root).
 */
export function initialChunks(metafile: MetafileOutputs, withDynamic = false): string[] {
  const entry = Object.keys(metafile.outputs).find((file) => file.endsWith("/index.mjs"));
  if (!entry) return [];
  const seen = new Set([entry]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const { path: imported, kind } of metafile.outputs[file]?.imports ?? []) {
      const follows = kind === "import-statement" || (withDynamic && kind === "dynamic-import");
      if (follows && imported in metafile.outputs && !seen.has(imported)) {
        seen.add(imported);
        queue.push(imported);
      }
    }
  }
  return [...seen];
}
