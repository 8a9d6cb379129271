/** Outbound HTTP, off by default and pinned when on: the only way the gateway reaches other hosts. */
/** Limits of one outbound request. */
export interface OutboundRequestOptions {
  /** Whole-request budget (DNS, connect, response). */
  timeoutMs?: number;
  /** Largest response body accepted. */
  maxBytes?: number;
}

/**
 * Outbound HTTP for what verification may need from the web (did:web documents, key documents, later status lists).
 * Implementations refuse private, loopback and link-local destinations and bound time and size. Off by default
 * (`GATEWAY_OUTBOUND_HTTP`): when the gateway has none, use cases say so instead of fetching.
 */
export interface OutboundHttp {
  /** GETs `url` and parses the body as JSON; throws an Error saying why it refused or failed. */
  fetchJson(url: string, options?: OutboundRequestOptions): Promise<unknown>;
}

/** One outbound HTTP exchange (any method), for the Europass wallet client. */
export interface OutboundRequest {
  method: "GET" | "POST";
  url: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
}

/** The answer to an {@link OutboundRequest}, whatever its status (the caller decides what a status means). */
export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Outbound HTTP exchanges through the same guard as {@link OutboundHttp} (no private destinations, bounded time and
 * size, no redirects). Throws an Error whose `name` is `OutboundRefused` when the guard refuses the destination, and
 * another Error (timeout, connection failure, oversized answer) when the exchange fails; error messages never carry
 * the URL (wallet URLs hold learners' e-mail addresses).
 */
export interface OutboundRequester {
  request(request: OutboundRequest, options?: OutboundRequestOptions): Promise<OutboundResponse>;
}
