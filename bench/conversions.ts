/**
 * Conversion throughput per format pair, through the conversion use case (`convert`: read into the canonical model,
 * write the target, collect losses) on corpus inputs. Credentials per second; a peer is named where one exists (for
 * CSV: csv-parse alone, which only tokenises the same text, so the ratio is the cost of mapping on top of parsing).
 */
import { parse as parseCsv } from "csv-parse/sync";
import { readConfig } from "../functions/config.js";
import { convert } from "../functions/core/convert/convert.js";
import type { Format } from "../mappings/formats.js";
import { corpusJson, corpusText } from "../test/support/corpus.js";
import { jobCsv } from "../test/support/jobs.js";
import { SYSTEM_TIME } from "../test/support/write-time.js";
import { medianOf } from "./harness.js";

interface Pair {
  label: string;
  from: Format;
  to: Format;
  input: () => unknown;
  /** Credentials one conversion yields (checked). */
  credentials: number;
  peer?: { name: string; run: () => unknown };
}

const CSV_ROWS = 1_000;

/** The corpus inputs: one real document per source format (the spreadsheet one generated in the default layout). */
function pairs(): Pair[] {
  const csv = jobCsv(CSV_ROWS, { batch: "bench" });
  const csvPeer = {
    name: "csv-parse alone",
    run: () => parseCsv(csv, { columns: true }),
  };
  return [
    {
      label: "ELM → OB3",
      from: "elm",
      to: "ob3",
      input: () => corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld"),
      credentials: 1,
    },
    {
      label: "OB3 → ELM",
      from: "ob3",
      to: "elm",
      input: () => corpusJson("ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json"),
      credentials: 1,
    },
    {
      label: "ELMO → ELM",
      from: "elmo",
      to: "elm",
      input: () => corpusText("elmo/v1.7.0/example.xml"),
      credentials: 1,
    },
    { label: "CSV → ELM", from: "csv", to: "elm", input: () => csv, credentials: CSV_ROWS, peer: csvPeer },
    { label: "CSV → OB3", from: "csv", to: "ob3", input: () => csv, credentials: CSV_ROWS, peer: csvPeer },
    {
      label: "Europass XML → ELM",
      from: "europass-xml",
      to: "elm",
      input: () => corpusText("europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleACT_AA.xml"),
      credentials: 1,
    },
    {
      label: "OB2 → OB3",
      from: "ob2",
      to: "ob3",
      input: () => ({
        assertion: corpusJson("ob2/spec-examples/01-Assertion-Example.json"),
        badge: JSON.parse(corpusText("ob2/spec-examples/02-BadgeClass-Example.json.txt").replace(/\n\s+/g, " ")),
        issuer: corpusJson("ob2/spec-examples/03-Issuer-Profile-Example.json"),
      }),
      credentials: 1,
    },
  ];
}

/** Runs `run` in rounds of about `budgetMs` / rounds each and returns the median rate of operations per second. */
async function rate(run: () => unknown, budgetMs: number, rounds = 5): Promise<number> {
  const t = performance.now();
  await run();
  const once = Math.max(performance.now() - t, 0.01);
  const perRound = Math.max(1, Math.round(budgetMs / rounds / once));
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < perRound; i++) await run();
    rates.push((perRound / (performance.now() - t0)) * 1000);
  }
  return medianOf(rates);
}

const fmt = (n: number): string => Math.round(n).toLocaleString("en");

/** One line per format pair: `conversion ELM → OB3: N credentials/s`, with the peer's rate where there is one. */
export async function conversions(quick: boolean): Promise<string[]> {
  const { limits } = readConfig({ GATEWAY_MODE: "local", GATEWAY_MAX_BODY_BYTES: String(64 * 2 ** 20) });
  const budget = quick ? 400 : 2_500;
  const lines: string[] = [];
  for (const pair of pairs()) {
    const document = pair.input();
    const run = async () => {
      const out = await convert(
        { from: pair.from, to: pair.to, document: structuredClone(document) },
        limits,
        SYSTEM_TIME,
      );
      if (out.results.length !== pair.credentials) {
        throw new Error(`${pair.label}: ${out.results.length} credentials, ${pair.credentials} expected`);
      }
    };
    const perSec = (await rate(run, budget)) * pair.credentials;
    let line = `conversion ${pair.label}: ${fmt(perSec)} credentials/s`;
    if (pair.peer) {
      const peerPerSec = (await rate(pair.peer.run, budget)) * pair.credentials;
      line += ` (${pair.peer.name}: ${fmt(peerPerSec)} rows/s, ratio ${(perSec / peerPerSec).toFixed(2)})`;
    }
    lines.push(line);
  }
  return lines;
}
