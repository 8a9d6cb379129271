/**
 * Per-issuer signing sessions on moto's STS and KMS: the KMS signer assumes the signer role with the session tag
 * `edc-gateway:issuer=<owner>` and signs with the session's credentials; a key of another issuer is refused by the
 * port before STS or KMS is asked.
 *
 * moto does not enforce IAM: it neither checks the signer role's trust policy nor evaluates `aws:PrincipalTag` against
 * the key's tags, so what is proved here is what the gateway sends (the tag on the wire, the session's credentials on
 * the Sign request) and that the signature verifies. The IAM semantics are asserted on the synthesized template
 * (test/infra/security.test.ts).
 */

import { KMSClient } from "@aws-sdk/client-kms";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KmsKeyStore } from "../../functions/adapters/aws/kms-keys.js";
import { IssuerSessions, type SessionCredentials, sessionName } from "../../functions/adapters/aws/sts-sessions.js";
import { GatewayError } from "../../functions/kernel/errors.js";
import { emulatorClientConfig, type RunningMoto, startMoto } from "../support/moto.js";
import { joseCheck, jwsSigningInput } from "./key-store.contract.js";

const SIGNER_ROLE = "arn:aws:iam::123456789012:role/edc-gateway-signer";
const APP = "edc-gateway-test";

let moto: RunningMoto;
let kms: KMSClient;

beforeAll(async () => {
  moto = await startMoto();
  kms = new KMSClient(emulatorClientConfig(moto.endpoint));
});

afterAll(async () => {
  kms?.destroy();
  await moto?.stop();
});

/** An STS client on moto that records the body of every request it sends (the form-encoded Query protocol). */
function aRecordingSts(endpoint = moto.endpoint): { sts: STSClient; bodies: string[]; attempts: () => number } {
  const sts = new STSClient(emulatorClientConfig(endpoint));
  const bodies: string[] = [];
  let attempts = 0;
  sts.middlewareStack.add(
    (next) => async (args) => {
      attempts += 1;
      const request = args.request as { body?: unknown };
      if (typeof request.body === "string") bodies.push(request.body);
      return next(args);
    },
    { step: "finalizeRequest", name: "recordBody" },
  );
  return { sts, bodies, attempts: () => attempts };
}

/** A session-opened KMS client on moto that remembers its credentials and the commands sent through it. */
interface OpenedKms {
  client: KMSClient;
  credentials: SessionCredentials;
  commands: string[];
}

function openOnMoto(credentials: SessionCredentials): OpenedKms {
  const client = new KMSClient({ ...emulatorClientConfig(moto.endpoint), credentials });
  const opened: OpenedKms = { client, credentials, commands: [] };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      opened.commands.push(String(context.commandName));
      return next(args);
    },
    { step: "initialize", name: "recordCommand" },
  );
  return opened;
}

/** A signer with per-issuer sessions of {@link SIGNER_ROLE} on moto, and what it opened. */
function aSessionSigner(options: { now?: () => number; cacheLimit?: number; endpoint?: string } = {}) {
  const recording = aRecordingSts(options.endpoint);
  const opened: OpenedKms[] = [];
  const closed: OpenedKms[] = [];
  const sessions = new IssuerSessions<OpenedKms>({
    client: recording.sts,
    roleArn: SIGNER_ROLE,
    open: (credentials) => {
      const session = openOnMoto(credentials);
      opened.push(session);
      return session;
    },
    close: (session) => {
      closed.push(session);
      session.client.destroy();
    },
    ...(options.now ? { now: options.now } : {}),
    ...(options.cacheLimit ? { cacheLimit: options.cacheLimit } : {}),
  });
  const store = new KmsKeyStore({
    client: kms,
    appName: APP,
    keyTypes: ["P-256", "RSA-2048"],
    signerSessions: { for: async (issuerId) => (await sessions.for(issuerId)).client },
  });
  return { store, sessions, opened, closed, ...recording };
}

const assumeRoleBodies = (bodies: string[]) => bodies.filter((b) => b.includes("Action=AssumeRole"));

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe("KmsKeyStore with per-issuer signer sessions on moto", () => {
  it("signs in a session of the signer role tagged with the key's issuer, and the signature verifies", async () => {
    // Prepare
    const { store, bodies, opened } = aSessionSigner();
    const key = await store.createKey("P-256", { issuerId: "uni-a" });
    const input = jwsSigningInput("ES256", new TextEncoder().encode('{"iss":"uni-a"}'));

    // Act
    const signature = await store.sign(key.keyRef, "ES256", input, { issuerId: "uni-a" });

    // Assess
    expect(await joseCheck("ES256", key.publicJwk, input, signature)).toBe(true);
    const [assume, ...more] = assumeRoleBodies(bodies);
    expect(more).toEqual([]);
    const form = new URLSearchParams(assume);
    expect(form.get("RoleArn")).toBe(SIGNER_ROLE);
    expect(form.get("RoleSessionName")).toBe("sign-uni-a");
    expect(form.get("DurationSeconds")).toBe("900");
    expect(form.get("Tags.member.1.Key")).toBe("edc-gateway:issuer");
    expect(form.get("Tags.member.1.Value")).toBe("uni-a");
    expect(form.get("Tags.member.2.Key")).toBeNull();
    expect([...form.keys()].filter((k) => k.startsWith("TransitiveTagKeys"))).toEqual([]);
    // The Sign request went through the session's client, whose credentials are the assumed role's.
    expect(opened).toHaveLength(1);
    expect(opened[0]?.commands).toEqual(["SignCommand"]);
    const caller = new STSClient({ ...emulatorClientConfig(moto.endpoint), credentials: opened[0]?.credentials });
    const identity = await caller.send(new GetCallerIdentityCommand({}));
    caller.destroy();
    expect(identity.Arn).toMatch(/:assumed-role\/edc-gateway-signer\/sign-uni-a$/);
  });

  it("refuses issuer B's key in issuer A's session before STS or KMS is asked", async () => {
    // Prepare
    const { store, bodies, opened } = aSessionSigner();
    const keyOfB = await store.createKey("P-256", { issuerId: "uni-b" });

    // Act
    const error = await rejection(store.sign(keyOfB.keyRef, "ES256", new Uint8Array(8), { issuerId: "uni-a" }));

    // Assess
    expect(error.code).toBe("forbidden");
    expect(assumeRoleBodies(bodies)).toEqual([]);
    expect(opened).toEqual([]);
  });

  it("without a named issuer, signs in the session of the key's owner tag", async () => {
    // Prepare
    const { store, bodies } = aSessionSigner();
    const key = await store.createKey("RSA-2048", { issuerId: "uni-c" });
    const input = jwsSigningInput("RS256", new TextEncoder().encode("{}"));

    // Act
    const signature = await store.sign(key.keyRef, "RS256", input);

    // Assess
    expect(await joseCheck("RS256", key.publicJwk, input, signature)).toBe(true);
    const tags = assumeRoleBodies(bodies).map((b) => new URLSearchParams(b).get("Tags.member.1.Value"));
    expect(tags).toEqual(["uni-c"]);
  });

  it("refuses a key that does not carry this app's tags as forbidden", async () => {
    // Prepare
    const { store } = aSessionSigner();
    const foreign = new KmsKeyStore({ client: kms, appName: "another-app", keyTypes: ["P-256"] });
    const key = await foreign.createKey("P-256", { issuerId: "uni-a" });

    // Act
    const error = await rejection(store.sign(key.keyRef, "ES256", new Uint8Array(8), { issuerId: "uni-a" }));

    // Assess
    expect(error.code).toBe("forbidden");
  });
});

describe("IssuerSessions on moto STS", () => {
  it("reuses one session per issuer and opens another for another issuer", async () => {
    // Prepare
    const { sessions, bodies } = aSessionSigner();

    // Act
    const [a1, a2, a3] = await Promise.all([sessions.for("uni-a"), sessions.for("uni-a"), sessions.for("uni-a")]);
    const b = await sessions.for("uni-b");
    const a4 = await sessions.for("uni-a");

    // Assess
    expect(a2).toBe(a1);
    expect(a3).toBe(a1);
    expect(a4).toBe(a1);
    expect(b).not.toBe(a1);
    const tags = assumeRoleBodies(bodies).map((body) => new URLSearchParams(body).get("Tags.member.1.Value"));
    expect(tags).toEqual(["uni-a", "uni-b"]);
  });

  it("renews a session shortly before it expires, and closes the old one", async () => {
    // Prepare
    let now = Date.now();
    const { sessions, bodies, closed } = aSessionSigner({ now: () => now });
    const first = await sessions.for("uni-a");

    // Act
    now += (900 - 180) * 1000;
    const stillFirst = await sessions.for("uni-a");
    now += 90 * 1000; // 90 s before expiry: inside the two-minute margin
    const renewed = await sessions.for("uni-a");

    // Assess
    expect(stillFirst).toBe(first);
    expect(renewed).not.toBe(first);
    expect(assumeRoleBodies(bodies)).toHaveLength(2);
    expect(closed).toEqual([first]);
  });

  it("keeps at most the configured number of issuers' sessions, dropping the least recently used", async () => {
    // Prepare
    const { sessions, closed, bodies } = aSessionSigner({ cacheLimit: 2 });
    await sessions.for("uni-a");
    const b = await sessions.for("uni-b");
    await sessions.for("uni-a");

    // Act
    await sessions.for("uni-c");

    // Assess
    expect(sessions.issuers()).toEqual(["uni-a", "uni-c"]);
    expect(closed).toEqual([b]);
    expect(assumeRoleBodies(bodies)).toHaveLength(3);
  });

  it("reports STS failing as upstream-failed and does not keep the failure", async () => {
    // Prepare: nothing listens on port 9 of the loopback (discard service, not run).
    const { sessions, attempts } = aSessionSigner({ endpoint: "http://127.0.0.1:9" });

    // Act
    const first = await rejection(sessions.for("uni-a"));
    const second = await rejection(sessions.for("uni-a"));

    // Assess
    expect(first.code).toBe("upstream-failed");
    expect(second.code).toBe("upstream-failed");
    expect(attempts()).toBe(2);
    expect(sessions.issuers()).toEqual([]);
  });

  it("names sessions after the issuer within STS's limits", () => {
    // Act
    const long = sessionName("x".repeat(100));
    const odd = sessionName("uni a/ü");

    // Assess
    expect(sessionName("uni-a")).toBe("sign-uni-a");
    expect(long).toHaveLength(64);
    expect(odd).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});
