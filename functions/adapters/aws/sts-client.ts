/**
 * Makes an STS client. A module of its own so that {@link lazyStsClient} (`lazy-clients.ts`) can `import()` it: esbuild
 * treats every export of a dynamically imported module as used, so importing `@aws-sdk/client-sts` itself that way
 * would keep all of its commands (and the code they share with other clients, in every function's init).
 */
import { STSClient, type STSClientConfig } from "@aws-sdk/client-sts";

/** A new STS client with `config` (the SDK's defaults when empty). */
export function makeStsClient(config: STSClientConfig): STSClient {
  return new STSClient(config);
}
