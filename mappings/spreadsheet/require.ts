/**
 * What a spreadsheet row must carry before the gateway writes or issues it: refuse, don't invent. A row without a
 * title would become an OB 3.0 credential named "Achievement"; one without any date would be valid from the time of
 * writing; one without an awarding body would be an ELM credential nobody awarded. Each gap is a row error naming the
 * column to add (by the header the registrar wrote, when the column is there and the cell is empty), and a header
 * row with no column for a title at all refuses the whole spreadsheet, listing the headers seen and expected.
 */
import type { CanonicalCredential, ReadIssue, SpreadsheetMapping } from "../model.js";
import type { CanonicalField } from "./profiles.js";
import { SYNONYM_LANGUAGES, SYNONYMS } from "./synonyms.js";

/** A few spellings of a default-layout column, to suggest: its own header and the first synonym of each language. */
function suggestions(header: "title" | "awarding_date" | "awarding_body"): string {
  const names = [header, ...SYNONYM_LANGUAGES.map((l) => SYNONYMS[l][header]?.[0]).filter((s) => s !== undefined)];
  return [...new Set(names)].map((n) => `\`${n}\``).join(", ");
}

export const EXPECTED_TITLE_HEADERS = (): string => suggestions("title");

interface Requirement {
  what: string;
  /** The canonical fields a column may fill to meet it. */
  fields: readonly CanonicalField[];
  column: "title" | "awarding_date" | "awarding_body";
  met: (c: CanonicalCredential) => boolean;
  /** Besides a column, a value fixed by the profile meets it. */
  fixedKey?: string;
}

const hasText = (m: Record<string, string> | undefined): boolean =>
  m !== undefined && Object.values(m).some((v) => v.trim() !== "");

const TITLE: Requirement = {
  what: "a title",
  fields: ["title"],
  column: "title",
  met: (c) => hasText(c.title) || hasText(c.claims[0]?.title),
  fixedKey: "title",
};
const DATE: Requirement = {
  what: "a date (awarded, issued or valid from)",
  fields: ["achievement.awardingDate", "credential.issued", "credential.validFrom"],
  column: "awarding_date",
  met: (c) => Boolean(c.validFrom ?? c.issued ?? c.claims[0]?.awardingDate),
};
const AWARDING_BODY: Requirement = {
  what: "an awarding body",
  fields: ["awardingBody.name"],
  column: "awarding_body",
  met: (c) => hasText(c.claims[0]?.awardingBodies[0]?.legalName) || hasText(c.issuer?.legalName),
  fixedKey: "awardingBody",
};

/**
 * What a target needs of a row: every target a title and a date; ELM (EDC requires `awardedBy` on every claim) an
 * awarding body; OB 3.0 one too unless an issuer is given (a job's issuer, which OB 3.0 takes as the awarder).
 */
export function requirementsFor(target: string, issuerGiven: boolean): Requirement[] {
  const list = [TITLE, DATE];
  if (target === "elm" || !issuerGiven) list.push(AWARDING_BODY);
  return list;
}

/** The row number of a spreadsheet credential (`/rows/{n}`), from its provenance root. */
export const rowOf = (c: CanonicalCredential): number => Number(/^\/rows\/(\d+)/.exec(c.provenance.root)?.[1] ?? 0);

/** The row errors of a credential read from a spreadsheet, for a target: none when it has what the target needs. */
export function rowGaps(
  credential: CanonicalCredential,
  target: string,
  mapping: SpreadsheetMapping,
  issuerGiven: boolean,
): ReadIssue[] {
  const row = rowOf(credential);
  const issues: ReadIssue[] = [];
  for (const r of requirementsFor(target, issuerGiven)) {
    if (r.met(credential)) continue;
    const column = Object.entries(mapping.profile.columns).find(([, f]) => (r.fields as string[]).includes(f))?.[0];
    issues.push(
      column
        ? {
            path: `/rows/${row}/${column.replace(/~/g, "~0").replace(/\//g, "~1")}`,
            message: `no ${r.what.replace(/^an? /, "")}: the ${JSON.stringify(column)} cell is empty; fill it (${target} requires ${r.what})`,
          }
        : {
            path: `/rows/${row}`,
            message: `no ${r.what.replace(/^an? /, "")}: add a column ${suggestions(r.column)} (${target} requires ${r.what})`,
          },
    );
  }
  return issues;
}

/** Whether the header row has a column for a title, or the profile fixes one for every row. */
export function titleMapped(mapping: SpreadsheetMapping): boolean {
  return Object.values(mapping.profile.columns).includes("title") || (mapping.profile.fixed ?? []).includes("title");
}

/** The refusal of a header row without a title column: the headers seen and those expected. */
export function noTitleIssue(mapping: SpreadsheetMapping): ReadIssue {
  const seen = [...Object.keys(mapping.profile.columns), ...mapping.unmapped];
  return {
    path: "/rows/1",
    message:
      `no column holds the credentials' title (profile ${mapping.profile.name}); headers seen: ` +
      `${seen.map((h) => JSON.stringify(h)).join(", ") || "none"}; expected one of ${suggestions("title")} ` +
      "(or a profile with fixed.title)",
  };
}
