/** The shared reference corpus, read in place (never copied into the project). */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const CORPUS = resolve(fileURLToPath(new URL("../..", import.meta.url)), "../shared/corpus");

export const corpusPath = (relative: string): string => resolve(CORPUS, relative);

export const corpusText = (relative: string): string => readFileSync(corpusPath(relative), "utf8");

// biome-ignore lint/suspicious/noExplicitAny: corpus documents are arbitrary JSON; tests narrow what they read.
export const corpusJson = (relative: string): any => JSON.parse(corpusText(relative));

/** Every well-formed ELMO document in the corpus (official examples, real-world transcripts, wrappers). */
export const ELMO_CORPUS_FILES: readonly string[] = [
  "elmo/v1.0.0/example.xml",
  "elmo/v1.6.0/example.xml",
  "elmo/v1.7.0/example.xml",
  "elmo/v2.0.0/example.xml",
  "elmo/real-world/dk-emrex-Example-elmo-Norway.xml",
  "elmo/real-world/dk-emrex-Example-elmo-sweden-1.0.xml",
  "elmo/ewp-imobility-tors-stable-v2/get-response-example.xml",
  "elmo/extensions/elmoPlus.xml",
];
