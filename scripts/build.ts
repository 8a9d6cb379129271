/**
 * `npm run build`: bundles every Lambda function, the HTTP families and the workers (`functions/handlers/{entry}.ts`),
 * into `dist/{entry}/` (`index.mjs` and the chunks it loads on demand) with the options CDK deploys with
 * (`infra/bundling.ts`), writes esbuild's metafile next to each bundle, and prints the entry chunk's size, the total of
 * every chunk, and each bundle's largest inputs. Exits non-zero when a bundle fails or pulls in a module that must
 * stay out (jsonld's HTTP client and its transport).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";
import { FAMILIES } from "../functions/http/contract.js";
import {
  type BundleEntry,
  copyBundleFiles,
  esbuildOptions,
  initialChunks,
  PROJECT_ROOT,
  WORKERS,
} from "../infra/bundling.js";

const OUT_DIR = path.join(PROJECT_ROOT, "dist");

/** Everything that deploys as a Lambda function: one bundle per HTTP family, one per worker. */
const ENTRIES: readonly BundleEntry[] = [...FAMILIES, ...WORKERS];

/** Inputs that must never be bundled: the gateway serves JSON-LD contexts from pinned copies, never over HTTP. */
const FORBIDDEN_INPUTS = [
  /node_modules\/@digitalbazaar\/http-client\//,
  /node_modules\/undici\//,
  /node_modules\/ky\//,
];

interface BundleReport {
  entry: BundleEntry;
  /** The entry chunk `index.mjs`. */
  bytes: number;
  /** The entry chunk and the chunks it imports statically: what the function's init loads. */
  initBytes: number;
  /** Every chunk the function can load (esbuild also writes chunks for `import()`s in tree-shaken code). */
  totalBytes: number;
  gzipBytes: number;
  mapBytes: number;
  /** The three largest input files, and the three largest packages (inputs summed per npm package). */
  largest: { input: string; bytes: number }[];
  largestPackages: { input: string; bytes: number }[];
  forbidden: string[];
  millis: number;
}

/** Shortens `node_modules/pkg/file.js` (nested too) to `pkg/file.js`; project files stay as they are. */
const shortInput = (input: string): string => {
  const i = input.lastIndexOf("node_modules/");
  return i === -1 ? input : input.slice(i + "node_modules/".length);
};

/** The npm package an input belongs to (`@scope/name` or `name`), or `(project)`. */
const packageOf = (input: string): string => {
  if (!input.includes("node_modules/")) return "(project)";
  const [first, second] = shortInput(input).split("/");
  return first?.startsWith("@") ? `${first}/${second}` : (first ?? input);
};

const top3 = (entries: { input: string; bytes: number }[]) =>
  [...entries].sort((a, b) => b.bytes - a.bytes).slice(0, 3);

async function bundle(entry: BundleEntry): Promise<BundleReport> {
  const started = performance.now();
  const options = esbuildOptions(entry, OUT_DIR);
  const outdir = options.outdir as string;
  const outfile = path.join(outdir, "index.mjs");
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build(options);
  copyBundleFiles(entry, outdir);
  const metafile = result.metafile as Metafile;
  writeFileSync(path.join(outdir, "meta.json"), JSON.stringify(metafile));

  const code = readFileSync(outfile);
  // Inputs of every chunk: the largest inputs are the bundle's, wherever esbuild put them.
  const inputs = Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs).map(([input, { bytesInOutput }]) => ({ input, bytes: bytesInOutput })),
  );
  const perPackage = new Map<string, number>();
  for (const { input, bytes } of inputs)
    perPackage.set(packageOf(input), (perPackage.get(packageOf(input)) ?? 0) + bytes);
  return {
    entry,
    bytes: code.byteLength,
    initBytes: initialChunks(metafile).reduce((sum, file) => sum + (metafile.outputs[file]?.bytes ?? 0), 0),
    totalBytes: initialChunks(metafile, true).reduce((sum, file) => sum + (metafile.outputs[file]?.bytes ?? 0), 0),
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
    mapBytes: readFileSync(`${outfile}.map`).byteLength,
    largest: top3(inputs).map(({ input, bytes }) => ({ input: shortInput(input), bytes })),
    largestPackages: top3([...perPackage].map(([input, bytes]) => ({ input, bytes }))),
    forbidden: Object.keys(metafile.inputs).filter((input) => FORBIDDEN_INPUTS.some((re) => re.test(input))),
    millis: performance.now() - started,
  };
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

function printReports(reports: BundleReport[]): void {
  const rows = reports.map((r) => [
    r.entry,
    r.bytes.toLocaleString("en"),
    kb(r.bytes),
    kb(r.initBytes),
    kb(r.totalBytes),
    r.gzipBytes.toLocaleString("en"),
    kb(r.gzipBytes),
    kb(r.mapBytes),
    `${Math.round(r.millis)} ms`,
  ]);
  const header = ["function", "entry bytes", "", "loaded at init", "loadable", "gzip -9", "", "map", "time"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log("\nLargest inputs, by file and by package (bytes in the minified output):");
  for (const r of reports) {
    console.log(`  ${r.entry}`);
    for (const { input, bytes } of r.largest) console.log(`    ${kb(bytes).padStart(10)}  ${input}`);
    for (const { input, bytes } of r.largestPackages) console.log(`    ${kb(bytes).padStart(10)}  [${input}]`);
  }
}

async function main(): Promise<number> {
  const settled = await Promise.allSettled(ENTRIES.map(bundle));
  const reports: BundleReport[] = [];
  let failed = 0;
  settled.forEach((outcome, i) => {
    if (outcome.status === "fulfilled") {
      reports.push(outcome.value);
    } else {
      failed++;
      // esbuild has already printed its diagnostics; name the bundle that failed.
      const reason = outcome.reason instanceof Error ? outcome.reason.message.split("\n")[0] : String(outcome.reason);
      console.error(`✗ ${ENTRIES[i]}: ${reason}`);
    }
  });
  if (reports.length > 0) printReports(reports);
  for (const r of reports.filter((report) => report.forbidden.length > 0)) {
    failed++;
    console.error(`✗ ${r.entry} bundles modules that must stay out (alias them in infra/bundling.ts):`);
    for (const input of r.forbidden) console.error(`    ${input}`);
  }
  if (failed > 0) console.error(`\n${failed} problem(s); see above.`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
