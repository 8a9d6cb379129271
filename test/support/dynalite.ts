/**
 * Embedded DynamoDB (dynalite) on loopback, for tests that must speak the real DynamoDB protocol without a network.
 */

import type { AddressInfo } from "node:net";
import dynalite from "dynalite";

export interface RunningDynalite {
  /** `http://127.0.0.1:{port}`, for a DynamoDB client's `endpoint`. */
  endpoint: string;
  /** Closes the server (and its open connections) and the store. */
  stop(): Promise<void>;
}

/**
 * Starts dynalite in this process on a free loopback port. In memory unless `path` names a LevelDB directory. Tables
 * are created, updated and deleted with no artificial delay (they still report CREATING once: wait for ACTIVE).
 */
export async function startDynalite(options: { path?: string } = {}): Promise<RunningDynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: options.path });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
