/**
 * A KMS stand-in that throttles: answers CreateKey, GetPublicKey, ListResourceTags and Sign as KMS does (keys made by
 * node:crypto, ECDSA signatures in DER as KMS returns them), and refuses a `Sign` beyond `signRate` requests in any
 * one-second window with a `ThrottlingException` ("You have exceeded the rate at which you may call KMS"), the way
 * KMS enforces its per-account, per-Region requests-per-second quota. Its window is its own model of "per second",
 * independent of the gateway's token bucket: a budget that overdraws it shows up as throttles.
 *
 * Used by the KMS-rate bench (`bench/kms-rate.ts`) and its integration test. Only P-256 (ES256) and Ed25519 keys, RAW
 * messages (what VC-JWT and Data Integrity sign).
 */
import { generateKeyPairSync, type KeyObject, randomUUID, sign } from "node:crypto";
import {
  CreateKeyCommand,
  GetPublicKeyCommand,
  type KMSClient,
  ListResourceTagsCommand,
  SignCommand,
} from "@aws-sdk/client-kms";

interface StandinKey {
  spec: string;
  tags: { TagKey?: string; TagValue?: string }[];
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** What the stand-in saw. */
export interface StandinCounts {
  signed: number;
  throttled: number;
  getPublicKey: number;
  /** Time of the first and last successful `Sign` (ms, performance.now()). */
  firstSignAt?: number;
  lastSignAt?: number;
}

export class ThrottlingKms {
  readonly counts: StandinCounts = { signed: 0, throttled: 0, getPublicKey: 0 };
  readonly #keys = new Map<string, StandinKey>();
  /** Times of the accepted Sign requests in the last second, oldest first. */
  readonly #window: number[] = [];

  constructor(
    /** Accepted `Sign` requests per one-second window. */
    readonly signRate: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  asClient(): Pick<KMSClient, "send"> {
    return this as unknown as Pick<KMSClient, "send">;
  }

  async send(command: unknown): Promise<unknown> {
    if (command instanceof CreateKeyCommand) {
      const spec = command.input.KeySpec ?? "SYMMETRIC_DEFAULT";
      const pair =
        spec === "ECC_NIST_P256"
          ? generateKeyPairSync("ec", { namedCurve: "P-256" })
          : spec === "ECC_NIST_EDWARDS25519"
            ? generateKeyPairSync("ed25519")
            : undefined;
      if (!pair)
        throw Object.assign(new Error(`stand-in has no ${spec} keys`), { name: "UnsupportedOperationException" });
      const keyId = randomUUID();
      this.#keys.set(keyId, { spec, tags: command.input.Tags ?? [], ...pair });
      return { KeyMetadata: { KeyId: keyId, KeySpec: spec, KeyUsage: "SIGN_VERIFY" } };
    }
    if (command instanceof GetPublicKeyCommand) {
      this.counts.getPublicKey += 1;
      const key = this.#key(command.input.KeyId);
      return {
        KeyId: command.input.KeyId,
        KeySpec: key.spec,
        KeyUsage: "SIGN_VERIFY",
        PublicKey: new Uint8Array(key.publicKey.export({ format: "der", type: "spki" })),
      };
    }
    if (command instanceof ListResourceTagsCommand) {
      return { Tags: this.#key(command.input.KeyId).tags, Truncated: false };
    }
    if (command instanceof SignCommand) {
      const key = this.#key(command.input.KeyId);
      const at = this.now();
      while (this.#window.length > 0 && (this.#window[0] as number) <= at - 1000) this.#window.shift();
      if (this.#window.length >= this.signRate) {
        this.counts.throttled += 1;
        // Await a tick, as a network round trip would, so that throttled callers do not spin synchronously.
        await new Promise((resolve) => setImmediate(resolve));
        throw Object.assign(
          new Error("You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls."),
          {
            name: "ThrottlingException",
            $fault: "client",
            $metadata: { httpStatusCode: 400 },
          },
        );
      }
      this.#window.push(at);
      if (command.input.MessageType !== "RAW" || command.input.Message === undefined)
        throw new Error("the stand-in signs RAW messages only (node:crypto cannot sign a precomputed digest)");
      const message = Buffer.from(command.input.Message);
      const signature =
        key.spec === "ECC_NIST_P256"
          ? sign("sha256", message, { key: key.privateKey, dsaEncoding: "der" })
          : sign(null, message, key.privateKey);
      this.counts.signed += 1;
      this.counts.firstSignAt ??= at;
      this.counts.lastSignAt = at;
      await new Promise((resolve) => setImmediate(resolve));
      return {
        KeyId: command.input.KeyId,
        Signature: new Uint8Array(signature),
        SigningAlgorithm: command.input.SigningAlgorithm,
      };
    }
    throw new Error(`stand-in does not answer ${(command as object).constructor.name}`);
  }

  #key(keyId: string | undefined): StandinKey {
    const key = keyId === undefined ? undefined : this.#keys.get(keyId);
    if (!key) throw Object.assign(new Error(`no key ${keyId}`), { name: "NotFoundException" });
    return key;
  }
}
