/**
 * A minimal client for the IAM Query API (form-encoded POST, XML answer), signed with SigV4: the project ships no IAM
 * SDK client (the functions never call IAM), and the rehearsal needs only a handful of IAM calls to create the roles
 * and policies of the synthesized template in moto.
 */
import { createHash, createHmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { SourceData } from "@smithy/types";

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === "string"
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** The Hash interface SignatureV4 asks for, over node:crypto (HMAC when given a secret). */
class NodeSha256 {
  readonly #hash;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: SourceData): void {
    this.#hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }
}

export class IamQuery {
  readonly #endpoint: URL;
  readonly #signer: SignatureV4;

  constructor(endpoint: string, credentials: StaticCredentials) {
    this.#endpoint = new URL(endpoint);
    this.#signer = new SignatureV4({ service: "iam", region: "us-east-1", credentials, sha256: NodeSha256 });
  }

  /** Calls `action` with `params`; answers the XML body, throws with IAM's error code and message on a failure. */
  async call(action: string, params: Record<string, string>): Promise<string> {
    const body = new URLSearchParams({ Action: action, Version: "2010-05-08", ...params }).toString();
    const request = await this.#signer.sign({
      method: "POST",
      protocol: this.#endpoint.protocol,
      hostname: this.#endpoint.hostname,
      port: Number(this.#endpoint.port),
      path: "/",
      headers: {
        host: this.#endpoint.host,
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
      },
      body,
    });
    const response = await fetch(this.#endpoint, {
      method: "POST",
      headers: request.headers as Record<string, string>,
      body,
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`IAM ${action} failed (${response.status}): ${xmlValue(text, "Message") ?? text}`);
    return text;
  }
}

/** The text of the first `<name>` element of an XML answer. */
export function xmlValue(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}
