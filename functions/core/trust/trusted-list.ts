/**
 * EU trusted lists (ETSI TS 119 612): reading a list of the lists (LOTL) or a national trusted list (TSL) into what
 * verification needs. From a national list: the service digital identities (X509Certificate) of every trust service
 * of type CA/QC (issues qualified certificates) whose current status is `granted`: the anchors a qualified seal's
 * chain must reach. From the LOTL: which national lists exist and where (pointers), so an import can say what is
 * missing. Parsed with the project's safe XML parser (no DOCTYPE, no entities, size and depth limits).
 *
 * The list's own XML signature (XAdES) is not verified here: a snapshot is imported by the admin, who is trusted to
 * have fetched it from the Commission's LOTL over HTTPS (documented in the README).
 */
import { childrenNamed, parseXml, type XmlElement } from "../../../mappings/xml/safe-parse.js";
import { certificateBase64, parseCertificate, subjectKey } from "../../proofs/x509.js";

/** ETSI TS 119 612 namespace of the list's elements. */
export const TSL_NAMESPACE = "http://uri.etsi.org/02231/v2#";
/** Service type of a CA issuing qualified certificates. */
export const SERVICE_TYPE_CA_QC = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";
/** Current status of a qualified trust service under eIDAS. */
export const SERVICE_STATUS_GRANTED = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted";
const LOTL_TYPE = "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists";
/** AdditionalServiceInformation URIs naming what a CA/QC issues qualified certificates for. */
const SVC_INFO_EXT = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/";
const FOR_E_SEALS = `${SVC_INFO_EXT}ForeSeals`;
const SERVICE_PURPOSES: ReadonlySet<string> = new Set([
  FOR_E_SEALS,
  `${SVC_INFO_EXT}ForeSignatures`,
  `${SVC_INFO_EXT}ForWebSiteAuthentication`,
]);

/** One trust anchor taken from a list: a CA/QC service certificate. */
export interface TrustedListAnchor {
  /** Standard base64 DER. */
  certificate: string;
  /** Hex SHA-256 of the subject Name DER (lookup key). */
  subjectKey: string;
  subject: string;
  tspName: string;
  serviceName: string;
}

/** What a trusted list says, as far as verification is concerned. */
export interface TrustedList {
  kind: "lotl" | "tsl";
  /** `SchemeTerritory`: `EU` for the LOTL, the member state's code for a national list. */
  territory: string;
  sequenceNumber?: number;
  issuedAt?: string;
  nextUpdate?: string;
  /** LOTL only: the national lists it points to. */
  pointers: { territory: string; location: string }[];
  anchors: TrustedListAnchor[];
  /**
   * Services left out and why (counts), and certificates that could not be read. `notForSeals`: a CA/QC service whose
   * AdditionalServiceInformation names other uses (e-signatures only, website authentication) and not e-seals.
   */
  skipped: { notCaQc: number; notGranted: number; notForSeals: number; unreadableCertificates: number };
}

/** Why a document is not a trusted list; `path` is where, as element names from the root. */
export class TrustedListError extends Error {
  readonly path: string;

  constructor(message: string, path = "/") {
    super(message);
    this.name = "TrustedListError";
    this.path = path;
  }
}

const child = (el: XmlElement | undefined, name: string): XmlElement | undefined =>
  el ? childrenNamed(el, name)[0] : undefined;
const path = (el: XmlElement | undefined, ...names: string[]): XmlElement | undefined =>
  names.reduce<XmlElement | undefined>((at, name) => child(at, name), el);
const textOf = (el: XmlElement | undefined): string | undefined => el?.text.trim() || undefined;

/** The first `Name` of a multilingual name element, English preferred. */
function nameOf(el: XmlElement | undefined): string {
  const names = el ? childrenNamed(el, "Name") : [];
  const english = names.find((n) => n.attrs["xml:lang"]?.toLowerCase() === "en");
  return textOf(english ?? names[0]) ?? "?";
}

/**
 * Reads a trusted list or the LOTL. Throws {@link TrustedListError} when the text is not XML, is refused by the
 * safe parser's limits, or is not a `TrustServiceStatusList`.
 */
export function parseTrustedList(
  xml: string,
  limits: { maxBytes: number } = { maxBytes: 20 * 1024 * 1024 },
): TrustedList {
  const parsed = parseXml(xml, { maxBytes: limits.maxBytes, maxDepth: 64 });
  if (!parsed.ok) throw new TrustedListError(`not readable XML: ${parsed.issues.map((i) => i.message).join("; ")}`);
  const root = parsed.doc;
  if (root.name !== "TrustServiceStatusList" || root.ns !== TSL_NAMESPACE) {
    throw new TrustedListError(`the root element is ${root.name}, not an ETSI TS 119 612 TrustServiceStatusList`);
  }
  const scheme = child(root, "SchemeInformation");
  if (!scheme) throw new TrustedListError("no SchemeInformation", "/TrustServiceStatusList");
  const territory = textOf(child(scheme, "SchemeTerritory"));
  if (!territory || !/^[A-Z]{2}$/.test(territory)) {
    throw new TrustedListError(
      "SchemeTerritory must be a two-letter code",
      "/TrustServiceStatusList/SchemeInformation",
    );
  }
  const type = textOf(child(scheme, "TSLType"));
  const kind = type === LOTL_TYPE || territory === "EU" ? "lotl" : "tsl";
  const sequence = Number(textOf(child(scheme, "TSLSequenceNumber")));
  const issuedAt = textOf(child(scheme, "ListIssueDateTime"));
  const nextUpdate = textOf(path(scheme, "NextUpdate", "dateTime"));
  const list: TrustedList = {
    kind,
    territory,
    ...(Number.isSafeInteger(sequence) ? { sequenceNumber: sequence } : {}),
    ...(issuedAt ? { issuedAt } : {}),
    ...(nextUpdate ? { nextUpdate } : {}),
    pointers: pointersOf(scheme),
    anchors: [],
    skipped: { notCaQc: 0, notGranted: 0, notForSeals: 0, unreadableCertificates: 0 },
  };
  const providers = childrenNamed(child(root, "TrustServiceProviderList") ?? emptyElement, "TrustServiceProvider");
  for (const provider of providers) {
    const tspName = nameOf(path(provider, "TSPInformation", "TSPName"));
    for (const service of childrenNamed(child(provider, "TSPServices") ?? emptyElement, "TSPService")) {
      readService(service, tspName, list);
    }
  }
  return list;
}

const emptyElement: XmlElement = { name: "", attrs: {}, children: [], text: "" };

function pointersOf(scheme: XmlElement): { territory: string; location: string }[] {
  const pointers = childrenNamed(child(scheme, "PointersToOtherTSL") ?? emptyElement, "OtherTSLPointer");
  return pointers.flatMap((pointer) => {
    const location = textOf(child(pointer, "TSLLocation"));
    const infos = childrenNamed(child(pointer, "AdditionalInformation") ?? emptyElement, "OtherInformation");
    const territory = infos.map((i) => textOf(child(i, "SchemeTerritory"))).find((t) => t !== undefined);
    return location && territory ? [{ territory, location }] : [];
  });
}

function readService(service: XmlElement, tspName: string, list: TrustedList): void {
  const info = child(service, "ServiceInformation");
  if (textOf(child(info, "ServiceTypeIdentifier")) !== SERVICE_TYPE_CA_QC) {
    list.skipped.notCaQc++;
    return;
  }
  if (textOf(child(info, "ServiceStatus")) !== SERVICE_STATUS_GRANTED) {
    list.skipped.notGranted++;
    return;
  }
  // ETSI TS 119 612 §5.5.9.4: AdditionalServiceInformation says what a CA/QC issues qualified certificates for. A
  // service that names uses, none of them e-seals, anchors no seal (a website-authentication CA would otherwise make
  // a TLS certificate's signature a listed seal). A service that names none is kept: older lists leave them out.
  const uses = childrenNamed(child(info, "ServiceInformationExtensions") ?? emptyElement, "Extension")
    .flatMap((ext) => childrenNamed(ext, "AdditionalServiceInformation"))
    .flatMap((asi) => textOf(child(asi, "URI")) ?? []);
  const purposes = uses.filter((uri) => SERVICE_PURPOSES.has(uri));
  if (purposes.length > 0 && !purposes.includes(FOR_E_SEALS)) {
    list.skipped.notForSeals++;
    return;
  }
  const serviceName = nameOf(child(info, "ServiceName"));
  const ids = childrenNamed(child(info, "ServiceDigitalIdentity") ?? emptyElement, "DigitalId");
  for (const id of ids) {
    const base64 = textOf(child(id, "X509Certificate"));
    if (!base64) continue;
    try {
      const cert = parseCertificate(base64);
      list.anchors.push({
        certificate: certificateBase64(cert),
        subjectKey: subjectKey(cert),
        subject: cert.subject,
        tspName,
        serviceName,
      });
    } catch {
      list.skipped.unreadableCertificates++;
    }
  }
}
