/**
 * Per-issuer STS sessions of the signer role: the AWS half of per-issuer key separation. The function's own role may
 * not sign; it assumes the deployment's signer role with the session tag `edc-gateway:issuer=<slug>`, and IAM (the
 * signer role's policy and the key policy) lets that session sign only with keys whose `edc-gateway:issuer` tag
 * equals the session tag. See SECURITY.md, "Keys (KMS)".
 */

import { AssumeRoleCommand, type AssumeRoleCommandOutput, type STSClient } from "@aws-sdk/client-sts";
import { GatewayError } from "../../kernel/errors.js";
import { KMS_TAG_ISSUER } from "./kms-keys.js";

/** STS's shortest session; a Lambda container signs for many issuers, so short sessions keep little live. */
export const SESSION_SECONDS = 900;
/** Sessions are renewed this long before they expire, so that no signature is attempted with a dying session. */
export const REFRESH_MARGIN_MS = 120_000;
/** Issuers whose sessions are kept at once; the least recently used is dropped beyond it. */
export const SESSION_CACHE_LIMIT = 256;

/** A session's temporary credentials, in the shape AWS SDK clients take as `credentials`. */
export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface IssuerSessionsOptions<T> {
  /** An STS client (with the function's own credentials). */
  client: Pick<STSClient, "send">;
  /** The signer role (`GATEWAY_SIGNER_ROLE_ARN`). */
  roleArn: string;
  /** Turns a session's credentials into what is used with them (a KMS client). */
  open: (credentials: SessionCredentials) => T;
  /** Releases what {@link open} made when its session is dropped (e.g. `client.destroy()`). */
  close?: (opened: T) => void;
  /** Milliseconds since the epoch. Default: `Date.now`. */
  now?: () => number;
  sessionSeconds?: number;
  refreshMarginMs?: number;
  cacheLimit?: number;
}

interface Session<T> {
  opened: T;
  /** When the session must no longer be used (its expiry minus the margin), ms since the epoch. */
  renewAt: number;
}

/**
 * One session per issuer, cached until shortly before it expires, bounded in number. Concurrent requests for the
 * same issuer share one AssumeRole call. Hand-written because the SDK's `fromTemporaryCredentials` provider takes
 * no session tags per call and would cache one session per provider, not per issuer.
 */
export class IssuerSessions<T> {
  readonly #options: IssuerSessionsOptions<T>;
  readonly #now: () => number;
  /** Map order is recency order: a hit is moved to the end, the first entry is the one dropped. */
  readonly #sessions = new Map<string, Promise<Session<T>>>();

  constructor(options: IssuerSessionsOptions<T>) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** What {@link IssuerSessionsOptions.open} made for a live session tagged with `issuerId`. */
  async for(issuerId: string): Promise<T> {
    const cached = this.#sessions.get(issuerId);
    if (cached !== undefined) {
      const session = await cached;
      if (this.#sessions.get(issuerId) === cached && session.renewAt > this.#now()) {
        this.#sessions.delete(issuerId);
        this.#sessions.set(issuerId, cached);
        return session.opened;
      }
      if (this.#sessions.get(issuerId) === cached) this.#drop(issuerId);
      return this.for(issuerId);
    }
    const starting = this.#assume(issuerId);
    this.#sessions.set(issuerId, starting);
    starting.catch(() => {
      if (this.#sessions.get(issuerId) === starting) this.#sessions.delete(issuerId);
    });
    while (this.#sessions.size > (this.#options.cacheLimit ?? SESSION_CACHE_LIMIT)) {
      const oldest = this.#sessions.keys().next();
      if (oldest.done) break;
      this.#drop(oldest.value);
    }
    return (await starting).opened;
  }

  /** Issuers with a session (started or live), least recently used first. */
  issuers(): string[] {
    return [...this.#sessions.keys()];
  }

  #drop(issuerId: string): void {
    const session = this.#sessions.get(issuerId);
    this.#sessions.delete(issuerId);
    const close = this.#options.close;
    if (session !== undefined && close !== undefined) {
      session.then(
        (s) => close(s.opened),
        () => undefined,
      );
    }
  }

  async #assume(issuerId: string): Promise<Session<T>> {
    const seconds = this.#options.sessionSeconds ?? SESSION_SECONDS;
    const started = this.#now();
    let result: AssumeRoleCommandOutput;
    try {
      result = await this.#options.client.send(
        new AssumeRoleCommand({
          RoleArn: this.#options.roleArn,
          RoleSessionName: sessionName(issuerId),
          DurationSeconds: seconds,
          // Not transitive: the session never assumes another role.
          Tags: [{ Key: KMS_TAG_ISSUER, Value: issuerId }],
        }),
      );
    } catch (error) {
      throw new GatewayError("upstream-failed", "STS refused the signing session", [], { cause: error });
    }
    const c = result.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
      throw new GatewayError("upstream-failed", "STS AssumeRole returned no credentials");
    }
    const expires = c.Expiration?.getTime() ?? started + seconds * 1000;
    const credentials: SessionCredentials = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: new Date(expires),
    };
    const margin = this.#options.refreshMarginMs ?? REFRESH_MARGIN_MS;
    return { opened: this.#options.open(credentials), renewAt: expires - margin };
  }
}

/** `RoleSessionName` (2–64 of `[\w+=,.@-]`) naming the issuer, so that CloudTrail shows whose signing it was. */
export function sessionName(issuerId: string): string {
  return `sign-${issuerId.replace(/[^\w+=,.@-]/g, "_")}`.slice(0, 64);
}
