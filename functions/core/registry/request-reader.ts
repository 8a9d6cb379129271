/**
 * The registry as one synchronous request reads it: each distinct lookup asked of the store once (a spreadsheet's
 * rows mostly name the same awarding body, and asking the store once per row opened one connection per row), and at
 * most `maxLookups` distinct lookups in all, beyond which the request is refused as over its work budget.
 */
import type { RegistryLookup } from "../../../mappings/registry/model.js";
import { overBudget } from "../../kernel/work-budget.js";
import type { RegistryReader } from "./quality-assurance.js";

export function requestRegistryReader(store: RegistryReader, maxLookups: number): RegistryReader {
  const cache = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    // The cache holds what `read` gave for this very key: the same T.
    if (hit) return hit as Promise<T>;
    if (cache.size >= maxLookups)
      throw overBudget("maxRegistryLookups", maxLookups, "/body/document", "registry lookups");
    const value = read();
    cache.set(key, value);
    return value;
  };
  return {
    getInstitution: (key: string) => once(`i ${key}`, () => store.getInstitution(key)),
    findInstitutions: (lookup: RegistryLookup) =>
      once(`f ${JSON.stringify(lookup)}`, () => store.findInstitutions(lookup)),
    reportsOf: (institutionKey: string) => once(`r ${institutionKey}`, () => store.reportsOf(institutionKey)),
  };
}

/** Maps `items` with at most `concurrency` calls of `fn` in flight, in order. */
export async function mapBounded<T, U>(items: T[], concurrency: number, fn: (item: T) => Promise<U>): Promise<U[]> {
  const out: U[] = new Array(items.length);
  // One iterator shared by the workers: each entry is taken by exactly one of them.
  const entries = items.entries();
  const worker = async () => {
    for (const [i, item] of entries) out[i] = await fn(item);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}
