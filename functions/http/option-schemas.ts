/**
 * JSON Schemas of the routes' `options` members that several routes share: the readers' and writers' options of
 * conversions, the spreadsheet readers' options of jobs, the registrar's column corrections, and the W3C VC API's
 * issue and verify options the interoperability suites send. Declared `as const`, so that handlers get typed bodies.
 */
import { CANONICAL_FIELDS, IGNORE_COLUMN, MAX_COLUMN_OVERRIDES } from "../../mappings/spreadsheet/canonical-fields.js";
import type { JsonSchema } from "./json-schema.js";

/**
 * `options.fill` (`mappings/fill.ts`): what the caller supplies for what the source lacks; each use is listed in the
 * result's `derived`. Without it nothing is made up.
 */
const fillOptions = {
  type: "object",
  additionalProperties: false,
  description:
    "What the caller supplies where the source has nothing (each use listed in `derived`): the gateway makes nothing up otherwise.",
  properties: {
    issuerCountry: {
      type: "string",
      pattern: "^[A-Za-z]{2}$",
      description:
        "ISO 3166-1 alpha-2 country of the issuer (and of an awarding body that is the issuer) when it has none.",
    },
    creditFramework: {
      type: "string",
      minLength: 1,
      description:
        "The credit system of credit points that name none: `ECTS`, `ECVET` or a concept URI under http://data.europa.eu/snb/education-credit/.",
    },
    title: {
      description: 'The credential\'s display title when it has none: a text, or a language map (`{"en": "…"}`).',
      anyOf: [
        { type: "string", minLength: 1 },
        { type: "object", minProperties: 1, additionalProperties: { type: "string", minLength: 1 } },
      ],
    },
    language: {
      type: "string",
      pattern: "^[A-Za-z]{2}$",
      description: "ISO 639-1 language of texts whose language the source does not state.",
    },
  },
} as const satisfies JsonSchema;

/** The spreadsheet readers' options (`mappings/spreadsheet/select.ts`), for conversions and bulk jobs alike. */
export const spreadsheetReaderOptions = {
  sheet: {
    type: "string",
    minLength: 1,
    description: "XLSX source: the worksheet to read (default the profile's, else the first).",
  },
  delimiter: {
    type: "string",
    minLength: 1,
    maxLength: 1,
    description:
      "CSV source: the cell delimiter (default `;` when the header line has more of them than `,`, else `,`).",
  },
  maxRows: {
    type: "integer",
    minimum: 1,
    description:
      "CSV / XLSX source: read at most this many data rows; it can lower the configured limits, never raise them.",
  },
  maxCellChars: {
    type: "integer",
    minimum: 1,
    description: "CSV / XLSX source: the longest cell; it can lower the configured limit, never raise it.",
  },
} as const satisfies Record<string, JsonSchema>;

/**
 * The W3C VC API's IssueCredentialOptions (w3c-ccg/vc-api components/IssueCredentialOptions.yml: `credentialId`,
 * `mandatoryPointers`, `proofId`, `previousProof`) and those of its earlier releases that the interoperability suites
 * still send (`created`, `challenge`, `domain`, `credentialStatus`). Accepted so that a suite's request is not refused
 * for them; none changes what is signed.
 */
export const VC_API_ISSUE_OPTIONS = {
  credentialId: {
    type: "string",
    minLength: 1,
    description: "VC API: accepted, not read (the credential's own `id` is).",
  },
  mandatoryPointers: {
    type: "array",
    items: { type: "string" },
    description:
      "VC API (selective disclosure suites): accepted, not read; the gateway signs no selective-disclosure proof.",
  },
  proofId: { type: "string", description: "VC API: accepted, not read." },
  previousProof: { description: "VC API (proof chains): accepted, not read." },
  created: {
    type: "string",
    description: "Earlier VC API: accepted, not read (the proof's `created` is the signing time).",
  },
  challenge: { type: "string", description: "Earlier VC API: accepted, not read." },
  domain: { type: "string", description: "Earlier VC API: accepted, not read." },
  credentialStatus: {
    type: "object",
    description: "Earlier VC API: accepted, not read (see `status` and `suspension`).",
  },
} as const satisfies Record<string, JsonSchema>;

/** `options.checks` of the VC API verify routes (its test suites send `["proof"]`): every check runs regardless. */
export const VC_API_CHECKS = {
  type: "array",
  items: { type: "string" },
  description: "VC API: accepted, not read; every check runs.",
} as const satisfies JsonSchema;

/**
 * `options.columns`: the registrar's correction of the column mapping the reader detected, per header. Each value is
 * one of the canonical fields the readers fill, or `ignore`; an unknown field is refused (400) naming its header.
 */
export const columnOverrides = {
  type: "object",
  minProperties: 1,
  maxProperties: MAX_COLUMN_OVERRIDES,
  propertyNames: { minLength: 1, maxLength: 500 },
  additionalProperties: { enum: [...CANONICAL_FIELDS, IGNORE_COLUMN] },
  description:
    'CSV / XLSX source: `{"<header as in the sheet>": "<field>"}` replaces the detected rule of those columns (a canonical field, or `ignore`: the column is not read at all); a header the sheet does not have is refused (422).',
} as const satisfies JsonSchema;

/**
 * `options` of `POST /v1/convert`: the readers' (spreadsheets) and the writers' options, as `mappings/` reads them.
 * Anything else is refused, naming the member: an option the gateway does not read would be silently ignored.
 * Not here on purpose: `now` and `uuid` (the writers' clock and id source: not request data) and
 * `extensionContextUrl` (the deployment's, see `writerOptions`).
 */
export const convertOptions = {
  type: "object",
  additionalProperties: false,
  description:
    "Reader options (CSV / XLSX sources) and writer options (ELM, OB 3.0 output); an option the chosen reader or writer does not take has no effect.",
  properties: {
    profile: {
      description:
        "A CSV / XLSX source: its column profile, a built-in name (`edc-recipients`, `moodle-customcert`, ...) or a profile object (docs/formats.md); detected from the header row when absent. Any other source, ELM output: the ELM profile, `auto` (default: Converted when the original is embedded, Accredited when quality assurance is present and its shapes can be met, else Generic), `generic`, `accredited` or `converted`.",
      anyOf: [{ type: "string", minLength: 1 }, { type: "object" }],
    },
    ...spreadsheetReaderOptions,
    columns: columnOverrides,
    fill: fillOptions,
    form: {
      enum: ["edc", "ebsi"],
      description: "ELM output: `edc` (default), as the EDC issuer writes it (VCDM 1.1); `ebsi`, EBSI's VCDM 2.0 form.",
    },
    render: {
      enum: ["auto", "always"],
      description:
        "ELM output: `auto` (default) keeps the source's rendered pages and renders SVG pages only when there are none; `always` replaces them with the gateway's rendering (a loss each).",
    },
    embedOriginal: {
      type: "boolean",
      description:
        "ELM output (default false) and OB 3.0 output (default true): embed the source document as evidence of the conversion.",
    },
    issuerId: {
      type: "string",
      minLength: 1,
      maxLength: 2000,
      description:
        "OB 3.0 output: the issuer's id in the output (a DID or URL; default the source's issuer). Also lets spreadsheet rows without an issuer column be converted.",
    },
    language: {
      type: "string",
      pattern: "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
      description:
        "OB 3.0 output: the language OB 3.0's single-language strings are taken in, when the text has it (default `en`).",
    },
    extension: {
      type: "boolean",
      description:
        "OB 3.0 output: write the gateway's ELM extension (default true); false writes plain OB 3.0 and reports each extension value as a loss.",
    },
    extensionDigest: {
      type: "boolean",
      description:
        "OB 3.0 output: also pin the extension's context documents in a `relatedResource` entry with their `digestSRI` (default false).",
    },
    credentialSchema: {
      type: "boolean",
      description: "OB 3.0 output: name the OB 3.0 JSON Schema in `credentialSchema` (default false).",
    },
  },
} as const satisfies JsonSchema;
