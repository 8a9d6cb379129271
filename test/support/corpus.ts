/** The shared reference corpus, read in place (never copied into the project). */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const CORPUS = resolve(fileURLToPath(new URL("../..", import.meta.url)), "../shared/corpus");

export const corpusPath = (relative: string): string => resolve(CORPUS, relative);

export const corpusText = (relative: string): string => readFileSync(corpusPath(relative), "utf8");

// biome-ignore lint/suspicious/noExplicitAny: corpus documents are arbitrary JSON; tests narrow what they read.
export const corpusJson = (relative: string): any => JSON.parse(corpusText(relative));
