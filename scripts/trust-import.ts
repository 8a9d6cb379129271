/**
 * `npm run trust:import -- FILE...`: imports EU trusted-list files (the LOTL and national lists, ETSI TS 119 612 XML,
 * e.g. a snapshot fetched from https://ec.europa.eu/tools/lotl/eu-lotl.xml and the lists it points to) into a running
 * gateway through `PUT /v1/admin/trust/lists/{territory}`, one request per file, the territory read from the file's
 * own SchemeTerritory. Prints one line per file: territory, anchors kept, services skipped; or the gateway's problem.
 *
 *   --url U     the gateway (default $GATEWAY_URL or http://localhost:3000)
 *   --token T   the admin token (default $GATEWAY_ADMIN_TOKEN or $GATEWAY_TOKEN)
 *
 * Exit codes: 0 all imported, 2 usage error, 3 a file was refused or the gateway could not be reached.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseTrustedList } from "../functions/core/trust/trusted-list.js";

export const TRUST_IMPORT_EXIT = { ok: 0, usage: 2, refused: 3 } as const;

export interface TrustImportIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env?: Record<string, string | undefined>;
}

const USAGE = "usage: trust:import [--url U] [--token T] FILE...";

/** Runs the import; answers the exit code. */
export async function runTrustImport(argv: string[], io: TrustImportIo): Promise<number> {
  const env = io.env ?? process.env;
  const options = { url: { type: "string" }, token: { type: "string" } } as const;
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true });
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return TRUST_IMPORT_EXIT.usage;
  }
  const files = parsed.positionals;
  if (files.length === 0) {
    io.stderr(`${USAGE}\n`);
    return TRUST_IMPORT_EXIT.usage;
  }
  const url = (parsed.values.url ?? env.GATEWAY_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  const token = parsed.values.token ?? env.GATEWAY_ADMIN_TOKEN ?? env.GATEWAY_TOKEN;
  let code: number = TRUST_IMPORT_EXIT.ok;
  for (const file of files) {
    let xml: string;
    let territory: string;
    try {
      xml = readFileSync(file, "utf8");
      // Read locally only for the territory (the gateway parses and checks the list itself).
      territory = parseTrustedList(xml).territory;
    } catch (error) {
      io.stderr(`${file}: ${error instanceof Error ? error.message : String(error)}\n`);
      code = TRUST_IMPORT_EXIT.refused;
      continue;
    }
    let res: Response;
    try {
      res = await fetch(`${url}/v1/admin/trust/lists/${territory}`, {
        method: "PUT",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ xml }),
      });
    } catch (error) {
      io.stderr(
        `${file}: the gateway at ${url} cannot be reached: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return TRUST_IMPORT_EXIT.refused;
    }
    const body = (await res.json().catch(() => ({}))) as {
      detail?: string;
      anchorCount?: number;
      kind?: string;
      skipped?: { notCaQc: number; notGranted: number; unreadableCertificates: number };
    };
    if (!res.ok) {
      io.stderr(`${file}: ${res.status} ${body.detail ?? res.statusText}\n`);
      code = TRUST_IMPORT_EXIT.refused;
      continue;
    }
    const skipped = body.skipped;
    io.stdout(
      `${file}: ${territory} (${body.kind}) imported, ${body.anchorCount} trust anchors` +
        (skipped
          ? `; skipped ${skipped.notCaQc} non-CA/QC, ${skipped.notGranted} not granted, ${skipped.unreadableCertificates} unreadable`
          : "") +
        "\n",
    );
  }
  return code;
}

if (process.argv[1]?.endsWith("trust-import.ts")) {
  runTrustImport(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  }).then((code) => {
    process.exitCode = code;
  });
}
