/**
 * A small benchmark harness: each case runs our implementation and a peer library on the same inputs, in this one
 * process, alternating rounds so that machine noise hits both; the result is printed as a ratio. Speed targets live
 * here, never in timed tests.
 */

export interface Contender {
  name: string;
  /** One operation; awaited. */
  run: () => Promise<unknown> | unknown;
}

export interface Comparison {
  label: string;
  ours: Contender;
  peer: Contender;
  /** Operations per round. */
  batch?: number;
  rounds?: number;
  warmup?: number;
}

export interface ComparisonResult {
  label: string;
  oursPerSec: number;
  peerPerSec: number;
  ratio: number;
}

async function timeBatch(c: Contender, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await c.run();
  return performance.now() - t0;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** Runs both sides in alternating rounds and compares the medians of the per-round throughput. */
export async function compare(spec: Comparison): Promise<ComparisonResult> {
  const batch = spec.batch ?? 200;
  const rounds = spec.rounds ?? 7;
  await timeBatch(spec.ours, spec.warmup ?? batch);
  await timeBatch(spec.peer, spec.warmup ?? batch);
  const ours: number[] = [];
  const peer: number[] = [];
  for (let r = 0; r < rounds; r++) {
    ours.push((batch / (await timeBatch(spec.ours, batch))) * 1000);
    peer.push((batch / (await timeBatch(spec.peer, batch))) * 1000);
  }
  const oursPerSec = median(ours);
  const peerPerSec = median(peer);
  return { label: spec.label, oursPerSec, peerPerSec, ratio: oursPerSec / peerPerSec };
}

const fmt = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString("en") : n.toFixed(1));

/** `label: 1.23x peer (N/s vs M/s)`. */
export function formatComparison(r: ComparisonResult, peerName: string): string {
  return `${r.label}: ${r.ratio.toFixed(2)}x ${peerName} (${fmt(r.oursPerSec)}/s vs ${fmt(r.peerPerSec)}/s)`;
}

export function medianOf(xs: number[]): number {
  return median(xs);
}
