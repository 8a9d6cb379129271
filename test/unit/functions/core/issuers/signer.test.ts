import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileKeyStore } from "../../../../../functions/adapters/local/file-keys.js";
import { issuerSigner } from "../../../../../functions/core/issuers/signer.js";
import { GatewayError } from "../../../../../functions/kernel/errors.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "issuer-signer-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A file key store with one P-256 key for each of two issuers. */
async function twoIssuersKeys() {
  const store = new FileKeyStore({ dir: await mkdtemp(join(dir, "case-")) });
  const keyOfA = await store.createKey("P-256", { issuerId: "uni-a" });
  const keyOfB = await store.createKey("P-256", { issuerId: "uni-b" });
  return { store, keyOfA, keyOfB };
}

describe("issuerSigner", () => {
  it("signs with the bound issuer's own key", async () => {
    // Prepare
    const { store, keyOfA } = await twoIssuersKeys();

    // Act
    const signature = await issuerSigner(store, "uni-a").sign(keyOfA.keyRef, "ES256", new Uint8Array([1, 2, 3]));

    // Assess
    expect(signature).toHaveLength(64);
  });

  it("makes the signer refuse another issuer's key as forbidden", async () => {
    // Prepare
    const { store, keyOfB } = await twoIssuersKeys();

    // Act
    const error = await issuerSigner(store, "uni-a")
      .sign(keyOfB.keyRef, "ES256", new Uint8Array([1]))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe("forbidden");
  });

  it("keeps its issuer even when a caller names another one", async () => {
    // Prepare
    const { store, keyOfB } = await twoIssuersKeys();
    const signer = issuerSigner(store, "uni-a");

    // Act
    const error = await signer
      .sign(keyOfB.keyRef, "ES256", new Uint8Array([1]), { issuerId: "uni-b" })
      .catch((e: unknown) => e);

    // Assess
    expect((error as GatewayError).code).toBe("forbidden");
  });
});
