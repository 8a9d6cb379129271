/** Ids and secrets, injected so that use cases and writers can be given fixed ones. */
export interface IdGenerator {
  /** A new unique, URL-safe id. */
  newId(): string;
  /** `bytes` of cryptographically secure randomness, base64url encoded. */
  secret(bytes?: number): string;
}
