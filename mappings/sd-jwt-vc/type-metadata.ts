/**
 * SD-JWT VC Type Metadata (draft-ietf-oauth-sd-jwt-vc §4, keys as of -12 and later: `display[].locale`, claim
 * `display[].label`, `sd`, `mandatory`) for the European micro-credential the gateway issues. The `vct` is an HTTPS URL
 * the gateway serves (`{publicUrl}/vct/micro-credential`), so that a wallet or verifier can fetch this document from
 * the `vct` itself, as the draft describes.
 */
import { ELEMENT_CLAIMS, LEARNER_CLAIMS } from "./claims.js";

/** The path segment after `/vct/` of the micro-credential type. */
export const MICRO_CREDENTIAL_VCT_NAME = "micro-credential";

export const microCredentialVct = (publicUrl: string): string =>
  `${publicUrl.replace(/\/+$/, "")}/vct/${MICRO_CREDENTIAL_VCT_NAME}`;

type Labels = Record<"en" | "fr" | "de", string>;

/** Claim labels in English, French and German. */
const LABELS: Record<string, Labels> = {
  given_name: { en: "Given name", fr: "Prénom", de: "Vorname" },
  family_name: { en: "Family name", fr: "Nom de famille", de: "Familienname" },
  full_name: { en: "Full name", fr: "Nom complet", de: "Vollständiger Name" },
  birthdate: { en: "Date of birth", fr: "Date de naissance", de: "Geburtsdatum" },
  learner_identification: {
    en: "Learner identifier",
    fr: "Identifiant de l'apprenant",
    de: "Kennung der lernenden Person",
  },
  email: { en: "Email", fr: "Courriel", de: "E-Mail" },
  achievement_title: {
    en: "Title of the micro-credential",
    fr: "Intitulé du microcertificat",
    de: "Titel des Microcredentials",
  },
  achievement_description: { en: "Description", fr: "Description", de: "Beschreibung" },
  issuing_country: { en: "Country of the issuer", fr: "Pays de l'émetteur", de: "Land des Ausstellers" },
  awarding_body: { en: "Awarding body", fr: "Organisme de délivrance", de: "Verleihende Stelle" },
  date_of_issuance: { en: "Date of issuing", fr: "Date de délivrance", de: "Ausstellungsdatum" },
  learning_outcomes: { en: "Learning outcomes", fr: "Acquis d'apprentissage", de: "Lernergebnisse" },
  workload: { en: "Notional workload", fr: "Charge de travail théorique", de: "Fiktiver Arbeitsaufwand" },
  level: { en: "Level (EQF, NQF, QF-EHEA)", fr: "Niveau (CEC, CNC, QF-EHEA)", de: "Niveau (EQR, NQR, QF-EHEA)" },
  assessment_type: { en: "Type of assessment", fr: "Type d'évaluation", de: "Art der Prüfung" },
  participation_form: { en: "Form of participation", fr: "Forme de participation", de: "Form der Teilnahme" },
  quality_assurance: { en: "Quality assurance", fr: "Assurance qualité", de: "Qualitätssicherung" },
  prerequisites_to_enroll: { en: "Prerequisites", fr: "Prérequis", de: "Zugangsvoraussetzungen" },
  supervision_and_id_verification: {
    en: "Supervision and identity verification",
    fr: "Surveillance et vérification d'identité",
    de: "Aufsicht und Identitätsprüfung",
  },
  assessment_grade: { en: "Grade achieved", fr: "Note obtenue", de: "Erzielte Note" },
  integration_stackability_options: { en: "Stackability options", fr: "Options de cumul", de: "Kombinierbarkeit" },
  further_information: { en: "Further information", fr: "Informations complémentaires", de: "Weitere Informationen" },
};

/** Claims Annex I makes mandatory (the learner's name parts are not each mandatory: a full name may stand for both). */
const MANDATORY = new Set<string>([
  ...ELEMENT_CLAIMS.title,
  ...ELEMENT_CLAIMS.issuerCountry,
  ...ELEMENT_CLAIMS.awardingBody,
  ...ELEMENT_CLAIMS.issuanceDate,
]);

export interface TypeMetadata {
  vct: string;
  name: string;
  description: string;
  display: { locale: string; name: string; description: string }[];
  claims: {
    path: (string | null)[];
    display: { locale: string; label: string }[];
    sd: "always" | "allowed" | "never";
    mandatory?: boolean;
  }[];
}

/** The type metadata document served at the micro-credential `vct`. */
export function microCredentialTypeMetadata(publicUrl: string): TypeMetadata {
  return {
    vct: microCredentialVct(publicUrl),
    name: "European micro-credential",
    description:
      "A micro-credential with the elements of Annex I of the Council Recommendation on a European approach to " +
      "micro-credentials (2022/C 243/02), written from ELM, Open Badges 3.0 or a local format.",
    display: [
      { locale: "en", name: "Micro-credential", description: "European micro-credential (Annex I elements)" },
      { locale: "fr", name: "Microcertificat", description: "Microcertificat européen (éléments de l'annexe I)" },
      { locale: "de", name: "Microcredential", description: "Europäisches Microcredential (Elemente des Anhangs I)" },
    ],
    claims: Object.entries(LABELS).map(([name, labels]) => ({
      path: [name],
      display: (Object.entries(labels) as [string, string][]).map(([locale, label]) => ({ locale, label })),
      // Every claim may be withheld by the holder; the learner's data always is selectively disclosable.
      sd: LEARNER_CLAIMS.includes(name) ? "always" : "allowed",
      ...(MANDATORY.has(name) ? { mandatory: true } : {}),
    })),
  };
}

/** Every claim name the type defines. */
export const MICRO_CREDENTIAL_CLAIMS: readonly string[] = Object.keys(LABELS);
