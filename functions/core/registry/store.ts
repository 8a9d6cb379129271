/** Registry bridge data (DEQAR/QDR institutions, agencies and reports) held for lookups. */
import type {
  RegistryAgency,
  RegistryInstitution,
  RegistryLookup,
  RegistryReport,
} from "../../../mappings/registry/model.js";

/**
 * The quality-assurance registry (DEQAR institutions, agencies and reports, Europass / QDR accreditation data) as
 * imported by `functions/core/registry/import.ts`; read by the check, the verification's DEQAR trust source and the
 * registry match. Records are the pure model of `mappings/registry/model.ts`.
 */
export interface RegistryStore {
  /** Stores (replaces) an institution and the lookups that find it; lookups it no longer has are removed. */
  putInstitution(institution: RegistryInstitution): Promise<void>;
  getInstitution(key: string): Promise<RegistryInstitution | undefined>;
  /** The institutions found under a lookup (an identifier, a SCHAC code, a normalised name in a country). */
  findInstitutions(lookup: RegistryLookup): Promise<RegistryInstitution[]>;
  /** Stores (replaces) a report, filed under each institution it covers; copies under institutions it no longer covers are removed. */
  putReport(report: RegistryReport): Promise<void>;
  getReport(id: string): Promise<RegistryReport | undefined>;
  /** The reports covering an institution. */
  reportsOf(institutionKey: string): Promise<RegistryReport[]>;
  putAgency(agency: RegistryAgency): Promise<void>;
  getAgency(id: string): Promise<RegistryAgency | undefined>;
  /** Deletes a report and its copies under the institutions it covers; nothing when there is none. */
  deleteReport(id: string): Promise<void>;
  /**
   * The report ids the last import of each scope stored (scope: `deqar-api:{country|all}`, `file:{name}`), so that a
   * re-import from one source replaces what that source said before and nothing another source said.
   */
  listImportScopes(): Promise<{ scope: string; reportIds: string[]; importedAt: string }[]>;
  /** Records (replaces) what an import of `scope` stored. */
  putImportScope(record: { scope: string; reportIds: string[]; importedAt: string }): Promise<void>;
}
