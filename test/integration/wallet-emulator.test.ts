import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWalletEmulator, type WalletEmulator } from "../../functions/local/wallet-emulator.js";
import { type ElmSealer, makeElmSealer } from "../support/sealed-elm.js";

// The Europass wallet emulator's own API, spoken to as the EDC wallet documents it (multipart deposits, owners'
// bearer tokens, public share links), independently of the gateway's wallet client.
let wallet: WalletEmulator;
let sealer: ElmSealer;

beforeAll(async () => {
  wallet = await startWalletEmulator({ seed: 1 });
  sealer = await makeElmSealer("elm/samples/credential-sample.jsonld");
});

afterAll(async () => {
  await wallet?.close();
  sealer?.close();
});

function multipart(file: string, part = "_credential"): FormData {
  const form = new FormData();
  form.append(part, new Blob([file], { type: "application/json" }), "credential.json");
  return form;
}

const deposit = (path: string, body: FormData | string, headers: Record<string, string> = {}) =>
  fetch(`${wallet.url}/api/v1/wallets/${path}/credentials`, { method: "POST", body, headers });

describe("the wallet emulator", () => {
  it("stores a sealed EDC deposited by e-mail in a temporary wallet, and answers 409 for its id a second time", async () => {
    const file = JSON.stringify(await sealer.seal());

    const first = await deposit("email/grace%40example.org", multipart(file));
    const second = await deposit("email/grace%40example.org", multipart(file));

    expect(first.status).toBe(201);
    expect(((await first.json()) as { walletId: string }).walletId).toMatch(/^Temp_/);
    expect(second.status).toBe(409);
    expect(wallet.stats().emailsSent).toBeGreaterThanOrEqual(1);
  });

  it.each([
    [
      "not multipart",
      () => deposit("email/a%40example.org", "{}", { "content-type": "application/json" }),
      /multipart/,
    ],
    [
      "without the _credential part",
      async () => deposit("email/a%40example.org", multipart("{}", "file")),
      /_credential/,
    ],
    [
      "an XML credential",
      async () => deposit("email/a%40example.org", multipart("<x/>", "_credentialXML")),
      /conversion/,
    ],
    [
      "an unsealed credential",
      async () =>
        deposit("email/a%40example.org", multipart(JSON.stringify({ id: "urn:x", type: ["VerifiableCredential"] }))),
      /not sealed/,
    ],
  ])("refuses a deposit %s with 400 and says why", async (_what, send, reason) => {
    const res = await send();

    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(reason);
  });

  it("refuses a seal whose payload was changed after sealing", async () => {
    const envelope = await sealer.seal();
    const payload = JSON.parse(envelope.payload);
    payload.validFrom = "2030-01-01T00:00:00Z";

    const res = await deposit(
      "email/a%40example.org",
      multipart(JSON.stringify({ ...envelope, payload: JSON.stringify(payload) })),
    );

    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/proof/);
  });

  it("answers 404 for a deposit to a wallet id it does not have", async () => {
    const res = await deposit("nobody", multipart(JSON.stringify(await sealer.seal())));

    expect(res.status).toBe(404);
  });

  it("lets only the owner read a wallet, and anyone read a share link until it expires", async () => {
    const { userId, token } = wallet.createWallet("owner-1");
    const file = JSON.stringify(await sealer.seal());
    const { uuid } = (await (await deposit(userId, multipart(file))).json()) as { uuid: string };
    const own = `${wallet.url}/api/v1/wallets/${userId}/credentials/${uuid}`;

    const anonymous = await fetch(own);
    const stranger = await fetch(own, { headers: { authorization: "Bearer nope" } });
    const owner = await fetch(own, { headers: { authorization: `Bearer ${token}` } });
    const link = await fetch(`${own}/sharelink`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ expirationDate: new Date(Date.now() + 60_000).toISOString() }),
    });
    const { shareHash } = (await link.json()) as { shareHash: string };
    const shared = await fetch(`${wallet.url}/api/v1/sharelinks/${shareHash}/credentials`);
    const expired = wallet.shareLink(uuid, new Date(Date.now() - 1));
    const gone = await fetch(`${wallet.url}/api/v1/sharelinks/${expired}/credentials`);

    expect(anonymous.status).toBe(401);
    expect(stranger.status).toBe(403);
    expect(await owner.text()).toBe(file);
    expect(shareHash).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(await shared.text()).toBe(file);
    expect(gone.status).toBe(404);
  });

  it("injects the scripted faults in order: a 503, then a request done but never answered", async () => {
    wallet.setFaults({ script: ["fail", "timeout"], hangMs: 200 });
    const file = JSON.stringify(await sealer.seal());
    const id = JSON.parse(JSON.parse(file).payload).id;

    const failed = await deposit("email/faults%40example.org", multipart(file));
    const lost = await deposit("email/faults%40example.org", multipart(file)).then(
      (r) => r.status,
      (e: Error) => e.name,
    );
    const retried = await deposit("email/faults%40example.org", multipart(file));
    wallet.setFaults({});

    expect(failed.status).toBe(503);
    expect(lost).toBe("TypeError");
    expect(retried.status).toBe(409);
    expect(wallet.held().filter((h) => h.credentialId === id)).toHaveLength(1);
  });
});
