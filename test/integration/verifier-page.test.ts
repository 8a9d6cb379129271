import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDynalite } from "../support/dynalite.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

// The verifier page over HTTP: a static, self-contained HTML document whose strict CSP allows exactly its own inline
// script and style.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

const hashOf = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/** The text of every `<tag>…</tag>` element of the page. */
const inline = (html: string, tag: string) =>
  [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => m[1] ?? "");

/** The CSP as a map of directive → sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

describe("GET / (the verifier page)", () => {
  it("serves an HTML page with a label for the credential box, a live result region and no external resource", async () => {
    const res = await gw.call("GET", "/");

    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.text).toMatch(/^<!doctype html>/);
    expect(res.text).toMatch(/<label for="credential"[ >]/);
    expect(res.text).toMatch(/<section id="result" aria-live="polite"/);
    expect(res.text).toContain('fetch("/v1/credentials/verify"');
    // Nothing is loaded from anywhere: the only link is the wallet link, a fragment until a request makes it.
    expect(res.text).not.toMatch(/\b(src|href)="(?!#")/);
    expect(res.text).not.toMatch(/https?:\/\//);
    expect(res.text).not.toContain("innerHTML");
  });

  it("sends a strict Content-Security-Policy whose hashes are those of the inline script and style", async () => {
    const res = await gw.call("GET", "/");
    const csp = directives(res.headers.get("content-security-policy") ?? "");
    const scripts = inline(res.text, "script");
    const styles = inline(res.text, "style");

    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    expect(csp.get("default-src")).toEqual(["'none'"]);
    expect(csp.get("script-src")).toEqual(["'self'", hashOf(scripts[0] as string)]);
    expect(csp.get("style-src")).toEqual(["'self'", hashOf(styles[0] as string)]);
    expect(csp.get("connect-src")).toEqual(["'self'"]);
    expect(csp.get("img-src")).toEqual(["data:"]);
    expect(csp.get("form-action")).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    expect(res.text).not.toMatch(/ style=|\son[a-z]+=/);
  });

  it("is listed in the OpenAPI document as built, not planned", async () => {
    const res = await gw.call("GET", "/openapi.json");

    expect(res.json.paths["/"].get["x-planned-in"]).toBeUndefined();
    expect(Object.keys(res.json.paths["/"].get.responses["200"].content)).toEqual(["text/html"]);
  });
});
