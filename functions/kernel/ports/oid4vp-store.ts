/** OpenID4VP presentation requests of the gateway's verifier, until answered or expired. */

/** One presentation request: what was asked, of whom, and the answer once a wallet sent it (once). */
export interface PresentationRequestRecord {
  /** 128-bit random id, in the request and response URLs. */
  id: string;
  /** The issuer (slug) whose key signs the request object: the verifier's identity. */
  verifierSlug: string;
  /** The full prefixed client identifier (`x509_hash:…` or `decentralized_identifier:…`): the KB-JWT audience. */
  clientId: string;
  nonce: string;
  state: string;
  /** The DCQL query (JSON). */
  query: Record<string, unknown>;
  purpose?: string;
  /**
   * Hex SHA-256 of the key a public asker (the verifier page) reads the answer with. Set only on the page's
   * requests: the request id is in the QR code anyone near the screen can read, the key never leaves the page.
   */
  pollKeySha256?: string;
  /**
   * `direct_post.jwt`: the private JWK (P-256, ECDH-ES) of the key the wallet encrypts its response to, made for this
   * request alone and kept only as long as the request (its public half is in the request object).
   */
  responseKey?: Record<string, unknown>;
  /** The signed request object, served at the request URI. */
  requestObject: string;
  createdAt: string;
  /** After this the request is expired: its object is not served and no response is taken. */
  expiresAt: string;
  /** Set once, when a wallet's response was taken. */
  receivedAt?: string;
  /** What verifying the response found (JSON). */
  result?: Record<string, unknown>;
}

export interface Oid4vpStore {
  /** Stores a new request; `conflict` when the id is taken. */
  putPresentationRequest(request: PresentationRequestRecord): Promise<void>;
  getPresentationRequest(id: string): Promise<PresentationRequestRecord | undefined>;
  /**
   * Records the response of a request, atomically and once: true when this call did; false when a response was
   * taken before (a replay) or the request expired at `now`.
   */
  completePresentationRequest(id: string, result: Record<string, unknown>, now: Date): Promise<boolean>;
}
