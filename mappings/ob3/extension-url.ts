/**
 * The URL rules of the OB 3.0 ELM extension context, without the context documents: configuration reads and checks
 * the URL at a function's init, and announces it here; the JSON-LD loader's registration (mappings/ob3/contexts.ts,
 * which carries the pinned contexts) takes it when that module is first loaded, so a function that never processes
 * JSON-LD does not load the contexts at init.
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

const announced: string[] = [];
let registrar: ((url: string) => void) | undefined;

/** Configuration's extension context URL: registered with the loader now if it is loaded, else when it loads. */
export function announceOb3ElmContextUrl(url: string): void {
  if (registrar) registrar(url);
  else announced.push(url);
}

/** Called once by the loader's registration module: takes every URL announced so far and the ones to come. */
export function takeOb3ElmContextUrls(register: (url: string) => void): void {
  registrar = register;
  for (const url of announced.splice(0)) register(url);
}
