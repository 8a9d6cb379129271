import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CONSOLE_PAGE_CSP, CONSOLE_PAGE_HTML } from "../../../../functions/http/console-page.js";
import { VERIFIER_PAGE_CSP, VERIFIER_PAGE_HTML } from "../../../../functions/http/verifier-page.js";

// The page's script and stylesheet are inline, allowed by their hashes: a syntax error in the script (it is a string,
// so the compiler never sees it) or a hash of other bytes than those served leaves a page that does nothing.
const between = (html: string, tag: string): string => {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html);
  if (!match?.[1]) throw new Error(`no <${tag}> in the page`);
  return match[1];
};
const hash = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

describe.each([
  ["verifier page", VERIFIER_PAGE_HTML, VERIFIER_PAGE_CSP],
  ["console", CONSOLE_PAGE_HTML, CONSOLE_PAGE_CSP],
])("the %s's inline script and style", (_name, html, csp) => {
  it("the script parses as JavaScript", () => {
    expect(() => new Function(between(html, "script"))).not.toThrow();
  });

  it("the CSP names the SHA-256 of exactly the served script and style", () => {
    const directive = (name: string) => csp.split("; ").find((d) => d.startsWith(`${name} `)) ?? "";
    expect(directive("script-src")).toContain(hash(between(html, "script")));
    expect(directive("style-src")).toContain(hash(between(html, "style")));
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  });
});
