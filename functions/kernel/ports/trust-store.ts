/** Configured trusted issuers, trust anchors and imported trusted lists. */
/** A configured trusted issuer: any one of its identifiers matches (trust registry). */
export interface TrustedIssuerRecord {
  /** The issuer's DID or URL, as credentials name it. */
  id?: string;
  /** One verification method (key id) trusted on its own. */
  verificationMethod?: string;
  /** RFC 7638 JWK thumbprint (base64url SHA-256) of a trusted key. */
  jwkThumbprint?: string;
  /** A label for reports. */
  name?: string;
}

/** One trust anchor certificate, from an imported trusted list or configured by the admin. */
export interface TrustAnchorRecord {
  /** Standard base64 DER. */
  certificate: string;
  /** Hex SHA-256 of the subject Name DER: anchors are looked up by the name a certificate says issued it. */
  subjectKey: string;
  subject: string;
  /** The list it came from: `eu-tl:{territory}` or `configured`. */
  source: string;
  tspName?: string;
  serviceName?: string;
}

/** An imported list of anchors (a national trusted list, the LOTL, or the admin's configured roots). */
export interface TrustListRecord {
  /** `eu-tl:{territory}` (`eu-tl:EU` is the LOTL) or `configured`. */
  source: string;
  kind: "lotl" | "tsl" | "configured";
  territory?: string;
  sequenceNumber?: number;
  issuedAt?: string;
  nextUpdate?: string;
  importedAt: string;
  anchorCount: number;
  /** LOTL only: the national lists it points to. */
  pointers?: { territory: string; location: string }[];
}

/** The trust registry's storage (same DynamoDB table). */
export interface TrustStore {
  /** Replaces the configured trusted issuers. */
  putTrustedIssuers(entries: TrustedIssuerRecord[]): Promise<void>;
  getTrustedIssuers(): Promise<TrustedIssuerRecord[]>;
  /** Replaces one list and its anchors; readers see the old or the new anchors, never a mix of both. */
  replaceTrustList(list: TrustListRecord, anchors: TrustAnchorRecord[]): Promise<void>;
  /** Every imported list, by source. */
  listTrustLists(): Promise<TrustListRecord[]>;
  /** The current anchors whose subject name hashes to `subjectKey`. */
  findTrustAnchors(subjectKey: string): Promise<TrustAnchorRecord[]>;
}
