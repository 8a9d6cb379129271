/** The Content-Security-Policy and headers of the gateway's own HTML pages (the verifier page, the console). */
import { createHash } from "node:crypto";

const sha256 = (text: string): string => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/**
 * A page's policy: nothing but its own inline script and style (by hash), fetches to the gateway, data: images
 * (an EDC display image, an OB 3.0 image, a QR code), no forms, frames or base URL.
 */
export function inlinePageCsp(script: string, style: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' ${sha256(script)}`,
    `style-src 'self' ${sha256(style)}`,
    "connect-src 'self'",
    "img-src data:",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}

/** The headers a page is served with beside its policy. */
export const PAGE_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cache-control": "public, max-age=300",
} as const;
