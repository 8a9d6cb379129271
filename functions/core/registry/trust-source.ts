/**
 * The DEQAR {@link TrustSource} of verification: says, for each awarding body a credential names (and for an issuer
 * whose DID DEQAR records, e.g. a `DID-EBSI` identifier), whether it is a DEQAR-registered institution with a current
 * external quality assurance report — DEQAR lists only reports by EQAR-registered agencies, i.e. reviews against the
 * European Standards and Guidelines (ESG). `ok` when it is; `skipped` (never `error`) when it is not or cannot be
 * told: most credentials are awarded by bodies outside DEQAR, and that alone says nothing against the credential.
 */
import { type AwardingBodyRef, bodyRefOfSubject } from "../../../mappings/registry/body.js";
import type { Clock } from "../../kernel/ports/index.js";
import type { TrustFinding, TrustSource, TrustSubject } from "../trust/trust.js";
import { matchAwardingBody } from "./match.js";
import { type RegistryReader, type RegistryView, viewOfBodies } from "./quality-assurance.js";

export const DEQAR_TRUST_SOURCE = "deqar";

export class DeqarTrustSource implements TrustSource {
  readonly name = DEQAR_TRUST_SOURCE;
  readonly #registry: RegistryReader;
  readonly #clock: Clock;

  constructor(deps: { registry: RegistryReader; clock: Clock }) {
    this.#registry = deps.registry;
    this.#clock = deps.clock;
  }

  async assess(subject: TrustSubject): Promise<TrustFinding[]> {
    const now = this.#clock.now();
    const findings: TrustFinding[] = [];
    for (const body of subject.awardingBodies) {
      const ref = bodyRefOfSubject(body);
      const label = body.name ? `the awarding body "${body.name}"` : `the awarding body ${body.id ?? ""}`.trim();
      findings.push(this.#finding(label, await viewOfBodies(this.#registry, [ref], now), "claims"));
    }
    if (subject.issuerId) {
      // An issuer DEQAR knows by one of its identifiers (an EBSI DID) is reported too; an unknown issuer is no news.
      const ref: AwardingBodyRef = {
        identifiers: [{ value: subject.issuerId }],
        schac: [],
        names: [],
        countries: [],
        homepages: [],
      };
      const outcome = await matchAwardingBody(this.#registry, ref);
      if (outcome.matched) {
        // Only a verified proof made with one of that DID's own keys ties the signer to the DID DEQAR records: a
        // proof by any other key (a did:key, a JWT's own jwk) verifies too, and then the DID is one more claim.
        const ownKey = subject.verificationMethod?.split("#")[0] === subject.issuerId;
        const scope = subject.proofVerified === true && ownKey ? "signer" : "claims";
        findings.push(
          this.#finding(`the issuer ${subject.issuerId}`, await viewOfBodies(this.#registry, [ref], now), scope),
        );
      }
    }
    if (findings.length === 0) {
      findings.push({
        source: this.name,
        status: "skipped",
        detail: "the credential names no awarding body to look up in DEQAR",
        scope: "claims",
      });
    }
    return findings;
  }

  #finding(label: string, view: RegistryView, scope: "signer" | "claims"): TrustFinding {
    if (!view.matched || !view.institution) {
      return {
        source: this.name,
        scope,
        status: "skipped",
        detail: `${label} is not a DEQAR-registered institution in this gateway's registry (${(view.tried ?? []).join("; ")})`,
      };
    }
    const who = `${view.institution.deqarId ?? view.institution.key}${view.institution.name ? ` "${view.institution.name}"` : ""}`;
    const report = view.reports[0];
    if (!report) {
      return {
        source: this.name,
        scope,
        status: "skipped",
        detail: `${label} is ${who} in DEQAR (matched by ${view.match?.on}) but has no current ESG-based quality assurance report`,
      };
    }
    return {
      source: this.name,
      scope,
      status: "ok",
      detail:
        `${label} is the DEQAR-registered institution ${who} (matched by ${view.match?.on}), ESG-reviewed: ` +
        `${report.activity ?? "external quality assurance"}${report.agency ? ` by ${report.agency}` : ""}` +
        `${report.validTo ? ` valid until ${report.validTo}` : ""} (${report.url})`,
    };
  }
}
