/**
 * What the EDC issuer does to a credential just before it seals it (`CertificateUtils#overwriteCertificateFields`,
 * research elm.md §1.4): the issuer node is taken from the seal certificate, because the sealer is the issuer (an
 * eIDAS legal person) whatever awarding body the claims name, and `issued` is the time of sealing.
 *
 * - `organizationIdentifier` → `issuer.eIDASIdentifier` (`urn:certificateIdentifier:1`, a LegalIdentifier whose
 *   `spatial` is the certificate's country), which the EDC shapes require exactly once;
 * - `O` → `issuer.legalName`, `CN` → `issuer.altLabel`;
 * - `C` → one more `issuer.location` (`urn:certificateLocation:1`) holding that country;
 * - `issued` (and `issuanceDate` in the VCDM 1.1 form) = the sealing time.
 *
 * - with `options.idSuffix`, the issuer's `id` gets it appended, as EDC appends a UUID: the sealer becomes a node of
 *   its own, so an awarding body that shared the issuer's id (credentials converted from OB 3.0 do) does not merge
 *   with the certificate's data in RDF.
 *
 * Pure: the certificate's subject, the clock and the suffix are arguments.
 */
import { countryAlpha2, countryName, countryUri, SCHEMES } from "../vocab/index.js";
import { isRecord } from "./json.js";

/** The subject attributes of a seal certificate that EDC copies into the credential. */
export interface SealCertificateSubject {
  /** `CN`. */
  commonName?: string;
  /** `O`. */
  organizationName?: string;
  /** `organizationIdentifier` (2.5.4.97), ETSI EN 319 412-1 form: `VATES-A00000000`, `NTRIE-123456`. */
  organizationIdentifier?: string;
  /** `C`: ISO 3166-1 alpha-2. */
  countryName?: string;
}

/** Ids EDC gives the nodes it makes from the certificate. */
export const SEAL_NODE_IDS = {
  identifier: "urn:certificateIdentifier:1",
  location: "urn:certificateLocation:1",
  address: "urn:certificateAddress:1",
} as const;

const VC_V1 = "https://www.w3.org/2018/credentials/v1";
/** ETSI EN 319 412-1 §5.1.4: three-character scheme (`NTR`, or `XX:` for a local one), country, hyphen, reference. */
const ETSI_ORGANIZATION_IDENTIFIER = /^(?:[A-Z]{3}|[A-Z]{2}:)([A-Z]{2})-./;

/** `YYYY-MM-DDTHH:mm:ssZ`: the sealing time as EDC and JAdES `sigT` write it (seconds, UTC). */
export const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The EU country concept node, as the EC writes it in sealed credentials. */
function countryNode(alpha2: string): Record<string, unknown> {
  const uri = countryUri(alpha2);
  if (!uri) throw new RangeError(`the seal certificate's country "${alpha2}" is not an ISO 3166-1 alpha-2 code`);
  return {
    id: uri,
    type: "Concept",
    inScheme: { id: SCHEMES.country, type: "ConceptScheme" },
    notation: "country",
    prefLabel: { en: countryName(alpha2) ?? alpha2 },
  };
}

/** The issuer's country: the certificate's `C`, else the country inside an ETSI-form organizationIdentifier. */
function sealCountry(subject: SealCertificateSubject): string | undefined {
  if (subject.countryName) return subject.countryName.toUpperCase();
  const fromIdentifier = ETSI_ORGANIZATION_IDENTIFIER.exec(subject.organizationIdentifier ?? "")?.[1];
  return fromIdentifier && countryAlpha2(fromIdentifier) ? fromIdentifier : undefined;
}

/** The language the issuer's names are written in: that of its current legal name, else English. */
function issuerLanguage(issuer: Record<string, unknown>): string {
  const legalName = issuer.legalName;
  const first = isRecord(legalName) ? Object.keys(legalName)[0] : undefined;
  return first && !first.startsWith("@") ? first : "en";
}

function contextHas(credential: Record<string, unknown>, iri: string): boolean {
  const context = credential["@context"];
  return Array.isArray(context) ? context.includes(iri) : context === iri;
}

function issuerNode(value: unknown): Record<string, unknown> {
  if (isRecord(value)) return { ...value };
  if (typeof value === "string") return { id: value, type: "Organisation" };
  return { id: "urn:certificateOrganisation:1", type: "Organisation" };
}

/**
 * The credential as EDC seals it with a certificate of `subject` at `now`: a new object (the input is not changed).
 * Throws a `RangeError` when the certificate names a country that is not an ISO 3166-1 code.
 */
export function applySealCertificate(
  credential: Record<string, unknown>,
  subject: SealCertificateSubject,
  now: Date,
  options: { idSuffix?: string } = {},
): Record<string, unknown> {
  const issuer = issuerNode(credential.issuer);
  if (options.idSuffix && typeof issuer.id === "string") issuer.id = `${issuer.id}${options.idSuffix}`;
  const language = issuerLanguage(issuer);
  const country = sealCountry(subject);
  const countryConcept = country === undefined ? undefined : countryNode(country);
  if (subject.organizationIdentifier) {
    issuer.eIDASIdentifier = {
      id: SEAL_NODE_IDS.identifier,
      type: "LegalIdentifier",
      ...(countryConcept ? { spatial: countryConcept } : {}),
      notation: subject.organizationIdentifier,
    };
  }
  if (subject.organizationName) issuer.legalName = { [language]: subject.organizationName };
  if (subject.commonName) issuer.altLabel = { [language]: subject.commonName };
  if (countryConcept) {
    const existing =
      issuer.location === undefined ? [] : Array.isArray(issuer.location) ? issuer.location : [issuer.location];
    const others = existing.filter((l) => !(isRecord(l) && l.id === SEAL_NODE_IDS.location));
    issuer.location = [
      ...others,
      {
        id: SEAL_NODE_IDS.location,
        type: "Location",
        address: { id: SEAL_NODE_IDS.address, type: "Address", countryCode: countryConcept },
      },
    ];
  }
  const issued = isoSeconds(now);
  const sealed: Record<string, unknown> = { ...credential, issuer, issued };
  // `issuanceDate` is a VCDM 1.1 term: the VCDM 2.0 (EBSI) context does not define it.
  if (contextHas(credential, VC_V1) || credential.issuanceDate !== undefined) sealed.issuanceDate = issued;
  return sealed;
}
