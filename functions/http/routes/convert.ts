/** The `convert` family's routes (conversion and checks of documents), in the order the API lists them. */
import type { RouteSpec } from "../route-spec.js";
import { schemas } from "../schemas.js";

export const convertRoutes: readonly RouteSpec[] = [
  {
    method: "POST",
    path: "/v1/convert",
    family: "convert",
    operationId: "convert",
    timeBudget: true,
    summary: "Convert a credential document between formats, reporting every loss.",
    access: "public",
    body: schemas.convert,
    success: {
      status: 200,
      description: "`{from, to, results: [{document, losses, warnings, derived, conformance}]}`",
      schema: schemas.convertResponse,
    },
  },
  {
    method: "POST",
    path: "/v1/check",
    family: "convert",
    operationId: "check",
    timeBudget: true,
    summary: "Check a credential against the EU micro-credential Annex I elements.",
    access: "public",
    body: schemas.check,
    success: {
      status: 200,
      description: "Per credential, each Annex I element and the micro-credential verdict",
    },
  },
  {
    method: "POST",
    path: "/v1/registry/imports",
    family: "convert",
    operationId: "importRegistry",
    summary:
      'Import quality-assurance data into the registry: a DEQAR Web API JSON, Europass accreditation JSON or QDR / AMS XML document, or `{source: "deqar-api"}`.',
    access: "admin",
    body: schemas.registryImport,
    success: {
      status: 200,
      description: "`{source, format?, institutions, reports, agencies, importedAt, warnings}`",
    },
  },
  {
    method: "POST",
    path: "/v1/registry/match",
    family: "convert",
    operationId: "matchRegistry",
    summary:
      "Match an awarding body to its DEQAR institution (by DEQAR id, legal identifier, SCHAC code or name + country) and say how, with its current reports.",
    access: "public",
    body: schemas.registryMatch,
    success: {
      status: 200,
      description: "`{matched, institution?, match?: {method, on}, tried?, reports, esgReviewed}`",
    },
  },
];
