/** Lambda: conversion between formats and the EU micro-credential check. Pure compute: no store, no keys. */
import type { Format } from "../../mappings/formats.js";
import { getDeps } from "../composition.js";
import { checkDocument } from "../core/check.js";
import { convert } from "../core/convert.js";
import { familyHandler } from "../http/family.js";

interface ConvertBody {
  to: Format;
  from?: Format;
  document: unknown;
  options?: Record<string, unknown>;
}

export const createHandler = (deps: typeof getDeps) =>
  familyHandler(
    "convert",
    {
      convert: async ({ body, deps }) => ({
        status: 200,
        body: await convert(body as ConvertBody, deps.config.limits),
      }),
      check: async ({ body, deps }) => ({
        status: 200,
        body: checkDocument(body as Pick<ConvertBody, "document" | "from">, deps.config.limits),
      }),
    },
    deps,
  );

export const handler = createHandler(getDeps);
