import { GetKeyPolicyCommand, KMSClient } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KmsKeyStore } from "../../functions/adapters/aws/kms-keys.js";
import { emulatorClientConfig, type RunningMoto, startMoto } from "../support/moto.js";

// The key policy the CDK stack hands the issuers function (GATEWAY_KMS_KEY_POLICY) is the one keys get, on moto's KMS.

let moto: RunningMoto;
let client: KMSClient;

beforeAll(async () => {
  moto = await startMoto();
  client = new KMSClient(emulatorClientConfig(moto.endpoint));
});

afterAll(async () => {
  client?.destroy();
  await moto?.stop();
});

const policyFor = (signer: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "Sign", Effect: "Allow", Principal: { AWS: [signer] }, Action: ["kms:Sign"], Resource: "*" },
      {
        Sid: "NobodyElseSigns",
        Effect: "Deny",
        Principal: "*",
        Action: "kms:Sign",
        Resource: "*",
        Condition: { ArnNotEquals: { "aws:PrincipalArn": [signer] } },
      },
    ],
  });

describe("KmsKeyStore key policy", () => {
  it("creates keys with the configured key policy", async () => {
    // Prepare
    const policy = policyFor("arn:aws:iam::123456789012:role/signer");
    const store = new KmsKeyStore({ client, appName: "edc-gateway", keyTypes: ["P-256"], keyPolicy: policy });

    // Act
    const key = await store.createKey("P-256", { issuerId: "uni-x" });
    const stored = await client.send(new GetKeyPolicyCommand({ KeyId: key.keyRef, PolicyName: "default" }));

    // Assess
    expect(JSON.parse(stored.Policy ?? "{}")).toEqual(JSON.parse(policy));
  });

  it("leaves KMS's default policy when none is configured", async () => {
    // Prepare
    const store = new KmsKeyStore({ client, appName: "edc-gateway", keyTypes: ["P-256"] });

    // Act
    const key = await store.createKey("P-256", { issuerId: "uni-x" });
    const stored = await client.send(new GetKeyPolicyCommand({ KeyId: key.keyRef, PolicyName: "default" }));

    // Assess
    expect(stored.Policy).not.toContain("NobodyElseSigns");
  });
});
