/**
 * The ELM v3 JSON-LD context of the EDC application profile, `http://data.europa.eu/snb/model/context/edc-ap`, as the
 * gateway serves it to jsonld. It is authored here from the term mappings of the ELM 3.2 ontology (the EDC
 * application-profile context on the `EDC-3.2-(LTS)` branch of european-commission-empl/European-Learning-Model,
 * commit 22dcce7b): the same terms, mapped to the same IRIs, with the same value types.
 *
 * Why we pin it instead of resolving the URL: contexts are never fetched at run time (no network, no SSRF, no outage
 * coupling, DESIGN.md), and this context has changed under its URL and carried defects that users reported upstream
 * (ELM issues #64, #69, #73, #83, #84: missing `credentialProfiles`, `Evidence`, `IndividualDisplay`,
 * `levelOfCompletion`, the typo `elm:radingScheme`). The RDF of a credential, and so its SHACL result and any RDF
 * canonicalisation, must not change because someone edited a file on data.europa.eu.
 *
 * `test/unit/mappings/elm/context.test.ts` proves the equivalence: with this context and with the official 3.2 file (read from
 * the corpus) every EC sample and a probe document using every term give identical canonical RDF.
 *
 * Quirks of the official context, kept on purpose because changing them would change the RDF of every EDC:
 * - `clv` is `http://data.europa.eu/m8g` without the trailing `/`, so JSON-LD 1.1 does not treat it as a prefix:
 *   `latitude` and `longitude` expand to the bogus absolute IRIs `clv:latitude`/`clv:longitude` (scheme `clv`),
 *   never to the `http://data.europa.eu/m8g/latitude` that the SHACL shapes constrain.
 * - `dateModified` is typed `@id`: a date value becomes a relative IRI, silently dropped (in safe mode, an error:
 *   "relative object reference").
 * - `description` clashes with the protected `description` of the VC 2.0 context, so the EBSI VCDM 2.0 form
 *   (`[credentials/v2, edc-ap]`) cannot be expanded at all (see `mappings/jsonld/loader.ts`).
 * - `vc` is declared and never used.
 * Several JSON keys differ from their IRI's local name, which matters to mapping tables: `nationalID` →
 * `elm:nationalId`, `eIDASIdentifier` → `elm:eidasLegalIdentifier`, `thematicArea` → `elm:ISCEDFCode`, `eqfLevel` /
 * `nqfLevel` → `elm:EQFLevel` / `elm:NQFLevel`, `contentURL` → `elm:contentUrl`, `maximumScore` / `minimumScore` →
 * `elm:maxScore` / `elm:minScore`, `elmSubject` → `elm:subject` (while `subject` is `dc:subject`), `dcType` → `dc:type`.
 * The context defines none of `id`, `type`, `issuer`, `issued`, `validFrom`, `credentialSubject`, `evidence`…: those
 * come from the W3C VC context listed before it.
 */

/** The URL EDC credentials name in `@context`, after the W3C VC context. */
export const EDC_AP_CONTEXT_URL = "http://data.europa.eu/snb/model/context/edc-ap";

/** An expanded term definition, limited to the keys the ELM context uses. */
export interface ElmTermDefinition {
  readonly "@id": string;
  /** `@id` for node references, else the literal's XSD datatype. */
  readonly "@type"?: string;
  readonly "@container"?: "@language";
}

/** A JSON-LD context document: term name → IRI (prefixes, classes) or term definition (properties). */
export interface EdcApContextDocument {
  readonly "@context": Readonly<Record<string, string | ElmTermDefinition>>;
}

/** A property whose values are nodes: an IRI string, or an embedded object with its own `id`. */
const nodeReference = (id: string): ElmTermDefinition => ({ "@id": id, "@type": "@id" });

/** A property whose value is a language map, `{"en": "…", "fr": "…"}` (values may also be arrays of strings). */
const languageMap = (id: string): ElmTermDefinition => ({ "@id": id, "@container": "@language" });

/** A property whose plain JSON value becomes a literal of `datatype`. */
const typedLiteral = (id: string, datatype: string): ElmTermDefinition => ({ "@id": id, "@type": datatype });

/** Namespaces used in compact IRIs below (and usable as prefixes in documents, e.g. `"elm:foo"`). */
const PREFIXES = {
  cred: "https://www.w3.org/2018/credentials#",
  elm: "http://data.europa.eu/snb/model/elm/",
  adms: "http://www.w3.org/ns/adms#",
  dc: "http://purl.org/dc/terms/",
  xsd: "http://www.w3.org/2001/XMLSchema#",
  foaf: "http://xmlns.com/foaf/0.1/",
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#",
  org: "http://www.w3.org/ns/org#",
  rov: "http://www.w3.org/ns/regorg#",
  skos: "http://www.w3.org/2004/02/skos/core#",
  person: "http://www.w3.org/ns/person#",
  /** Sic: no trailing slash, so not a prefix (see the module comment). */
  clv: "http://data.europa.eu/m8g",
  locn: "http://www.w3.org/ns/locn#",
  vc: "http://data.europa.eu/snb/model/w3c/vc/",
} as const satisfies Record<string, string>;

/** Class names, used as `type` values. */
const CLASSES = {
  Accreditation: "elm:Accreditation",
  Address: "elm:Address",
  Agent: "elm:Agent",
  Amount: "elm:Amount",
  AwardingOpportunity: "elm:AwardingOpportunity",
  AwardingProcess: "elm:AwardingProcess",
  Claim: "elm:Claim",
  Concept: "skos:Concept",
  ConceptScheme: "skos:ConceptScheme",
  ContactPoint: "elm:ContactPoint",
  CredentialStatus: "elm:CredentialStatus",
  CreditPoint: "elm:CreditPoint",
  DisplayDetail: "elm:DisplayDetail",
  DisplayParameter: "elm:DisplayParameter",
  EuropeanDigitalCredential: "elm:EuropeanDigitalCredential",
  EuropeanDigitalPresentation: "elm:EuropeanDigitalPresentation",
  Evidence: "elm:Evidence",
  Geometry: "locn:Geometry",
  GradingScheme: "elm:GradingScheme",
  Grant: "elm:Grant",
  Group: "elm:Group",
  Identifier: "elm:Identifier",
  IndividualDisplay: "elm:IndividualDisplay",
  LearningAchievement: "elm:LearningAchievement",
  LearningAchievementSpecification: "elm:LearningAchievementSpecification",
  LearningActivity: "elm:LearningActivity",
  LearningActivitySpecification: "elm:LearningActivitySpecification",
  LearningAssessment: "elm:LearningAssessment",
  LearningAssessmentSpecification: "elm:LearningAssessmentSpecification",
  LearningEntitlement: "elm:LearningEntitlement",
  LearningEntitlementSpecification: "elm:LearningEntitlementSpecification",
  LearningOpportunity: "elm:LearningOpportunity",
  LearningOutcome: "elm:LearningOutcome",
  LegalIdentifier: "elm:LegalIdentifier",
  Location: "dc:Location",
  Mailbox: "elm:Mailbox",
  MediaObject: "elm:MediaObject",
  Note: "elm:Note",
  Organisation: "elm:Organisation",
  PeriodOfTime: "dc:PeriodOfTime",
  Person: "elm:Person",
  Phone: "elm:Phone",
  PriceDetail: "elm:PriceDetail",
  Proof: "elm:Proof",
  Qualification: "elm:Qualification",
  ResultCategory: "elm:ResultCategory",
  ResultDistribution: "elm:ResultDistribution",
  ShaclValidator2017: "elm:ShaclValidator2017",
  ShortenedGrading: "elm:ShortenedGrading",
  Specification: "elm:Specification",
  TermsOfUse: "elm:TermsOfUse",
  VerificationCheck: "elm:VerificationCheck",
  WebResource: "elm:WebResource",
} as const satisfies Record<string, string>;

/** Object properties: links to other nodes, concepts of controlled vocabularies and plain IRIs. */
const NODE_REFERENCES = {
  accreditation: nodeReference("elm:accreditation"),
  accreditingAgent: nodeReference("elm:accreditingAgent"),
  additionalNote: nodeReference("elm:additionalNote"),
  address: nodeReference("elm:address"),
  admissionProcedure: nodeReference("elm:admissionProcedure"),
  amount: nodeReference("elm:amount"),
  assessedBy: nodeReference("elm:assessedBy"),
  attachment: nodeReference("elm:attachment"),
  attachmentType: nodeReference("elm:attachmentType"),
  awardedBy: nodeReference("elm:awardedBy"),
  awardingBody: nodeReference("elm:awardingBody"),
  awardingOpportunity: nodeReference("elm:awardingOpportunity"),
  awards: nodeReference("elm:awards"),
  bannerImage: nodeReference("elm:bannerImage"),
  citizenshipCountry: nodeReference("elm:citizenshipCountry"),
  contactForm: nodeReference("elm:contactForm"),
  contactPoint: nodeReference("elm:contactPoint"),
  contentEncoding: nodeReference("elm:contentEncoding"),
  contentType: nodeReference("elm:contentType"),
  countryCode: nodeReference("elm:countryCode"),
  creator: nodeReference("dc:creator"),
  credentialProfiles: nodeReference("elm:credentialProfiles"),
  creditPoint: nodeReference("elm:creditPoint"),
  creditReceived: nodeReference("elm:creditReceived"),
  /** Sic: typed `@id`, not `xsd:dateTime` (see the module comment). */
  dateModified: nodeReference("dc:modified"),
  dcType: nodeReference("dc:type"),
  decision: nodeReference("elm:decision"),
  descriptionHtml: nodeReference("elm:descriptionHtml"),
  directedBy: nodeReference("elm:directedBy"),
  displayDetail: nodeReference("elm:displayDetail"),
  displayParameter: nodeReference("elm:displayParameter"),
  educationalSystemNote: nodeReference("elm:educationalSystemNote"),
  educationLevel: nodeReference("elm:educationLevel"),
  educationSubject: nodeReference("elm:educationSubject"),
  eIDASIdentifier: nodeReference("elm:eidasLegalIdentifier"),
  elmSubject: nodeReference("elm:subject"),
  emailAddress: nodeReference("elm:emailAddress"),
  embeddedEvidence: nodeReference("elm:embeddedEvidence"),
  entitledBy: nodeReference("elm:entitledBy"),
  entitlementStatus: nodeReference("elm:entitlementStatus"),
  entitlesTo: nodeReference("elm:entitlesTo"),
  entryRequirement: nodeReference("elm:entryRequirement"),
  eqfLevel: nodeReference("elm:EQFLevel"),
  evidenceTarget: nodeReference("elm:evidenceTarget"),
  framework: nodeReference("elm:framework"),
  fullAddress: nodeReference("elm:fullAddress"),
  gender: nodeReference("elm:gender"),
  generalisationOf: nodeReference("elm:generalisationOf"),
  grade: nodeReference("elm:grade"),
  gradeStatus: nodeReference("elm:gradeStatus"),
  gradingScheme: nodeReference("elm:gradingScheme"),
  grant: nodeReference("elm:grant"),
  groupMemberOf: nodeReference("elm:groupMemberOf"),
  hasClaim: nodeReference("elm:hasClaim"),
  hasCredential: nodeReference("elm:hasCredential"),
  hasPart: nodeReference("elm:hasPart"),
  hasSubOrganization: nodeReference("org:hasSubOrganization"),
  homepage: nodeReference("foaf:homepage"),
  identifier: nodeReference("adms:identifier"),
  idVerification: nodeReference("elm:idVerification"),
  image: nodeReference("elm:image"),
  individualDisplay: nodeReference("elm:individualDisplay"),
  influencedBy: nodeReference("elm:influencedBy"),
  influences: nodeReference("elm:influences"),
  inScheme: nodeReference("skos:inScheme"),
  isPartOf: nodeReference("elm:isPartOf"),
  landingPage: nodeReference("elm:landingPage"),
  language: nodeReference("dc:language"),
  learningAchievementSpecification: nodeReference("elm:learningAchievementSpecification"),
  learningActivitySpecification: nodeReference("elm:learningActivitySpecification"),
  learningOpportunity: nodeReference("elm:learningOpportunity"),
  learningOutcome: nodeReference("elm:learningOutcome"),
  learningOutcomeSummary: nodeReference("elm:learningOutcomeSummary"),
  learningSchedule: nodeReference("elm:learningSchedule"),
  learningSetting: nodeReference("elm:learningSetting"),
  limitCredentialType: nodeReference("elm:limitCredentialType"),
  limitEQFLevel: nodeReference("elm:limitEQFLevel"),
  limitField: nodeReference("elm:limitField"),
  limitJurisdiction: nodeReference("elm:limitJurisdiction"),
  limitNationalOccupation: nodeReference("elm:limitNationalOccupation"),
  limitOccupation: nodeReference("elm:limitOccupation"),
  limitOrganisation: nodeReference("elm:limitOrganisation"),
  limitQualification: nodeReference("elm:limitQualification"),
  location: nodeReference("elm:location"),
  logo: nodeReference("elm:logo"),
  member: nodeReference("foaf:member"),
  memberOf: nodeReference("org:memberOf"),
  mode: nodeReference("elm:mode"),
  nationalID: nodeReference("elm:nationalId"),
  noteFormat: nodeReference("elm:noteFormat"),
  nqfLevel: nodeReference("elm:NQFLevel"),
  organisation: nodeReference("elm:organisation"),
  phone: nodeReference("elm:phone"),
  placeOfBirth: nodeReference("elm:placeOfBirth"),
  priceDetail: nodeReference("elm:priceDetail"),
  primaryLanguage: nodeReference("elm:primaryLanguage"),
  provenBy: nodeReference("elm:provenBy"),
  proves: nodeReference("elm:proves"),
  providedBy: nodeReference("elm:providedBy"),
  publisher: nodeReference("dc:publisher"),
  qualificationCode: nodeReference("elm:qualificationCode"),
  registration: nodeReference("rov:registration"),
  relatedESCOSkill: nodeReference("elm:relatedESCOSkill"),
  relatedSkill: nodeReference("elm:relatedSkill"),
  report: nodeReference("elm:report"),
  resultCategory: nodeReference("elm:resultCategory"),
  resultDistribution: nodeReference("elm:resultDistribution"),
  reusabilityLevel: nodeReference("elm:reusabilityLevel"),
  scheduleInformation: nodeReference("elm:scheduleInformation"),
  shortenedGrading: nodeReference("elm:shortenedGrading"),
  spatial: nodeReference("dc:spatial"),
  spatialCode: nodeReference("elm:spatialCode"),
  specialisationOf: nodeReference("elm:specialisationOf"),
  specifiedBy: nodeReference("elm:specifiedBy"),
  subject: nodeReference("dc:subject"),
  subOrganizationOf: nodeReference("org:subOrganizationOf"),
  supplementaryDocument: nodeReference("elm:supplementaryDocument"),
  targetGroup: nodeReference("elm:targetGroup"),
  taxIdentifier: nodeReference("elm:taxIdentifier"),
  temporal: nodeReference("dc:temporal"),
  thematicArea: nodeReference("elm:ISCEDFCode"),
  unit: nodeReference("elm:unit"),
  used: nodeReference("elm:used"),
  vatIdentifier: nodeReference("elm:vatIdentifier"),
  verificationCheck: nodeReference("elm:verificationCheck"),
  verificationStatus: nodeReference("elm:verificationStatus"),
} as const satisfies Record<string, ElmTermDefinition>;

/** Multilingual texts. EDC writes one string per language; EBSI's VCDM 2.0 examples write arrays. */
const LANGUAGE_MAPS = {
  altLabel: languageMap("skos:altLabel"),
  birthName: languageMap("person:birthName"),
  category: languageMap("elm:category"),
  definition: languageMap("skos:definition"),
  description: languageMap("dc:description"),
  familyName: languageMap("foaf:familyName"),
  fullName: languageMap("foaf:fullName"),
  geographicName: languageMap("elm:geographicName"),
  givenName: languageMap("foaf:givenName"),
  legalName: languageMap("rov:legalName"),
  noteLiteral: languageMap("elm:noteLiteral"),
  patronymicName: languageMap("person:patronymicName"),
  prefLabel: languageMap("skos:prefLabel"),
  schemeAgency: languageMap("adms:schemeAgency"),
  title: languageMap("dc:title"),
} as const satisfies Record<string, ElmTermDefinition>;

/** Dates, all `xsd:dateTime` (a date of birth too: EDC writes `1999-10-01T22:00:00Z`). */
const DATE_TIMES = {
  applicationDeadline: typedLiteral("elm:applicationDeadline", "xsd:dateTime"),
  awardingDate: typedLiteral("elm:awardingDate", "xsd:dateTime"),
  dateCreated: typedLiteral("dc:created", "xsd:dateTime"),
  dateIssued: typedLiteral("dc:issued", "xsd:dateTime"),
  dateOfBirth: typedLiteral("elm:dateOfBirth", "xsd:dateTime"),
  endDate: typedLiteral("elm:endDate", "xsd:dateTime"),
  expiryDate: typedLiteral("elm:expiryDate", "xsd:dateTime"),
  reviewDate: typedLiteral("elm:reviewDate", "xsd:dateTime"),
  startDate: typedLiteral("elm:startDate", "xsd:dateTime"),
  valid: typedLiteral("dc:valid", "xsd:dateTime"),
} as const satisfies Record<string, ElmTermDefinition>;

/** ISO 8601 durations (`PT60H`, `P1M`): notional workload and lengths of programmes. */
const DURATIONS = {
  duration: typedLiteral("elm:duration", "xsd:duration"),
  maximumDuration: typedLiteral("elm:maximumDuration", "xsd:duration"),
  volumeOfLearning: typedLiteral("elm:volumeOfLearning", "xsd:duration"),
  workload: typedLiteral("elm:workload", "xsd:duration"),
} as const satisfies Record<string, ElmTermDefinition>;

/** Numbers. Credit points are not here: `point` is a string (`"2"`). */
const NUMBERS = {
  contentSize: typedLiteral("elm:contentSize", "xsd:integer"),
  count: typedLiteral("elm:count", "xsd:positiveInteger"),
  levelOfCompletion: typedLiteral("elm:levelOfCompletion", "xsd:positiveInteger"),
  page: typedLiteral("elm:page", "xsd:positiveInteger"),
  percentageEqual: typedLiteral("elm:percentageEqual", "xsd:integer"),
  percentageHigher: typedLiteral("elm:percentageHigher", "xsd:integer"),
  percentageLower: typedLiteral("elm:percentageLower", "xsd:integer"),
  value: typedLiteral("elm:value", "xsd:decimal"),
} as const satisfies Record<string, ElmTermDefinition>;

/** Strings typed `xsd:string` explicitly (a plain JSON string would give the same literal). */
const STRINGS = {
  areaDialingCode: typedLiteral("elm:areaDialingCode", "xsd:string"),
  contactHour: typedLiteral("elm:contactHour", "xsd:string"),
  content: typedLiteral("elm:content", "xsd:string"),
  countryDialing: typedLiteral("elm:countryDialing", "xsd:string"),
  dialNumber: typedLiteral("elm:dialNumber", "xsd:string"),
  evidenceStatement: typedLiteral("elm:evidenceStatement", "xsd:string"),
  label: typedLiteral("elm:label", "xsd:string"),
  latitude: typedLiteral("clv:latitude", "xsd:string"),
  longitude: typedLiteral("clv:longitude", "xsd:string"),
  maximumScore: typedLiteral("elm:maxScore", "xsd:string"),
  minimumScore: typedLiteral("elm:minScore", "xsd:string"),
  phoneNumber: typedLiteral("elm:phoneNumber", "xsd:string"),
  point: typedLiteral("elm:point", "xsd:string"),
  schemeName: typedLiteral("elm:schemeName", "xsd:string"),
  schemeVersion: typedLiteral("elm:schemeVersion", "xsd:string"),
  score: typedLiteral("elm:score", "xsd:string"),
  status: typedLiteral("elm:status", "xsd:string"),
  summaryDisplay: typedLiteral("elm:summaryDisplay", "xsd:string"),
} as const satisfies Record<string, ElmTermDefinition>;

/** The remaining literals: a boolean, URIs as `xsd:anyURI` literals and an untyped notation. */
const OTHER_LITERALS = {
  contentURL: typedLiteral("elm:contentUrl", "xsd:anyURI"),
  isPartialQualification: typedLiteral("elm:isPartialQualification", "xsd:boolean"),
  notation: { "@id": "skos:notation" },
  schemeId: typedLiteral("elm:schemeId", "xsd:anyURI"),
} as const satisfies Record<string, ElmTermDefinition>;

/** Freezes a JSON value in depth, so no caller can alter the pinned context for the rest of the process. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

/**
 * The `edc-ap` context document, frozen. Serve it for {@link EDC_AP_CONTEXT_URL} (the pinned document loader does);
 * never fetch the URL.
 */
export const EDC_AP_CONTEXT: EdcApContextDocument = deepFreeze({
  "@context": {
    ...PREFIXES,
    ...CLASSES,
    ...NODE_REFERENCES,
    ...LANGUAGE_MAPS,
    ...DATE_TIMES,
    ...DURATIONS,
    ...NUMBERS,
    ...STRINGS,
    ...OTHER_LITERALS,
  },
});
