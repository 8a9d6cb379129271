/**
 * The URL rules of the OB 3.0 ELM extension context, without the context documents: configuration reads and checks
 * the URL at a function's init with these, so a function that never processes JSON-LD does not load the contexts at
 * init. The use cases hand the configured URL to the OB 3.0 format's contexts (`mappings/ob3/contexts.ts`) when they
 * build their document loader.
 */

/** Where the gateway serves the extension context (`GET`), relative to its public URL: the default context URL. */
export const OB3_ELM_CONTEXT_PATH = "/contexts/ob3-elm/v1.json";

/** The default URL of the extension context for a gateway at `publicUrl`. */
export function defaultOb3ElmContextUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, "")}${OB3_ELM_CONTEXT_PATH}`;
}

/**
 * Whether `url` may name the extension context in a credential: an absolute `https:` URL (or `http:`, for a gateway
 * on a loopback or private address, whose public URL is `http:`), without fragment, query or credentials. Never a
 * URN: a processor other than the gateway cannot dereference one.
 */
export function isPublishableContextUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const u = new URL(url);
  return (
    (u.protocol === "https:" || u.protocol === "http:") &&
    u.hash === "" &&
    u.search === "" &&
    u.username === "" &&
    u.password === "" &&
    u.pathname.length > 1
  );
}
