/**
 * `npm run bench`: the gateway's hot paths against what a user would otherwise use, on the same inputs, in one
 * process on this machine. Prints ratios (ours / peer) with the absolute rates beside them, then bundle cold-start
 * figures. Grows with each feature (conversion, canonicalization, issuance, verification, bulk jobs).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { CompactSign, importJWK, type JWK } from "jose";
import { FileKeyStore } from "../functions/adapters/local/file-keys.js";
import type { KeyType, SignatureAlgorithm } from "../functions/core/ports.js";
import { FAMILIES } from "../functions/http/contract.js";
import { compare, formatComparison, medianOf } from "./harness.js";

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
      // The peer signs with the same key, read from the store's own file (bench only; the gateway never exports it).
      const file = JSON.parse(readFileSync(join(dir, `${key.keyRef}.json`), "utf8")) as Record<string, unknown>;
      const pem = Object.values(file).find((v) => typeof v === "string" && v.includes("PRIVATE KEY")) as string;
      const privateJwk = createPrivateKey(pem).export({ format: "jwk" }) as JWK;
      const joseKey = await importJWK(privateJwk, alg);
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
        batch: type === "RSA-2048" ? 50 : 300,
      });
      lines.push(formatComparison(r, "jose"));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

/** Process start + import of each built bundle, median of 10, against a bare `node -e 0`. */
function coldStarts(): string[] {
  if (!FAMILIES.every((f) => existsSync(`dist/${f}/index.mjs`))) {
    execFileSync(process.execPath, ["--import", "tsx", "scripts/build.ts"], { stdio: "ignore" });
  }
  const time = (args: string[]) => {
    const xs: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, args, {
        stdio: "ignore",
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: "SILENT" },
      });
      if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}`);
      xs.push(performance.now() - t0);
    }
    return medianOf(xs);
  };
  const bare = time(["-e", "0"]);
  const lines = [`bare node: ${bare.toFixed(0)} ms`];
  for (const f of FAMILIES) {
    const ms = time([
      "--input-type=module",
      "-e",
      `await import(${JSON.stringify(`${process.cwd()}/dist/${f}/index.mjs`)})`,
    ]);
    lines.push(
      `cold init ${f}: ${ms.toFixed(0)} ms (${(ms / bare).toFixed(2)}x bare node, +${(ms - bare).toFixed(0)} ms)`,
    );
  }
  return lines;
}

async function main(): Promise<void> {
  console.log(
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
  );
  console.log("\n# signing (ratio > 1: ours is faster)");
  for (const line of await signing()) console.log(line);
  console.log("\n# cold init (process start + import of the Lambda bundle)");
  for (const line of coldStarts()) console.log(line);
}

await main();
