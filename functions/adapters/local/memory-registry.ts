/**
 * An in-memory {@link RegistryStore}: the DynamoDB store's twin for unit tests of the registry use cases and for
 * tools that read a registry file without a table. Held to the same contract suite (`test/contract`).
 */
import {
  lookupKeyOf,
  lookupKeysOf,
  type RegistryAgency,
  type RegistryInstitution,
  type RegistryLookup,
  type RegistryReport,
} from "../../../mappings/registry/model.js";
import type { RegistryStore } from "../../core/registry/store.js";

export class MemoryRegistryStore implements RegistryStore {
  readonly #institutions = new Map<string, RegistryInstitution>();
  readonly #reports = new Map<string, RegistryReport>();
  readonly #agencies = new Map<string, RegistryAgency>();
  readonly #scopes = new Map<string, { scope: string; reportIds: string[]; importedAt: string }>();

  async putInstitution(institution: RegistryInstitution): Promise<void> {
    this.#institutions.set(institution.key, structuredClone(institution));
  }

  async getInstitution(key: string): Promise<RegistryInstitution | undefined> {
    const found = this.#institutions.get(key);
    return found ? structuredClone(found) : undefined;
  }

  async findInstitutions(lookup: RegistryLookup): Promise<RegistryInstitution[]> {
    const key = lookupKeyOf(lookup);
    if (!key) return [];
    return [...this.#institutions.values()].filter((i) => lookupKeysOf(i).includes(key)).map((i) => structuredClone(i));
  }

  async putReport(report: RegistryReport): Promise<void> {
    this.#reports.set(report.id, structuredClone(report));
  }

  async getReport(id: string): Promise<RegistryReport | undefined> {
    const found = this.#reports.get(id);
    return found ? structuredClone(found) : undefined;
  }

  async reportsOf(institutionKey: string): Promise<RegistryReport[]> {
    return [...this.#reports.values()]
      .filter((r) => r.institutionKeys.includes(institutionKey))
      .map((r) => structuredClone(r));
  }

  async putAgency(agency: RegistryAgency): Promise<void> {
    this.#agencies.set(agency.id, structuredClone(agency));
  }

  async getAgency(id: string): Promise<RegistryAgency | undefined> {
    const found = this.#agencies.get(id);
    return found ? structuredClone(found) : undefined;
  }

  async deleteReport(id: string): Promise<void> {
    this.#reports.delete(id);
  }

  async listImportScopes(): Promise<{ scope: string; reportIds: string[]; importedAt: string }[]> {
    return [...this.#scopes.values()].map((s) => structuredClone(s));
  }

  async putImportScope(record: { scope: string; reportIds: string[]; importedAt: string }): Promise<void> {
    this.#scopes.set(record.scope, structuredClone(record));
  }
}
