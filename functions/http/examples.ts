/**
 * An example request and answer per operation, shown in the OpenAPI document (and so at `/docs`). They are written
 * for a gateway started by `npm start` at http://localhost:3000 with the issuer `example-university` the
 * `registerIssuer` example registers; in this order a newcomer can replay them one after the other. Values the
 * gateway makes (ids, tokens, signatures, times) stand as shown here only as placeholders: a later example names
 * the placeholder an earlier answer carried (test/integration/openapi-examples.test.ts replays them so, and checks
 * each real answer against the operation's documented status and schema).
 */

export interface OperationExample {
  /** Path parameters of the example's URL. */
  params?: Record<string, string>;
  /** The bearer token sent: the admin token (`$GATEWAY_ADMIN_TOKEN`) or an earlier answer's token. */
  token?: string;
  /** The request body (an object for form-encoded bodies too). */
  request?: unknown;
  /** The answer's body: JSON, or text for the non-JSON media types. */
  response?: unknown;
}

/** The base URL and the example issuer the examples are written for. */
export const EXAMPLE_BASE = "http://localhost:3000";
export const EXAMPLE_ADMIN_TOKEN = "$GATEWAY_ADMIN_TOKEN";
const SLUG = "example-university";
const DID = `did:web:localhost%3A3000:issuers:${SLUG}`;
const ISSUER_TOKEN = "gw1.exampleIssuerTokenShownOnce0123456789abcdef";
const CREDENTIAL_ID = "urn:uuid:4f6c2a9e-7d3b-4c1a-9e2f-1b8d5c6a7e90";

const CSV =
  "given_name,family_name,email,course_title,ects,eqf_level,date_awarded,awarding_body,awarding_country\n" +
  "Aoife,Byrne,aoife.byrne@example.ie,Data Protection for Practitioners,5,6,2025-06-20,Shannon Valley University,Ireland\n";

/** An unsigned Open Badges 3.0 credential (after the 1EdTech validator's `simple.json`). */
const UNSIGNED_OB3 = {
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  id: CREDENTIAL_ID,
  type: ["VerifiableCredential", "OpenBadgeCredential"],
  issuer: { id: DID, type: ["Profile"], name: "Example University" },
  validFrom: "2025-06-20T00:00:00Z",
  name: "Teamwork Badge",
  credentialSubject: {
    id: "did:example:ebfeb1f712ebc6f1c276e12ec21",
    type: ["AchievementSubject"],
    achievement: {
      id: "https://example.com/achievements/21st-century-skills/teamwork",
      type: ["Achievement"],
      criteria: { narrative: "Team members are nominated for this badge by their peers." },
      description: "This badge recognizes the capacity to collaborate within a group environment.",
      name: "Teamwork",
    },
  },
};

const STATUS_LIST = `${EXAMPLE_BASE}/status-lists/${SLUG}.revocation.0`;
/** As issued: the issuer's registered country added, a status entry, the proof. */
/** The OpenID4VCI discovery documents of the example issuer. */
const ISSUER_METADATA_EXAMPLE = {
  params: { slug: SLUG },
  response: {
    credential_issuer: `${EXAMPLE_BASE}/oid4vci/${SLUG}`,
    credential_endpoint: `${EXAMPLE_BASE}/oid4vci/${SLUG}/credential`,
    nonce_endpoint: `${EXAMPLE_BASE}/oid4vci/${SLUG}/nonce`,
    credential_configurations_supported: { OpenBadgeCredential_ldp_vc: { format: "ldp_vc" } },
  },
};
const AUTHORIZATION_SERVER_EXAMPLE = {
  params: { slug: SLUG },
  response: {
    issuer: `${EXAMPLE_BASE}/oid4vci/${SLUG}`,
    token_endpoint: `${EXAMPLE_BASE}/oid4vci/${SLUG}/token`,
    "pre-authorized_grant_anonymous_access_supported": true,
  },
};

const SIGNED_OB3 = {
  ...UNSIGNED_OB3,
  issuer: { ...UNSIGNED_OB3.issuer, address: { type: ["Address"], addressCountryCode: "IE" } },
  credentialStatus: {
    id: `${STATUS_LIST}#17`,
    type: "BitstringStatusListEntry",
    statusPurpose: "revocation",
    statusListIndex: "17",
    statusListCredential: STATUS_LIST,
  },
  // OB 3.0 writes `proof` as an array (its JSON Schema takes no single object).
  proof: [
    {
      type: "DataIntegrityProof",
      cryptosuite: "eddsa-rdfc-2022",
      created: "2025-06-20T10:15:00Z",
      verificationMethod: `${DID}#key-ed25519`,
      proofPurpose: "assertionMethod",
      proofValue: "z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKKLBNDo2UNKnkmGoDk",
    },
  ],
};

const VERIFIED = {
  verified: true,
  verdict: {
    status: "valid-issuer-unknown",
    summary: "The credential is intact and valid, but nothing confirms who its issuer is.",
  },
  checks: [
    { check: "format", status: "ok", detail: "Open Badges 3.0 (VCDM 2.0)" },
    { check: "proof", status: "ok", detail: "eddsa-rdfc-2022 by did:web:localhost%3A3000:issuers:example-university" },
    { check: "status", status: "ok", detail: "revocation: not set" },
  ],
  warnings: [],
  errors: [],
};

const ED25519_JWK = { kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" };
const DID_DOCUMENT = {
  "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
  id: DID,
  verificationMethod: [
    {
      id: `${DID}#key-ed25519`,
      type: "Multikey",
      controller: DID,
      publicKeyMultibase: "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
    },
  ],
  assertionMethod: [`${DID}#key-ed25519`],
};
const ISSUER = {
  id: DID,
  slug: SLUG,
  name: "Example University",
  country: "IE",
  keys: [{ id: `${DID}#key-ed25519`, type: "Ed25519", algorithms: ["EdDSA"], publicKeyJwk: ED25519_JWK }],
};
const JOB_ID = "job-3f1c9a2b7e";
const SEALED_ID = "urn:uuid:0c3e8d1a-5b7f-4e2a-8c9d-6f1a2b3c4d5e";

/** An ELM credential sealed with JAdES: the general JWS JSON serialization (RFC 7515 §7.2.1), unencoded payload. */
const SEALED_ELM = {
  payload: `{"@context":["https://www.w3.org/2018/credentials/v1","http://data.europa.eu/snb/model/context/edc-ap"],"id":"${SEALED_ID}","type":["VerifiableCredential","EuropeanDigitalCredential"],…}`,
  signatures: [{ protected: "eyJhbGciOiJFUzI1NiIsImI2NCI6ZmFsc2UsIng1YyI6WyJNSUlC…", signature: "k7Q2…" }],
};
const TOKEN_ID = "tok-7d2e91c4a0";
/** An offer's id, and its reference and pre-authorised code: the id with a secret each. */
const OFFER_ID = "Qm9vc3RFeGFtcGxlT2ZmZXI";
const OFFER_REFERENCE = `${OFFER_ID}.kmiIexampleReferenceSecret0123456789abcdefg`;
const PRE_AUTHORIZED_CODE = `${OFFER_ID}.UpVkexamplePreAuthorisedCode0123456789abcd`;
const PRESENTATION_ID = "pr-2b7d9e1f4c";
const OFFERED_ID = "urn:uuid:9b2d4f6a-1c3e-4a5b-8d7f-2e4c6a8b0d1f";

/** A self-signed root (P-256, 20 years), as an operator's own seal CA might be. */
const EXAMPLE_ROOT_PEM =
  "-----BEGIN CERTIFICATE-----\nMIIB/jCCAaWgAwIBAgIUOwOkoWiB9PKyXtD8tpPz/5xFhlAwCgYIKoZIzj0EAwIw\nTTELMAkGA1UEBhMCSUUxHzAdBgNVBAoMFkV4YW1wbGUgVHJ1c3QgU2VydmljZXMx\nHTAbBgNVBAMMFEV4YW1wbGUgU2VhbCBSb290IENBMB4XDTI2MTIwNzEzMTcwOFoX\nDTQ2MTIwMjEzMTcwOFowTTELMAkGA1UEBhMCSUUxHzAdBgNVBAoMFkV4YW1wbGUg\nVHJ1c3QgU2VydmljZXMxHTAbBgNVBAMMFEV4YW1wbGUgU2VhbCBSb290IENBMFkw\nEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2iSGrLvS529rz5wpcFLs3MlwjbX72NL0\nul4LrKMu1GzZYMKS3r45omgooQUazRCZCnyXi47zscMaKDqf4QMryaNjMGEwHQYD\nVR0OBBYEFLYzYlPLjtuE5d3efF/ORuK+7bQ2MB8GA1UdIwQYMBaAFLYzYlPLjtuE\n5d3efF/ORuK+7bQ2MA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMAoG\nCCqGSM49BAMCA0cAMEQCIE/VIBcCL2h4xbsf13ZSEoFCvZb5hcle4dlieOVZlKJB\nAiAv+peDjIkcjX52Z6GLJKz49c56A+FqaHP1VHbBRyBAtg==\n-----END CERTIFICATE-----\n";

/** A national trusted list (ETSI TS 119 612 v2) naming the example root as a granted CA/QC service for e-seals. */
const EXAMPLE_TRUSTED_LIST_XML = `<?xml version="1.0" encoding="UTF-8"?>
<tsl:TrustServiceStatusList xmlns:tsl="http://uri.etsi.org/02231/v2#" TSLTag="http://uri.etsi.org/19612/TSLTag">
  <tsl:SchemeInformation>
    <tsl:TSLVersionIdentifier>5</tsl:TSLVersionIdentifier>
    <tsl:TSLSequenceNumber>42</tsl:TSLSequenceNumber>
    <tsl:TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric</tsl:TSLType>
    <tsl:SchemeTerritory>IE</tsl:SchemeTerritory>
    <tsl:ListIssueDateTime>2025-06-01T00:00:00Z</tsl:ListIssueDateTime>
    <tsl:NextUpdate><tsl:dateTime>2025-12-01T00:00:00Z</tsl:dateTime></tsl:NextUpdate>
  </tsl:SchemeInformation>
  <tsl:TrustServiceProviderList>
    <tsl:TrustServiceProvider>
      <tsl:TSPInformation><tsl:TSPName><tsl:Name xml:lang="en">Example Trust Services</tsl:Name></tsl:TSPName></tsl:TSPInformation>
      <tsl:TSPServices>
        <tsl:TSPService>
          <tsl:ServiceInformation>
            <tsl:ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/QC</tsl:ServiceTypeIdentifier>
            <tsl:ServiceName><tsl:Name xml:lang="en">Example Seal Root CA</tsl:Name></tsl:ServiceName>
            <tsl:ServiceDigitalIdentity>
              <tsl:DigitalId><tsl:X509Certificate>${EXAMPLE_ROOT_PEM.replace(/-----[A-Z ]+-----|\n/g, "")}</tsl:X509Certificate></tsl:DigitalId>
            </tsl:ServiceDigitalIdentity>
            <tsl:ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted</tsl:ServiceStatus>
            <tsl:StatusStartingTime>2025-01-01T00:00:00Z</tsl:StatusStartingTime>
            <tsl:ServiceInformationExtensions>
              <tsl:Extension Critical="false"><tsl:AdditionalServiceInformation><tsl:URI xml:lang="en">http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSeals</tsl:URI></tsl:AdditionalServiceInformation></tsl:Extension>
            </tsl:ServiceInformationExtensions>
          </tsl:ServiceInformation>
        </tsl:TSPService>
      </tsl:TSPServices>
    </tsl:TrustServiceProvider>
  </tsl:TrustServiceProviderList>
</tsl:TrustServiceStatusList>
`;
/** A job made with `upload: true`, whose input was PUT to the upload URL its answer gave. */
const UPLOAD_JOB_ID = "job-8a4e2c6b1d";
const DELIVERY_ID = "dl-5e9c1a7b3f";
/** The hash of a Europass share link (`…/viewer/#/shareview/{hash}`), as the wallet shows it to the learner. */
const SHARE_HASH = "a1B2c3D4e5F6g7H8i9J0kLmN";
/** A holder's key proof JWT (OpenID4VCI 1.0 Appendix F.1) over the `c_nonce`, with the issuer as audience. */
const KEY_PROOF_JWT =
  "eyJhbGciOiJFUzI1NiIsInR5cCI6Im9wZW5pZDR2Y2ktcHJvb2Yrand0IiwiandrIjp7fX0.eyJub25jZSI6ImNuLUh5NXRSbTJXcThacDFMeDQifQ.c2ln";
const HOLDER_DID = "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169";
/** A wallet's vp_token (OpenID4VP 1.0 §8.1): per DCQL query id, the SD-JWT VC presentations with key binding. */
const VP_TOKEN =
  '{"micro-credential":["eyJhbGciOiJFUzI1NiIsInR5cCI6ImRjK3NkLWp3dCJ9.eyJ2Y3QiOiLigKYifQ.c2ln~WyLigKYiXQ~eyJ0eXAiOiJrYitqd3QifQ.e30.c2ln"]}';
const PRESENTATION_STATE = "st-Jq8vW3nZ5tR1yL6x";
const PAGE_REQUEST_ID = "pr-6c1e8a3d9b";
const POLL_KEY = "pk-Wm4kT9rQ2vX7bN1zH5sD";

/** Examples by operationId, in an order that can be replayed (each needs only what earlier ones made). */
export const EXAMPLES: Record<string, OperationExample> = {
  health: { response: { status: "ok" } },
  openapi: {
    response: {
      openapi: "3.1.0",
      info: { title: "Europass / EDC interoperability gateway", version: "0.1.0" },
      paths: {},
    },
  },
  verifierPage: { response: '<!doctype html>\n<html lang="en">…</html>' },
  getOb3ElmContext: {
    params: { file: "v1.json" },
    response: { "@context": { "@version": 1.1, "@protected": true } },
  },
  ob3ElmContextPreflight: { params: { file: "v1.json" } },
  apiReference: { response: '<!doctype html>\n<html lang="en">…</html>' },
  consolePage: { response: '<!doctype html>\n<html lang="en">…</html>' },
  consoleOfferQr: {
    request: {
      text: "openid-credential-offer://?credential_offer_uri=http%3A%2F%2Flocalhost%3A3000%2Foid4vci%2Fexample-university%2Foffers%2Fexample",
    },
    response: '<svg xmlns="http://www.w3.org/2000/svg" …</svg>',
  },
  getApiReferenceAsset: { params: { file: "init.js" }, response: '"use strict";\nwindow.ui = SwaggerUIBundle({…});' },
  convert: {
    request: { to: "ob3", from: "csv", document: CSV, options: { issuerId: DID, embedOriginal: false } },
    response: {
      from: "csv",
      to: "ob3",
      results: [
        {
          document: {
            "@context": [
              "https://www.w3.org/ns/credentials/v2",
              "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            type: ["VerifiableCredential", "OpenBadgeCredential"],
            issuer: { id: DID, type: ["Profile"], name: "Shannon Valley University" },
            name: "Data Protection for Practitioners",
            validFrom: "2025-06-20T00:00:00Z",
            credentialSubject: {
              type: ["AchievementSubject"],
              achievement: { name: "Data Protection for Practitioners" },
            },
          },
          losses: [{ path: "/rows/1/email", reason: "OB 3.0 has no place for the learner's e-mail address" }],
          warnings: [],
          derived: [{ path: "/id", reason: "generated: the row has no credential id" }],
          conformance: { rules: "Open Badges 3.0 JSON Schema (AchievementCredential)", conforms: true, violations: [] },
        },
      ],
      profile: {
        name: "default",
        columns: { given_name: "learner.givenName", family_name: "learner.familyName", course_title: "title" },
      },
      unmapped: [],
    },
  },
  check: {
    request: { document: UNSIGNED_OB3 },
    response: {
      from: "ob3",
      results: [
        {
          id: CREDENTIAL_ID,
          elements: [
            { element: "learner", required: true, status: "missing", detail: "the learner has no name, only id" },
            { element: "title", required: true, status: "present", path: "/credentialSubject/achievement/name" },
          ],
          microCredential: { compliant: false, missing: ["learner", "issuerCountry", "workload"], invalid: [] },
          warnings: [],
        },
      ],
    },
  },
  matchRegistry: {
    request: { awardingBody: { name: "Shannon Valley University", country: "IE" } },
    response: {
      matched: false,
      tried: ['name "Shannon Valley University" in IE: no institution'],
      reports: [],
      esgReviewed: false,
    },
  },
  registerIssuer: {
    token: EXAMPLE_ADMIN_TOKEN,
    request: { name: "Example University", country: "IE", slug: SLUG, testIssuer: true },
    response: {
      id: DID,
      slug: SLUG,
      token: ISSUER_TOKEN,
      didDocument: DID_DOCUMENT,
      jwks: { keys: [{ ...ED25519_JWK, kid: `${DID}#key-ed25519` }] },
    },
  },
  getIssuer: { params: { id: SLUG }, token: ISSUER_TOKEN, response: ISSUER },
  rotateIssuerKey: { params: { id: SLUG }, token: ISSUER_TOKEN, request: { type: "Ed25519" }, response: ISSUER },
  getIssuerCsr: {
    params: { id: SLUG },
    token: ISSUER_TOKEN,
    // A P-256 request made with openssl for "CN=Example University eSeal" (its key discarded).
    response:
      "-----BEGIN CERTIFICATE REQUEST-----\n" +
      "MIIBCTCBrwIBADBNMSEwHwYDVQQDDBhFeGFtcGxlIFVuaXZlcnNpdHkgZVNlYWwx\n" +
      "GzAZBgNVBAoMEkV4YW1wbGUgVW5pdmVyc2l0eTELMAkGA1UEBhMCSUUwWTATBgcq\n" +
      "hkjOPQIBBggqhkjOPQMBBwNCAATptlC+N7ddsQb02dLENbrl3iPitqIP5nrnUYhs\n" +
      "JxG3lZrXrrI+02gobSETq6/rXo8qEapoRg1y6rHUS/rp//8DoAAwCgYIKoZIzj0E\n" +
      "AwIDSQAwRgIhAPZkeIKzVywZl+fN+YzXxt45IOlSe/BMZYU4ro+6o4zTAiEAtvNu\n" +
      "iCuZofGBCkT4wcpzmFpVFl2N7ga+yZp8Vt6MphE=\n" +
      "-----END CERTIFICATE REQUEST-----\n",
  },
  getIssuerDidDocument: { params: { id: SLUG }, response: DID_DOCUMENT },
  getIssuerJwks: { params: { id: SLUG }, response: { keys: [{ ...ED25519_JWK, kid: `${DID}#key-ed25519` }] } },
  issueCredential: {
    token: ISSUER_TOKEN,
    request: { credential: UNSIGNED_OB3, options: { issuer: SLUG, proof: "eddsa-rdfc-2022" } },
    response: { verifiableCredential: SIGNED_OB3 },
  },
  verifyCredential: { request: { verifiableCredential: SIGNED_OB3 }, response: VERIFIED },
  verifyCredentialVcApi: { request: { verifiableCredential: SIGNED_OB3 }, response: VERIFIED },
  // An unsigned presentation (the VC API's proofless form): only the credentials it holds are verified.
  verifyPresentation: {
    request: {
      verifiablePresentation: {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        type: ["VerifiablePresentation"],
        verifiableCredential: [SIGNED_OB3],
      },
    },
    response: {
      verified: true,
      presentationResult: {
        verified: true,
        checks: [
          { check: "format", status: "ok", detail: "W3C verifiable presentation" },
          {
            check: "proof",
            status: "skipped",
            detail: "unsigned presentation: only the credentials it holds are verified",
          },
        ],
      },
      credentialResults: [VERIFIED],
      checks: [
        { check: "format", status: "ok", detail: "W3C verifiable presentation" },
        {
          check: "proof",
          status: "skipped",
          detail: "unsigned presentation: only the credentials it holds are verified",
        },
        { check: "credentials", status: "ok", detail: "1 of 1 verified" },
      ],
      warnings: [],
      errors: [],
    },
  },
  revokeCredential: {
    params: { id: CREDENTIAL_ID },
    token: ISSUER_TOKEN,
    request: { action: "revoke", reason: "awarded in error" },
    response: {
      credentialId: CREDENTIAL_ID,
      status: "revoked",
      statusPurpose: "revocation",
      statusListCredential: STATUS_LIST,
      statusListIndex: "17",
      changed: true,
    },
  },
  getStatusList: {
    params: { id: `${SLUG}.revocation.0` },
    response: {
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      id: STATUS_LIST,
      type: ["VerifiableCredential", "BitstringStatusListCredential"],
      issuer: DID,
      credentialSubject: { type: "BitstringStatusList", statusPurpose: "revocation", encodedList: "uH4sIAAAAAAAA…" },
      proof: { ...SIGNED_OB3.proof[0], proofValue: "z5eLnMQZexampleStatusListProof" },
    },
  },
  // The same route as /v1/credentials/issue: here an Open Badge written as ELM and sealed (format elm, JAdES).
  issueCredentialVcApi: {
    token: ISSUER_TOKEN,
    request: { credential: { ...UNSIGNED_OB3, id: SEALED_ID }, options: { issuer: SLUG, format: "elm" } },
    response: { verifiableCredential: SEALED_ELM },
  },
  createJob: {
    token: ISSUER_TOKEN,
    request: { from: "csv", document: CSV, options: { issuer: SLUG, format: "ob3" } },
    response: {
      id: JOB_ID,
      profile: {
        name: "default",
        columns: { given_name: "learner.givenName", family_name: "learner.familyName", course_title: "title" },
      },
      unmapped: [],
    },
  },
  getJob: {
    params: { id: JOB_ID },
    token: ISSUER_TOKEN,
    response: { id: JOB_ID, issuer: SLUG, status: "completed", total: 1, done: 1, failed: 0 },
  },
  listJobs: {
    token: ISSUER_TOKEN,
    response: { items: [{ id: JOB_ID, issuer: SLUG, status: "completed", total: 1, done: 1, failed: 0 }] },
  },
  getJobResults: {
    params: { id: JOB_ID },
    token: ISSUER_TOKEN,
    response: '{"row":1,"status":"issued","credentialId":"urn:uuid:…","verifiableCredential":{…}}\n',
  },
  createToken: {
    token: EXAMPLE_ADMIN_TOKEN,
    request: { role: "issuer", issuer: SLUG },
    response: {
      token: "gw1.exampleSecondTokenShownOnce0123456789abcd",
      tokenId: TOKEN_ID,
      role: "issuer",
      issuer: SLUG,
      createdAt: "2025-06-20T10:20:00.000Z",
    },
  },
  rotateToken: {
    params: { id: TOKEN_ID },
    token: EXAMPLE_ADMIN_TOKEN,
    request: { graceSeconds: 300 },
    response: {
      token: "gw1.exampleRotatedTokenShownOnce0123456789abc",
      tokenId: "tok-91b3c7e5d2",
      role: "issuer",
      issuer: SLUG,
      replaces: TOKEN_ID,
      previous: { expiresAt: "2025-06-20T10:26:00.000Z" },
    },
  },
  revokeToken: {
    params: { id: "tok-91b3c7e5d2" },
    token: EXAMPLE_ADMIN_TOKEN,
    response: { tokenId: "tok-91b3c7e5d2", role: "issuer", issuer: SLUG, expiresAt: "2025-06-20T10:21:00.000Z" },
  },
  getTrustRegistry: {
    token: EXAMPLE_ADMIN_TOKEN,
    response: { trustedIssuers: { configured: [], stored: [] }, lists: [] },
  },
  putTrustedIssuers: {
    token: EXAMPLE_ADMIN_TOKEN,
    request: { issuers: [{ id: DID, name: "Example University" }] },
    response: { trustedIssuers: { configured: [], stored: [{ id: DID, name: "Example University" }] }, lists: [] },
  },
  getJwtVcIssuerMetadata: {
    params: { id: SLUG },
    response: {
      issuer: `${EXAMPLE_BASE}/issuers/${SLUG}`,
      jwks: { keys: [{ kty: "EC", crv: "P-256", x: "…", y: "…", kid: `${DID}#key-p256`, alg: "ES256", use: "sig" }] },
    },
  },
  getTypeMetadata: {
    params: { id: "micro-credential" },
    response: {
      vct: `${EXAMPLE_BASE}/vct/micro-credential`,
      name: "European micro-credential",
      display: [{ locale: "en", name: "Micro-credential" }],
      claims: [{ path: ["given_name"], display: [{ locale: "en", label: "Given name" }], sd: "always" }],
    },
  },
  createCredentialOffer: {
    params: { id: SLUG },
    token: ISSUER_TOKEN,
    // A credential of its own: the gateway issues each credential id once.
    request: { credential: { ...UNSIGNED_OB3, id: OFFERED_ID }, configuration: "OpenBadgeCredential_ldp_vc" },
    response: {
      id: OFFER_ID,
      credentialOffer: {
        credential_issuer: `${EXAMPLE_BASE}/oid4vci/${SLUG}`,
        credential_configuration_ids: ["OpenBadgeCredential_ldp_vc"],
        grants: {
          "urn:ietf:params:oauth:grant-type:pre-authorized_code": { "pre-authorized_code": PRE_AUTHORIZED_CODE },
        },
      },
      credentialOfferUri: `${EXAMPLE_BASE}/oid4vci/${SLUG}/offers/${OFFER_REFERENCE}`,
      offerUri: `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(`${EXAMPLE_BASE}/oid4vci/${SLUG}/offers/${OFFER_REFERENCE}`)}`,
      offerUriByValue: "openid-credential-offer://?credential_offer=%7B…%7D",
      expiresAt: "2025-06-20T11:20:00.000Z",
    },
  },
  getCredentialOffer: {
    params: { slug: SLUG, reference: OFFER_REFERENCE },
    response: {
      credential_issuer: `${EXAMPLE_BASE}/oid4vci/${SLUG}`,
      credential_configuration_ids: ["OpenBadgeCredential_ldp_vc"],
      grants: {
        "urn:ietf:params:oauth:grant-type:pre-authorized_code": { "pre-authorized_code": PRE_AUTHORIZED_CODE },
      },
    },
  },
  // Each discovery document is served at two paths (RFC 8414 §3.1 and the OpenID4VCI appended form): one example.
  getCredentialIssuerMetadata: ISSUER_METADATA_EXAMPLE,
  getCredentialIssuerMetadataAppended: ISSUER_METADATA_EXAMPLE,
  getAuthorizationServerMetadata: AUTHORIZATION_SERVER_EXAMPLE,
  getAuthorizationServerMetadataAppended: AUTHORIZATION_SERVER_EXAMPLE,
  oid4vciToken: {
    params: { slug: SLUG },
    request: {
      grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code",
      "pre-authorized_code": PRE_AUTHORIZED_CODE,
    },
    response: { access_token: "at-Zk4pQ7rW2sXv9Ly1Mn3Bc6Df", token_type: "Bearer", expires_in: 300 },
  },
  oid4vciNonce: { params: { slug: SLUG }, response: { c_nonce: "cn-Hy5tRm2Wq8Zp1Lx4" } },
  createPresentationRequest: {
    token: ISSUER_TOKEN,
    request: { preset: "micro-credential", purpose: "Check a micro-credential for admission", verifier: SLUG },
    response: {
      id: PRESENTATION_ID,
      requestUri: `${EXAMPLE_BASE}/oid4vp/requests/${PRESENTATION_ID}`,
      walletUrl: `openid4vp://?client_id=${encodeURIComponent(`x509_hash:hMvKexampleCertificateHash0123456789abcdefgh`)}&request_uri=${encodeURIComponent(`${EXAMPLE_BASE}/oid4vp/requests/${PRESENTATION_ID}`)}`,
      expiresAt: "2025-06-20T10:25:00.000Z",
      clientId: "x509_hash:hMvKexampleCertificateHash0123456789abcdefgh",
    },
  },
  getPresentationRequest: {
    params: { id: PRESENTATION_ID },
    token: ISSUER_TOKEN,
    response: { id: PRESENTATION_ID, status: "pending" },
  },
  getPresentationRequestObject: {
    params: { id: PRESENTATION_ID },
    response: "eyJhbGciOiJFUzI1NiIsInR5cCI6Im9hdXRoLWF1dGh6LXJlcStqd3QifQ.eyJyZXNwb25zZV90eXBlIjoidnBfdG9rZW4ifQ.c2ln",
  },
  getTokenStatusList: {
    params: { id: `${SLUG}.revocation.0` },
    response: "eyJhbGciOiJFUzI1NiIsInR5cCI6InN0YXR1c2xpc3Qrand0In0.eyJzdGF0dXNfbGlzdCI6eyJiaXRzIjoxfX0.c2ln",
  },
  putTrustedRoots: {
    token: EXAMPLE_ADMIN_TOKEN,
    request: { certificates: [EXAMPLE_ROOT_PEM] },
    response: {
      source: "configured-roots",
      kind: "configured",
      anchorCount: 1,
      importedAt: "2025-06-20T10:30:00.000Z",
    },
  },
  importRegistry: {
    token: EXAMPLE_ADMIN_TOKEN,
    request: {
      format: "deqar-json",
      scope: "example-file",
      document: {
        institutions: [
          {
            deqar_id: "DEQARINST9001",
            name_primary: "Shannon Valley University",
            countries: [{ country: { iso_3166_alpha2: "IE" } }],
          },
        ],
      },
    },
    response: {
      source: "file",
      format: "deqar-json",
      institutions: 1,
      reports: 0,
      agencies: 0,
      importedAt: "2025-06-20T10:35:00.000Z",
      warnings: [],
    },
  },
  importTrustedList: {
    params: { territory: "IE" },
    token: EXAMPLE_ADMIN_TOKEN,
    request: { xml: EXAMPLE_TRUSTED_LIST_XML },
    response: {
      source: "eu-tl:IE",
      kind: "tsl",
      territory: "IE",
      sequenceNumber: 42,
      issuedAt: "2025-06-01T00:00:00.000Z",
      nextUpdate: "2025-12-01T00:00:00.000Z",
      anchorCount: 1,
      importedAt: "2025-06-20T10:36:00.000Z",
      skipped: { notCaQc: 0, notGranted: 0, notForSeals: 0, unreadableCertificates: 0 },
    },
  },
  // Made by `createJob` with `{"from": "csv", "upload": true, "options": {...}}`; its answer's `upload` names the
  // pre-signed URL the CSV is PUT to before this call.
  startJob: { params: { id: UPLOAD_JOB_ID }, token: ISSUER_TOKEN, response: { id: UPLOAD_JOB_ID } },
  // With a Europass wallet configured (GATEWAY_WALLET_URL; `npm start` runs the wallet emulator): the ELM credential
  // `issueCredentialVcApi` sealed, deposited in the learner's wallet by e-mail address.
  createDelivery: {
    token: ISSUER_TOKEN,
    request: { credential: SEALED_ELM, recipient: { email: "learner@example.org" } },
    response: { id: DELIVERY_ID },
  },
  getDelivery: {
    params: { id: DELIVERY_ID },
    token: ISSUER_TOKEN,
    response: {
      id: DELIVERY_ID,
      status: "delivered",
      attempts: 1,
      lastError: null,
      credentialId: SEALED_ID,
      recipient: "email",
      createdAt: "2025-06-20T10:37:00.000Z",
      updatedAt: "2025-06-20T10:37:01.000Z",
    },
  },
  // The learner shares the delivered credential from the wallet: the share link's hash names it.
  importCredential: {
    request: {
      shareLink: `https://europa.eu/europass/digital-credentials/viewer/#/shareview/${SHARE_HASH}`,
      verify: true,
    },
    response: {
      source: { kind: "shareLink", shareHash: SHARE_HASH },
      credential: SEALED_ELM,
      verification: VERIFIED,
    },
  },
  // The access token `oid4vciToken` answered, and a key proof over the `c_nonce` of `oid4vciNonce`.
  oid4vciCredential: {
    params: { slug: SLUG },
    token: "at-Zk4pQ7rW2sXv9Ly1Mn3Bc6Df",
    request: { credential_configuration_id: "OpenBadgeCredential_ldp_vc", proofs: { jwt: [KEY_PROOF_JWT] } },
    response: {
      credentials: [
        {
          credential: {
            ...SIGNED_OB3,
            id: OFFERED_ID,
            credentialSubject: { ...SIGNED_OB3.credentialSubject, id: HOLDER_DID },
          },
        },
      ],
    },
  },
  // The wallet's answer to `createPresentationRequest`: its vp_token, and the `state` of the request object.
  postPresentationResponse: {
    params: { id: PRESENTATION_ID },
    request: { vp_token: VP_TOKEN, state: PRESENTATION_STATE },
    response: {},
  },
  // With a page verifier configured (GATEWAY_PAGE_VERIFIER, the issuer whose certificate signs the page's requests).
  createPageRequest: {
    request: { preset: "micro-credential" },
    response: {
      id: PAGE_REQUEST_ID,
      requestUri: `${EXAMPLE_BASE}/oid4vp/requests/${PAGE_REQUEST_ID}`,
      walletUrl: `openid4vp://?client_id=${encodeURIComponent("x509_hash:hMvKexampleCertificateHash0123456789abcdefgh")}&request_uri=${encodeURIComponent(`${EXAMPLE_BASE}/oid4vp/requests/${PAGE_REQUEST_ID}`)}`,
      expiresAt: "2025-06-20T10:45:00.000Z",
      clientId: "x509_hash:hMvKexampleCertificateHash0123456789abcdefgh",
      pollKey: POLL_KEY,
      qrSvg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 45 45">…</svg>',
    },
  },
  getPageRequestResult: {
    params: { id: PAGE_REQUEST_ID },
    request: { key: POLL_KEY },
    response: { id: PAGE_REQUEST_ID, status: "pending" },
  },
  // Last: it replaces the issuer's test certificate of its P-256 key by one a CA (here the example root) issued.
  putIssuerCertificate: {
    params: { id: SLUG },
    token: ISSUER_TOKEN,
    request: {
      chain: [
        "-----BEGIN CERTIFICATE-----\nMIIB…(the issuer's P-256 key, certified by the seal CA)…\n-----END CERTIFICATE-----\n",
        EXAMPLE_ROOT_PEM,
      ],
    },
    response: ISSUER,
  },
};
