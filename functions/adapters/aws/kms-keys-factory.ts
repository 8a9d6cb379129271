/**
 * Makes the KMS key store with its clients (and, with a signer role, its per-issuer STS sessions). A module of its own
 * so that {@link LazyKmsKeyStore} (`kms-keys-lazy.ts`) can `import()` it: esbuild treats every export of a dynamically
 * imported module as used, and nothing a function's init imports may import the KMS or STS client statically.
 */
import { KMSClient } from "@aws-sdk/client-kms";
import { STSClient } from "@aws-sdk/client-sts";
import type { KeyStore, Signer } from "../../kernel/ports/index.js";
import { KmsKeyStore } from "./kms-keys.js";
import { IssuerSessions } from "./sts-sessions.js";

export interface KmsKeyStoreSettings {
  appName: string;
  keyPolicy?: string;
  signerRoleArn?: string;
}

export function makeKmsKeyStore(settings: KmsKeyStoreSettings): KeyStore & Signer {
  const { signerRoleArn } = settings;
  return new KmsKeyStore({
    client: new KMSClient({}),
    appName: settings.appName,
    ...(settings.keyPolicy ? { keyPolicy: settings.keyPolicy } : {}),
    ...(signerRoleArn
      ? {
          signerSessions: new IssuerSessions({
            client: new STSClient({}),
            roleArn: signerRoleArn,
            open: (credentials) => new KMSClient({ credentials }),
            close: (kms) => kms.destroy(),
          }),
        }
      : {}),
  });
}
