import { type ChildProcess, spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROUTES } from "../../functions/http/contract.js";
import { corpusJson } from "../support/corpus.js";
import { type Envelope, protectedHeaderOf, verifiesWithNode } from "../support/jades.js";
import { unsignedOb3Credential } from "../support/ob3.js";

// `npm start` as a user runs it: a separate process with its embedded dynalite on disk and a file key store.
const dataDir = mkdtempSync(join(tmpdir(), "gw-local-"));
const children: ChildProcess[] = [];
// A data dir no test started a gateway in before: what a fresh clone's first `npm start` finds.
const freshDir = mkdtempSync(join(tmpdir(), "gw-fresh-"));

afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(freshDir, { recursive: true, force: true });
});

interface Started {
  url: string;
  /** Everything printed so far. */
  readonly output: string;
  stop(): Promise<number | null>;
}

function startServer(env: Record<string, string>): Promise<Started> {
  // As a user's shell has it: without the SDK switch vitest.config.ts sets for the test processes.
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  delete inherited.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  const child = spawn(process.execPath, ["--import", "tsx", "functions/local/server.ts"], {
    // The embedded defaults (wallet emulator, local bridge issuer) are off unless a test turns them on.
    env: {
      ...inherited,
      PORT: "0",
      GATEWAY_DATA_DIR: dataDir,
      POWERTOOLS_LOG_LEVEL: "SILENT",
      GATEWAY_LOCAL_DEFAULTS: "off",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        const url = m[1];
        resolve({
          url,
          get output() {
            return output;
          },
          stop: () =>
            new Promise((done) => {
              child.once("exit", (code) => done(code));
              child.kill("SIGTERM");
            }),
        });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

describe("npm start (the local gateway process)", () => {
  it("keeps a generated admin token in the data dir (0600) across restarts and prints where, never the token", async () => {
    const first = await startServer({ GATEWAY_ADMIN_TOKEN: "" });
    const file = join(dataDir, "admin-token");
    const token = readFileSync(file, "utf8").trim();
    const register = (url: string, name: string) =>
      fetch(`${url}/v1/issuers`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ name, country: "IE" }),
      });

    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.output).toMatch(
      new RegExp(`^ {2}admin token +${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(mode 600`, "m"),
    );
    expect(first.output).not.toContain(token);
    expect((await register(first.url, "Generated Token College")).status).toBe(201);
    expect(await first.stop()).toBe(0);

    const second = await startServer({ GATEWAY_ADMIN_TOKEN: "" });
    expect(readFileSync(file, "utf8").trim()).toBe(token);
    expect((await register(second.url, "Second Start College")).status).toBe(201);
    expect(await second.stop()).toBe(0);
  });

  it("prints the URL of each page the contract serves (each answers 200), and no AWS SDK warning", async () => {
    const s = await startServer({ GATEWAY_ADMIN_TOKEN: "local-admin" });
    await new Promise((r) => setTimeout(r, 200));
    const printed = [...s.output.matchAll(/^ {2}(verifier page|API reference|console|OpenAPI) +(http\S+)$/gm)];
    const served = new Set(ROUTES.filter((r) => r.method === "GET").map((r) => r.path));

    // The verifier page and the OpenAPI document always; /docs and /console when the contract has them.
    expect(printed.map((m) => m[1])).toEqual(
      expect.arrayContaining(["verifier page", "OpenAPI", ...(served.has("/docs") ? ["API reference"] : [])]),
    );
    expect(printed.some((m) => m[2] === `${s.url}/openapi.json`)).toBe(true);
    for (const [, , url] of printed) expect((await fetch(url ?? "")).status, url).toBe(200);
    expect(s.output).toMatch(/^ {2}admin token +from GATEWAY_ADMIN_TOKEN$/m);
    // @aws-sdk/core's NodeVersionSupportWarning (9 lines on Node 20), or any other process warning.
    expect(s.output).not.toMatch(/Warning|node --trace-warnings/);
    expect(await s.stop()).toBe(0);
  });

  it("announces OpenID4VCI, the wallet and the bridge issuer, or what turns each on", async () => {
    const off = await startServer({ GATEWAY_ADMIN_TOKEN: "local-admin" });
    await new Promise((r) => setTimeout(r, 200));
    expect(off.output).toMatch(/^ {2}wallet +none: .*GATEWAY_WALLET_URL=/m);
    expect(off.output).toMatch(/^ {2}bridge issuer +none: .*GATEWAY_BRIDGE_ISSUER=/m);
    // The announced metadata URL is where OpenID4VCI 1.0 §12.2.2 puts it: /.well-known/openid-credential-issuer
    // inserted before the path of the Credential Issuer Identifier the metadata names.
    const announced = /^ {2}OpenID4VCI +each registered issuer: (\S+)/m.exec(off.output)?.[1] ?? "";
    const registered = await fetch(`${off.url}/v1/issuers`, {
      method: "POST",
      headers: { authorization: "Bearer local-admin", "content-type": "application/json" },
      body: JSON.stringify({ name: "Banner College", country: "IE", slug: "banner-college" }),
    });
    expect(registered.status).toBe(201);
    const metadata = await fetch(announced.replace("{slug}", "banner-college"));
    expect(metadata.status, announced).toBe(200);
    const issuer = new URL(((await metadata.json()) as { credential_issuer: string }).credential_issuer);
    expect(announced.replace("{slug}", "banner-college")).toBe(
      `${issuer.origin}/.well-known/openid-credential-issuer${issuer.pathname}`,
    );
    expect(await off.stop()).toBe(0);

    const on = await startServer({
      GATEWAY_ADMIN_TOKEN: "local-admin",
      GATEWAY_WALLET_URL: "http://127.0.0.1:9",
      GATEWAY_WALLET_ALLOW_LOOPBACK: "on",
      GATEWAY_BRIDGE_ISSUER: "banner-college",
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(on.output).toMatch(/^ {2}wallet +http:\/\/127\.0\.0\.1:9 /m);
    expect(on.output).toMatch(/^ {2}bridge issuer +banner-college /m);
    expect(await on.stop()).toBe(0);
  });

  it("logs one human line per request when asked (a terminal's default), JSON lines when piped", async () => {
    const pretty = await startServer({
      GATEWAY_ADMIN_TOKEN: "local-admin",
      GATEWAY_LOG_FORMAT: "pretty",
      POWERTOOLS_LOG_LEVEL: "INFO",
    });
    await fetch(`${pretty.url}/health`);
    await new Promise((r) => setTimeout(r, 300));
    expect(pretty.output).toMatch(/^\d{2}:\d{2}:\d{2} GET \/health 200 \d+ ms$/m);
    expect(pretty.output).not.toContain('"routeKey"');
    expect(await pretty.stop()).toBe(0);

    const piped = await startServer({ GATEWAY_ADMIN_TOKEN: "local-admin", POWERTOOLS_LOG_LEVEL: "INFO" });
    await fetch(`${piped.url}/health`);
    await new Promise((r) => setTimeout(r, 300));
    const line = piped.output.split("\n").find((l) => l.includes('"routeKey":"GET /health"'));
    expect(JSON.parse(line ?? "null")).toMatchObject({ message: "request", routeKey: "GET /health", status: 200 });
    expect(await piped.stop()).toBe(0);
  });

  it("serves health, registers an issuer, publishes its did:web, and keeps it across a restart", async () => {
    const env = { GATEWAY_ADMIN_TOKEN: "local-admin", GATEWAY_PUBLIC_URL: "https://gw.example.org" };
    const first = await startServer(env);
    expect(((await (await fetch(`${first.url}/health`)).json()) as { status: string }).status).toBe("ok");
    const created = await fetch(`${first.url}/v1/issuers`, {
      method: "POST",
      headers: { authorization: "Bearer local-admin", "content-type": "application/json" },
      body: JSON.stringify({ name: "University of Zed", country: "IE", slug: "uni-zed" }),
    });
    expect(created.status).toBe(201);
    const { id, token } = (await created.json()) as { id: string; token: string };
    const before = (await (await fetch(`${first.url}/issuers/uni-zed/did.json`)).json()) as { id: string };
    expect(id).toBe("did:web:gw.example.org:issuers:uni-zed");
    expect(before.id).toBe(id);
    expect(await first.stop()).toBe(0);

    const second = await startServer(env);
    const after = await (await fetch(`${second.url}/issuers/uni-zed/did.json`)).json();
    const own = await fetch(`${second.url}/v1/issuers/uni-zed`, { headers: { authorization: `Bearer ${token}` } });

    expect(after).toEqual(before);
    expect(own.status).toBe(200);
    expect(await second.stop()).toBe(0);
  });
});

describe("npm start on a fresh data dir: the embedded defaults", () => {
  const call = async (url: string, method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
  };

  it("makes a local bridge issuer with a test certificate and starts the wallet emulator, each announced", async () => {
    const env = { GATEWAY_DATA_DIR: freshDir, GATEWAY_ADMIN_TOKEN: "local-admin", GATEWAY_LOCAL_DEFAULTS: "on" };
    const gw = await startServer(env);
    const wallet = /^ {2}wallet +(http:\/\/127\.0\.0\.1:\d+) \(the embedded Europass wallet emulator/m.exec(gw.output);
    expect(wallet, gw.output).not.toBeNull();
    expect(gw.output).toMatch(/^ {2}bridge issuer +local-bridge \(local test issuer with a test certificate/m);

    // Attested conversion: a university's OB 3.0 credential, sealed as ELM by the bridge.
    const uni = await call(gw.url, "POST", "/v1/issuers", "local-admin", {
      name: "University of Zed",
      country: "IE",
      legalIdentifier: "IE-12345",
    });
    expect(uni.status, uni.text).toBe(201);
    const address = { type: ["Address"], addressCountry: "Ireland", addressCountryCode: "IE", addressLocality: "Cork" };
    const issued = await call(gw.url, "POST", "/v1/credentials/issue", uni.json.token, {
      credential: unsignedOb3Credential({ issuer: { type: ["Profile"], name: "University of Zed", address } }),
      options: { issuer: uni.json.id },
    });
    expect(issued.status, issued.text.slice(0, 300)).toBe(201);
    const attested = await call(gw.url, "POST", "/v1/convert", uni.json.token, {
      to: "elm",
      document: issued.json.verifiableCredential,
      attest: true,
    });
    expect(attested.status, attested.text.slice(0, 500)).toBe(200);
    expect(attested.json.attestation).toMatchObject({ issuer: "local-bridge", proof: "jades" });
    const envelope = attested.json.results[0].document as Envelope;
    // node:crypto (OpenSSL) checks the seal with the certificate the JAdES header carries, and reads whose it is.
    expect(verifiesWithNode(envelope)).toBe(true);
    const certificate = new X509Certificate(Buffer.from(protectedHeaderOf(envelope, 0).x5c[0] ?? "", "base64"));
    expect(certificate.subject).toMatch(/Local bridge issuer/);

    // A delivery by e-mail to the emulated Europass wallet, which takes only a credential whose seal verifies.
    const sealed = await call(gw.url, "POST", "/v1/credentials/issue", uni.json.token, {
      credential: {
        ...corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld"),
        id: `urn:credential:${crypto.randomUUID()}`,
      },
      options: { issuer: uni.json.id, format: "elm" },
    });
    expect(sealed.status, sealed.text.slice(0, 300)).toBe(201);
    const delivery = await call(gw.url, "POST", "/v1/deliveries", uni.json.token, {
      credential: sealed.json.verifiableCredential,
      recipient: { email: "learner@example.org" },
    });
    expect(delivery.status, delivery.text).toBe(202);
    let state = "pending";
    for (let i = 0; i < 100 && state === "pending"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = (await call(gw.url, "GET", `/v1/deliveries/${delivery.json.id}`, uni.json.token)).json.status;
    }
    expect(state).toBe("delivered");
    expect(await gw.stop()).toBe(0);

    // The next start keeps the bridge it made (same data dir), and a setting naming another one wins.
    const again = await startServer(env);
    expect(again.output).toMatch(/^ {2}bridge issuer +local-bridge /m);
    expect(await again.stop()).toBe(0);
    const named = await startServer({ ...env, GATEWAY_BRIDGE_ISSUER: uni.json.slug });
    expect(named.output).toMatch(new RegExp(`^ {2}bridge issuer +${uni.json.slug} \\(signs`, "m"));
    expect(await named.stop()).toBe(0);
  }, 120_000);
});
