/**
 * Conversion throughput per format pair, through the conversion use case (`convert`: read into the canonical model,
 * write the target, collect losses) on corpus inputs. Credentials per second; a peer is named where one exists (for
 * CSV: csv-parse alone, which only tokenises the same text, so the ratio is the cost of mapping on top of parsing).
 *
 * Each pair with a goal also gets a budget line. The goals are per core, so the line judges the rate per second of
 * this process's CPU time (user + system, GC threads included), which stays meaningful on a machine shared with
 * other work; the wall-clock rate is printed beside it.
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
  /** The throughput goal, credentials per second per core. */
  goal?: number;
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
      goal: 2_000,
    },
    {
      label: "OB3 → ELM",
      from: "ob3",
      to: "elm",
      input: () => corpusJson("ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json"),
      credentials: 1,
      goal: 2_000,
    },
    {
      label: "ELMO → ELM",
      from: "elmo",
      to: "elm",
      input: () => corpusText("elmo/v1.7.0/example.xml"),
      credentials: 1,
      goal: 1_000,
    },
    {
      label: "CSV → ELM",
      from: "csv",
      to: "elm",
      input: () => csv,
      credentials: CSV_ROWS,
      peer: csvPeer,
      goal: 20_000,
    },
    {
      label: "CSV → OB3",
      from: "csv",
      to: "ob3",
      input: () => csv,
      credentials: CSV_ROWS,
      peer: csvPeer,
      goal: 20_000,
    },
    {
      label: "Europass XML → ELM",
      from: "europass-xml",
      to: "elm",
      input: () => corpusText("europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleACT_AA.xml"),
      credentials: 1,
      goal: 1_000,
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

/** A rate by the wall clock and by this process's CPU time (operations per second of each). */
interface Rate {
  wall: number;
  cpu: number;
}

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Runs `run` in rounds of about `budgetMs` / rounds each and returns the median rates of operations per second.
 * `prepare(n)` is called before each round, outside the timing, to make that round's inputs (copies of the document,
 * so that no conversion sees one another conversion has read).
 */
async function rate(
  run: (i: number) => unknown,
  budgetMs: number,
  rounds = 5,
  prepare: (n: number) => void = () => {},
): Promise<Rate> {
  prepare(1);
  const t = performance.now();
  await run(0);
  const once = Math.max(performance.now() - t, 0.01);
  const perRound = Math.max(1, Math.round(budgetMs / rounds / once));
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    prepare(perRound);
    const t0 = performance.now();
    const c0 = cpuMs();
    for (let i = 0; i < perRound; i++) await run(i);
    wall.push((perRound / (performance.now() - t0)) * 1000);
    cpu.push((perRound / Math.max(cpuMs() - c0, 0.001)) * 1000);
  }
  return { wall: medianOf(wall), cpu: medianOf(cpu) };
}

const fmt = (n: number): string => Math.round(n).toLocaleString("en");

/**
 * One line per format pair: `conversion ELM → OB3: N credentials/s`, with the peer's rate where there is one, and
 * for a pair with a goal a budget line: `budget conversion ELM → OB3: N / 2,000 credentials/s per core: met`.
 */
export async function conversions(quick: boolean): Promise<string[]> {
  const { limits } = readConfig({ GATEWAY_MODE: "local", GATEWAY_MAX_BODY_BYTES: String(64 * 2 ** 20) });
  const budget = quick ? 400 : 2_500;
  const lines: string[] = [];
  for (const pair of pairs()) {
    const document = pair.input();
    // Strings are immutable: only a parsed document needs a copy per conversion.
    let copies: unknown[] = [];
    const prepare = (n: number) => {
      copies = typeof document === "string" ? [] : Array.from({ length: n }, () => structuredClone(document));
    };
    const run = async (i: number) => {
      const out = await convert(
        { from: pair.from, to: pair.to, document: typeof document === "string" ? document : copies[i] },
        limits,
        SYSTEM_TIME,
      );
      if (out.results.length !== pair.credentials) {
        throw new Error(`${pair.label}: ${out.results.length} credentials, ${pair.credentials} expected`);
      }
    };
    const measured = await rate(run, budget, 5, prepare);
    const perSec = measured.wall * pair.credentials;
    const perCpuSec = measured.cpu * pair.credentials;
    let line = `conversion ${pair.label}: ${fmt(perSec)} credentials/s (${fmt(perCpuSec)} per CPU-second)`;
    if (pair.peer) {
      const peerPerSec = (await rate(pair.peer.run, budget)).wall * pair.credentials;
      line += ` (${pair.peer.name}: ${fmt(peerPerSec)} rows/s, ratio ${(perSec / peerPerSec).toFixed(2)})`;
    }
    lines.push(line);
    if (pair.goal !== undefined) {
      const met = perCpuSec >= pair.goal;
      lines.push(
        `budget conversion ${pair.label}: ${fmt(perCpuSec)} / ${fmt(pair.goal)} credentials/s per core (${((perCpuSec / pair.goal) * 100).toFixed(0)}% of goal): ${met ? "met" : "NOT met"}`,
      );
    }
  }
  return lines;
}
