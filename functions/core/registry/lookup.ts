/**
 * `POST /v1/registry/match`: the registry's answer for one awarding body, as a verifier or a registrar asks it —
 * which DEQAR institution it is, how that was found, and its current quality-assurance reports.
 */
import type { AwardingBodyRef } from "../../../mappings/registry/body.js";
import { countryCodeOf } from "../../../mappings/registry/model.js";
import { GatewayError } from "../../kernel/errors.js";
import { type RegistryReader, type RegistryView, viewOfBodies } from "./quality-assurance.js";

export interface RegistryMatchInput {
  awardingBody: {
    id?: string;
    legalIdentifier?: string;
    schac?: string;
    name?: string;
    country?: string;
    homepage?: string;
  };
}

/** Matches one awarding body (see `match.ts` for the order) and answers the registry's view of it. */
export async function matchRegistryBody(
  deps: { registry: RegistryReader; now: Date },
  input: RegistryMatchInput,
): Promise<RegistryView> {
  const b = input.awardingBody;
  const country = b.country ? countryCodeOf(b.country) : undefined;
  if (b.country && !country) {
    throw new GatewayError("validation-failed", `"${b.country}" is not a country`, [
      {
        pointer: "/body/awardingBody/country",
        detail: "an ISO 3166-1 alpha-2 or alpha-3 code, or an English country name",
      },
    ]);
  }
  const ref: AwardingBodyRef = {
    ...(b.id ? { id: b.id } : {}),
    identifiers: b.legalIdentifier ? [{ value: b.legalIdentifier }] : [],
    schac: b.schac ? [b.schac] : [],
    names: b.name ? [b.name] : [],
    countries: country ? [country] : [],
    homepages: b.homepage ? [b.homepage] : [],
  };
  return viewOfBodies(deps.registry, [ref], deps.now);
}
