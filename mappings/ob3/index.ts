/**
 * Open Badges 3.0: read (the credential, its JSON text, a VC-JWT, or a baked badge image, read as the credential
 * baked into it), written, and its contexts served by the loader: the published OB 3.0 ones, the ELM extension's
 * legacy URNs, and the extension under the deployment's configured URL.
 */
import type { FormatModule } from "../format-module.js";
import { looksLikeBakedImage, unbakeForReader } from "./baked.js";
import { OB3_CONTEXTS, ob3ElmExtensionContexts } from "./contexts.js";
import { readOb3 } from "./read.js";
import { looksLikeOb3 } from "./sniff.js";
import { writeOb3 } from "./write.js";

/** Whether `input` is a baked badge image (data URL or base64 PNG/SVG) with an OB 3.0 credential baked into it. */
export function looksLikeBakedOb3(input: unknown): boolean {
  return typeof input === "string" && looksLikeBakedImage(input) && looksLikeOb3(unbakeForReader(input));
}

export const ob3: FormatModule = {
  id: "ob3",
  sniff: (input) => looksLikeBakedOb3(input) || looksLikeOb3(input),
  read: (input, _options, limits) =>
    readOb3(unbakeForReader(input), limits?.ob3ElmContextUrl ? { extensionContextUrl: limits.ob3ElmContextUrl } : {}),
  write: (credential, options, at) => writeOb3(credential, { ...options, now: at.now }),
  contexts: ({ ob3ElmContextUrl }) =>
    ob3ElmContextUrl === undefined
      ? OB3_CONTEXTS
      : new Map([...OB3_CONTEXTS, ...ob3ElmExtensionContexts(ob3ElmContextUrl)]),
};
