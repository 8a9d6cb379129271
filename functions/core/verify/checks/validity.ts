/** The `expiry` check: the validity window (validFrom/issuanceDate, validUntil/expirationDate, a JWT's nbf/exp). */
import { check, type Parsed, type VerificationCheck } from "../model.js";

export function checkExpiry(parsed: Parsed, now: Date): VerificationCheck {
  const doc = parsed.credential;
  const bounds: { name: string; kind: "from" | "until"; value: unknown }[] = [
    { name: "validFrom", kind: "from", value: doc.validFrom },
    { name: "issuanceDate", kind: "from", value: doc.issuanceDate },
    { name: "validUntil", kind: "until", value: doc.validUntil },
    { name: "expirationDate", kind: "until", value: doc.expirationDate },
  ];
  if (parsed.kind === "jwt") {
    const { nbf, exp } = parsed.decoded.payload;
    if (nbf !== undefined)
      bounds.push({
        name: "nbf",
        kind: "from",
        value: typeof nbf === "number" ? new Date(nbf * 1000).toISOString() : nbf,
      });
    if (exp !== undefined)
      bounds.push({
        name: "exp",
        kind: "until",
        value: typeof exp === "number" ? new Date(exp * 1000).toISOString() : exp,
      });
  }
  const problems: string[] = [];
  let from: { name: string; at: Date } | undefined;
  let until: { name: string; at: Date } | undefined;
  for (const bound of bounds) {
    if (bound.value === undefined || bound.value === null) continue;
    const at = typeof bound.value === "string" ? new Date(bound.value) : new Date(Number.NaN);
    if (Number.isNaN(at.getTime())) {
      problems.push(`${bound.name} is not a date-time`);
      continue;
    }
    if (bound.kind === "from" && at > now) problems.push(`not valid yet: ${bound.name} is ${bound.value}`);
    if (bound.kind === "until" && at <= now) problems.push(`expired: ${bound.name} was ${bound.value}`);
    if (bound.kind === "from" && (!from || at > from.at)) from = { name: bound.name, at };
    if (bound.kind === "until" && (!until || at < until.at)) until = { name: bound.name, at };
  }
  if (problems.length > 0) return check("expiry", "error", `${problems.join("; ")} (checked at ${now.toISOString()})`);
  const since = from ? `valid since ${from.at.toISOString()} (${from.name})` : "no start of validity";
  const to = until ? `until ${until.at.toISOString()} (${until.name})` : "with no expiry";
  return check("expiry", "ok", `${since}, ${to}`);
}
