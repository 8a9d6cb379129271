/** A context document as a JSON-LD document loader answers it (jsonld's `RemoteDocument`). */
export interface LoadedContext {
  /** A context linked by an HTTP `Link` header; always `null` for pinned documents. */
  contextUrl: string | null;
  documentUrl: string;
  /** The parsed JSON (for a context, an object with an `@context` member). */
  document: unknown;
}

/**
 * The JSON-LD contexts the proofs may process, handed to them by the caller (as digitalbazaar/vc takes a
 * `documentLoader`): the proofs never choose where a context comes from, so they cannot reach the network, and a test
 * can give them other contexts. The loader answers pinned documents and rejects every other URL; `isPinned` lets a
 * document naming any other context be refused before JSON-LD processing starts.
 */
export interface JsonLdContexts {
  /** A jsonld `documentLoader`. */
  readonly documentLoader: (url: string) => Promise<LoadedContext>;
  isPinned(url: string): boolean;
}
