import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { VERIFIER_PAGE_CSP, VERIFIER_PAGE_HTML } from "../../../../functions/http/verifier-page.js";

// The page's script and stylesheet are inline, allowed by their hashes: a syntax error in the script (it is a string,
// so the compiler never sees it) or a hash of other bytes than those served leaves a page that does nothing.
const between = (html: string, tag: string): string => {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html);
  if (!match?.[1]) throw new Error(`no <${tag}> in the page`);
  return match[1];
};
const hash = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

describe("the verifier page's inline script and style", () => {
  it("the script parses as JavaScript", () => {
    expect(() => new Function(between(VERIFIER_PAGE_HTML, "script"))).not.toThrow();
  });

  it("the CSP names the SHA-256 of exactly the served script and style", () => {
    const directive = (name: string) => VERIFIER_PAGE_CSP.split("; ").find((d) => d.startsWith(`${name} `)) ?? "";
    expect(directive("script-src")).toContain(hash(between(VERIFIER_PAGE_HTML, "script")));
    expect(directive("style-src")).toContain(hash(between(VERIFIER_PAGE_HTML, "style")));
    expect(VERIFIER_PAGE_CSP).not.toMatch(/unsafe-inline|unsafe-eval/);
  });
});
