/**
 * `npm run bench`: the gateway's hot paths against what a user would otherwise use, on the same inputs, in one
 * process on this machine. Prints ratios (ours / peer) with the absolute rates beside them: (1) eddsa-rdfc-2022
 * issuance and verification vs Digital Bazaar (byte-identical proofs asserted), (2) canonicalization vs
 * `jsonld.canonize`, (3) conversion per format pair, (4) JAdES seal and verify, (5) a bulk job end to end in local
 * mode with its peak RSS, (6) a bulk job at a simulated KMS quota (`kms-rate.ts`), (7) per-function bundle size and
 * cold init; plus compact JWS signing and CSV reading.
 *
 * `npm run bench -- --quick` (or `BENCH_QUICK=1`): fewer rounds, a 1,000-row bulk job, for iteration.
 * `BENCH_BULK_ROWS=N` sets the bulk job's rows: default 10,000 (1,000 quick), with the 100,000-row wall time projected
 * from its rate, because the real 100,000-row job takes longer than the rest of the bench together; run
 * `BENCH_BULK_ROWS=100000` for the measured figure and its peak RSS. `BENCH_ONLY=eddsa,bulk,...` runs
 * only the named sections (spreadsheets, signing, eddsa, conversions, jades, bulk, kms, bundles).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as vc from "@digitalbazaar/vc";
import { parse as parseCsv } from "csv-parse/sync";
import { CompactSign, importJWK, type JWK } from "jose";
import jsonld from "jsonld";
import { FileKeyStore } from "../functions/adapters/local/file-keys.js";
import { didDocument, KEY_ALGORITHMS, KEY_FRAGMENTS, verificationMethodId } from "../functions/core/issuers/did.js";
import { FAMILIES } from "../functions/http/contract.js";
import type { IssuerRecord, KeyType, SignatureAlgorithm } from "../functions/kernel/ports/index.js";
import { createEddsaRdfc2022Proof, verifyEddsaRdfc2022Proof } from "../functions/proofs/data-integrity.js";
import { canonize } from "../functions/proofs/rdfc.js";
import { initialChunks, WORKERS } from "../infra/bundling.js";
import { documentLoader, pinnedContexts } from "../mappings/contexts.js";
import { readCsv } from "../mappings/spreadsheet/csv.js";
import { corpusJson } from "../test/support/corpus.js";
import { dbLoaderFor, resolverFor } from "../test/support/data-integrity.js";
import type { BulkJobFigures } from "./bulk-job.js";
import { conversions } from "./conversions.js";
import { compare, formatComparison, medianOf } from "./harness.js";
import { jades } from "./jades.js";
import { kmsRate } from "./kms-rate.js";

/** Quick mode: fewer and shorter rounds, a small bulk job; same figures. */
const QUICK = process.argv.includes("--quick") || process.env.BENCH_QUICK === "1";
/** Fewer operations per round in quick mode. */
const scaled = (n: number): number => (QUICK ? Math.max(10, Math.round(n / 5)) : n);
const ROUNDS = QUICK ? 3 : 7;

const enc = new TextEncoder();
const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64url");

/** Compact JWS through the Signer port (what issuing does) vs jose signing with the same private key in-process. */
async function signing(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "bench-keys-"));
  const store = new FileKeyStore({ dir });
  const lines: string[] = [];
  const payload = JSON.stringify({ iss: "did:web:gw.example.org:issuers:bench", sub: "urn:uuid:1", vc: { n: 1 } });
  const cases: [KeyType, SignatureAlgorithm][] = [
    ["Ed25519", "EdDSA"],
    ["P-256", "ES256"],
    ["RSA-2048", "RS256"],
  ];
  try {
    for (const [type, alg] of cases) {
      const key = await store.createKey(type, { issuerId: "bench" });
      // The peer signs with the same key, read from the store's own file.
      const joseKey = await importJWK(privateJwkOf(dir, key.keyRef), alg);
      const header = { alg, kid: "did:web:gw.example.org:issuers:bench#k" };
      const input = `${b64url(JSON.stringify(header))}.${b64url(payload)}`;
      const r = await compare({
        label: `${alg} compact JWS`,
        ours: {
          name: "Signer port",
          run: async () => `${input}.${b64url(await store.sign(key.keyRef, alg, enc.encode(input)))}`,
        },
        peer: {
          name: "jose",
          run: () => new CompactSign(enc.encode(payload)).setProtectedHeader(header).sign(joseKey),
        },
        batch: scaled(type === "RSA-2048" ? 50 : 300),
        rounds: ROUNDS,
      });
      lines.push(formatComparison(r, "jose"));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

/** The private key of a FileKeyStore key, read from its file (bench only; the gateway never exports it). */
function privateJwkOf(dir: string, keyRef: string): JWK {
  const file = JSON.parse(readFileSync(join(dir, `${keyRef}.json`), "utf8")) as Record<string, unknown>;
  const pem = Object.values(file).find((v) => typeof v === "string" && v.includes("PRIVATE KEY")) as string;
  return createPrivateKey(pem).export({ format: "jwk" }) as JWK;
}

/**
 * eddsa-rdfc-2022 issuance and verification of an OB 3.0 credential (the 1EdTech validator's simple.json): ours
 * (Signer port + jsonld RDFC-1.0) vs Digital Bazaar's `vc.issue` / `vc.verifyCredential` with the same key, input,
 * `created` and contexts. Ed25519 is deterministic, so the two proofs must be byte-identical; checked before timing.
 */
/**
 * Warm-up operations per side before the eddsa rounds, in quick mode too: our path runs in ~0.2 ms, so a warm-up of
 * one quick batch (20 operations) left it interpreted for the first timed rounds while the peer, ~15x slower per
 * operation, had warmed up; both sides get the same count.
 */
const EDDSA_WARMUP = 300;

async function eddsa(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "bench-keys-"));
  const store = new FileKeyStore({ dir });
  try {
    const issuerId = "did:web:gw.example.org:issuers:bench";
    const record = await store.createKey("Ed25519", { issuerId });
    const key = { ...record, fragment: KEY_FRAGMENTS.Ed25519, algorithms: [...KEY_ALGORITHMS.Ed25519] };
    const issuer: IssuerRecord = {
      id: issuerId,
      slug: "bench",
      didMethod: "web",
      name: "Bench",
      country: "DE",
      keys: [key],
      createdAt: "2026-01-01T00:00:00Z",
    };
    const verificationMethod = verificationMethodId(issuer, key);
    const created = new Date("2026-03-01T10:00:00Z");
    const { proof: _proof, ...fixture } = corpusJson("ob3/validator-fixtures/simple.json");
    const credential: Record<string, unknown> = { ...fixture, issuer: { ...fixture.issuer, id: issuerId } };

    const seed = new Uint8Array(Buffer.from(privateJwkOf(dir, key.keyRef).d ?? "", "base64url"));
    const dbKey = await Ed25519Multikey.generate({ id: verificationMethod, controller: issuerId, seed });
    const dbSuite = new DataIntegrityProof({ signer: dbKey.signer(), date: created, cryptosuite });
    const documents = [didDocument(issuer)];
    const dbLoader = dbLoaderFor(documents);

    const ours = () =>
      createEddsaRdfc2022Proof(structuredClone(credential), {
        contexts: pinnedContexts,
        signer: store,
        keyRef: key.keyRef,
        verificationMethod,
        created,
      });
    const theirs = () =>
      vc.issue({ credential: structuredClone(credential), suite: dbSuite, documentLoader: dbLoader });
    const [a, b] = [await ours(), await theirs()];
    if (JSON.stringify(a.proof) !== JSON.stringify(b.proof)) {
      throw new Error(`eddsa proofs differ:\n${JSON.stringify(a.proof)}\n${JSON.stringify(b.proof)}`);
    }
    const lines: string[] = [];
    const issuance = await compare({
      label: "eddsa issuance",
      ours: { name: "createEddsaRdfc2022Proof", run: ours },
      peer: { name: "@digitalbazaar/vc issue", run: theirs },
      batch: scaled(100),
      warmup: EDDSA_WARMUP,
      rounds: ROUNDS,
    });
    lines.push(`${formatComparison(issuance, "digitalbazaar")} (proofs byte-identical)`);

    const resolvePublicKey = resolverFor(documents);
    const verifierSuite = new DataIntegrityProof({ cryptosuite });
    const verification = await compare({
      label: "eddsa verification",
      ours: {
        name: "verifyEddsaRdfc2022Proof",
        run: async () => {
          if (!(await verifyEddsaRdfc2022Proof(a, { contexts: pinnedContexts, resolvePublicKey })).verified)
            throw new Error("ours: not verified");
        },
      },
      peer: {
        name: "@digitalbazaar/vc verifyCredential",
        run: async () => {
          const r = await vc.verifyCredential({ credential: a, suite: verifierSuite, documentLoader: dbLoader });
          if (!r.verified) throw new Error("theirs: not verified");
        },
      },
      batch: scaled(100),
      warmup: EDDSA_WARMUP,
      rounds: ROUNDS,
    });
    lines.push(formatComparison(verification, "digitalbazaar"));

    // Canonicalization alone: ours (pinned-context fast path, jsonld fallback) vs jsonld.canonize as a user calls it
    // (RDFC-1.0, safe mode, the same pinned contexts), on the credential and on the proof options document.
    const canonical = await canonize(credential, pinnedContexts);
    if (canonical !== (await jsonldCanonize(credential))) throw new Error("canonical N-Quads differ from jsonld's");
    const canon = await compare({
      label: `canonicalization (${Object.keys(credential).length}-key OB 3.0 credential)`,
      ours: { name: "canonize", run: () => canonize(credential, pinnedContexts) },
      peer: { name: "jsonld.canonize", run: () => jsonldCanonize(credential) },
      batch: scaled(200),
      rounds: ROUNDS,
    });
    lines.push(`${formatComparison(canon, "jsonld.canonize")} (N-Quads identical)`);
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * jsonld.canonize with the options our canonicalization had before its fast path (and still uses as its fallback):
 * the same pinned contexts, safe mode, no base IRI, `i18n-datatype` directions, RDFC-1.0.
 */
const jsonldCanonize = (document: object): Promise<string> =>
  jsonld.canonize(document, {
    documentLoader,
    safe: true,
    base: null,
    rdfDirection: "i18n-datatype",
    canonizeOptions: { algorithm: "RDFC-1.0" },
  });

/**
 * Process start + import of each built bundle's entry chunk (median of 10; 3 in quick mode) against a bare `node -e 0`,
 * and sizes: the entry chunk (what the function's init loads) and every chunk. Also the import of the entry and then
 * every chunk it may load on demand: the cost if one instance took every lazy path (an upper bound of the first
 * requests' extra loading, paid after init).
 */
function coldStarts(): string[] {
  // Always rebuild: stale bundles would measure old code.
  execFileSync(process.execPath, ["--import", "tsx", "scripts/build.ts"], { stdio: "ignore" });
  // Wall time of the whole process (what a cold start costs), and the CPU time the process reports for itself
  // (user + system), which other load on a shared machine disturbs far less.
  const time = (code: string) => {
    const wall: number[] = [];
    const cpu: number[] = [];
    const script = `${code}\nconst u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000));`;
    for (let i = 0; i < (QUICK ? 3 : 10); i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
        encoding: "utf8",
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: "SILENT" },
      });
      if (r.status !== 0) throw new Error(`${code} exited ${r.status}: ${r.stderr.slice(-500)}`);
      wall.push(performance.now() - t0);
      cpu.push(Number(r.stdout.trim().split("\n").at(-1)));
    }
    return { wall: medianOf(wall), cpu: medianOf(cpu) };
  };
  const bare = time("");
  const lines = [`bare node: ${bare.wall.toFixed(0)} ms wall, ${bare.cpu.toFixed(0)} ms CPU`];
  for (const f of [...FAMILIES, ...WORKERS]) {
    const dir = `${process.cwd()}/dist/${f}`;
    const file = `${dir}/index.mjs`;
    const metafile = JSON.parse(readFileSync(`${dir}/meta.json`, "utf8")) as Parameters<typeof initialChunks>[0];
    const kbOf = (files: string[]) => files.reduce((sum, out) => sum + (metafile.outputs[out]?.bytes ?? 0), 0) / 1024;
    // Every chunk the function can load (esbuild also writes chunks for import()s in tree-shaken code: never loaded).
    const loadable = initialChunks(metafile, true);
    const written = readdirSync(dir).filter((name) => name.endsWith(".mjs")).length;
    const t = time(`await import(${JSON.stringify(file)});`);
    const all = time(
      loadable.map((chunk) => `await import(${JSON.stringify(`${process.cwd()}/${chunk}`)});`).join("\n"),
    );
    const kb = statSync(file).size / 1024;
    lines.push(
      `cold init ${f}: ${t.wall.toFixed(0)} ms wall (+${(t.wall - bare.wall).toFixed(0)} ms over bare node), ` +
        `+${(t.cpu - bare.cpu).toFixed(0)} ms CPU, entry chunk ${kb.toFixed(0)} KB, ` +
        `${kbOf(initialChunks(metafile)).toFixed(0)} KB loaded at init; ` +
        `${loadable.length} loadable chunks ${kbOf(loadable).toFixed(0)} KB (${written} written), ` +
        `+${(all.cpu - bare.cpu).toFixed(0)} ms CPU with every one loaded`,
    );
  }
  return lines;
}

/**
 * readCsv on a generated 100,000-row default-layout CSV, against csv-parse alone (records discarded as they come, the
 * way readCsv holds them), and the process's peak RSS growth while reading (maxRSS is a high-water mark: run first).
 */
function spreadsheets(): string[] {
  const rows = QUICK ? 20_000 : 100_000;
  const lines = [
    "given_name,family_name,email,title,ects,eqf_level,mode,learning_outcomes,awarding_body,awarding_body_country,issued",
  ];
  for (let i = 0; i < rows; i++)
    lines.push(
      `Ada${i},Example,ada${i}@example.org,Intro to CAD,${1 + (i % 30)},6,online,"Draw parts; Read drawings",University of Zed,IE,2025-01-31`,
    );
  const text = lines.join("\n");
  const before = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  const r = readCsv(text);
  const ours = performance.now() - t0;
  const peak = process.resourceUsage().maxRSS - before;
  if (!r.ok || r.value.length !== rows) throw new Error("readCsv did not read every row");
  const t1 = performance.now();
  let n = 0;
  parseCsv(text, {
    on_record: () => {
      n++;
      return null;
    },
  });
  const peer = performance.now() - t1;
  const rate = (ms: number) => Math.round((rows / ms) * 1000).toLocaleString("en");
  return [
    `csv rows: ${rate(ours)}/s (csv-parse alone ${rate(peer)}/s, ${n - 1} records), ratio ${(peer / ours).toFixed(2)}`,
    `csv ${rows.toLocaleString("en")} rows: peak RSS +${(peak / 1024).toFixed(0)} MiB (input ${(text.length / 2 ** 20).toFixed(1)} MiB; canonical output held)`,
  ];
}

/**
 * A bulk job of `rows` CSV rows end to end in local mode (`bench/bulk-job.ts`), in a child process whose VmHWM is the
 * job's peak RSS.
 */
function bulkJob(): string[] {
  const rows = Number(process.env.BENCH_BULK_ROWS ?? (QUICK ? 1_000 : 10_000));
  const r = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", "bench/bulk-job.ts", String(rows)], {
    encoding: "utf8",
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: "SILENT", NODE_NO_WARNINGS: "1" },
    maxBuffer: 64 * 2 ** 20,
  });
  const last = r.stdout.trim().split("\n").at(-1) ?? "";
  if (r.status !== 0 || !last.startsWith("{"))
    throw new Error(`bulk job failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const f = JSON.parse(last) as BulkJobFigures;
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const lines = [
    `bulk job ${f.rows.toLocaleString("en")} CSV rows → OB3 VC-JWT (ES256), local mode: ${f.status}, ${f.done} done, ` +
      `${f.failed} failed, ${s(f.wallMs)} s wall (${Math.round((f.rows / f.wallMs) * 1000)} rows/s; submission ` +
      `${s(f.submitMs)} s), peak RSS ${f.peakRssMiB.toFixed(0)} MiB (input ${f.inputMiB.toFixed(1)} MiB; heap ` +
      `retained after GC ${f.retainedHeapMiB?.toFixed(0) ?? "?"} MiB)`,
  ];
  if (f.rows < 100_000) {
    lines.push(
      `bulk job 100,000 rows projected at that rate: ${s((f.wallMs / f.rows) * 100_000)} s wall ` +
        "(BENCH_BULK_ROWS=100000 measures it, with its peak RSS)",
    );
  }
  return lines;
}

const SECTIONS: [name: string, title: string, run: () => Promise<string[]> | string[]][] = [
  ["spreadsheets", "spreadsheets (ratio > 1: ours is faster)", spreadsheets],
  ["signing", "signing (ratio > 1: ours is faster)", signing],
  ["eddsa", "Data Integrity eddsa-rdfc-2022 and canonicalization (ratio > 1: ours is faster)", eddsa],
  ["conversions", "conversion throughput (credentials/s; convert use case, corpus inputs)", () => conversions(QUICK)],
  ["jades", "JAdES baseline B (ratio > 1: ours is faster)", () => jades(QUICK)],
  ["bulk", "bulk job end to end (local mode: dynalite on disk, in-process queue, local worker)", bulkJob],
  [
    "kms",
    "bulk job at the KMS limit (simulated: KMS stand-in throttling at its quota, workers sharing the signing budget)",
    () => kmsRate(QUICK),
  ],
  ["bundles", "bundles: size and cold init (process start + import of the Lambda bundle)", coldStarts],
];

async function main(): Promise<void> {
  console.log(
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}${QUICK ? " (quick mode)" : ""}`,
  );
  const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());
  for (const [name, title, run] of SECTIONS) {
    if (only && !only.includes(name)) continue;
    console.log(`\n# ${title}`);
    for (const line of await run()) console.log(line);
  }
}

await main();
