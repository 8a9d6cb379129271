/**
 * EDCI v2 delivered credentials, diploma supplements included, as a `verifiablePresentation` (namespace
 * `http://data.europa.eu/snb/vp`, sharedschema_generic_1.2.xsd / sharedschema_dp_1.2.xsd): a `type`, optionally an
 * `expirationDate`, `issuer` and `verificationChecks`, exactly one `europassCredential` ("A verifiable
 * EuropassCredential without a proof") and a XAdES `proof`. The presentations here wrap the corpus credentials as
 * that XSD sequence lays out; the expected values are read by eye in the corpus files.
 */
import { describe, expect, it } from "vitest";
import { readConfig } from "../../../../functions/config.js";
import { convert } from "../../../../functions/core/convert/convert.js";
import { readEuropassXml } from "../../../../mappings/europass-xml/read.js";
import { sniffFormat } from "../../../../mappings/registry.js";
import { corpusText } from "../../../support/corpus.js";
import { SYSTEM_TIME } from "../../../support/write-time.js";

const V2 = "europass-xml/v2-xml-1.2_80406a3/examples";

/** The corpus credential inside an EDCI presentation: its prolog removed, its (empty) proof left out. */
function presentation(file: string): string {
  const credential = corpusText(`${V2}/${file}`)
    .replace(/^<\?xml[^>]*\?>\s*/, "")
    .replace("<proof></proof>", "");
  return `<?xml version="1.0" encoding="UTF-8"?>
<vp:verifiablePresentation xmlns:vp="http://data.europa.eu/snb/vp" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" id="urn:epass:vp:1" xsdVersion="1.0">
  <vp:type targetFrameworkUrl="http://data.europa.eu/snb/verifiable-presentation/25831c2" uri="http://data.europa.eu/snb/verifiable-presentation/CredentialPresentation">
    <targetName><text lang="en" content-type="text/plain">Presentation</text></targetName>
  </vp:type>
  ${credential}
  <vp:proof><ds:Signature Id="sig-1"><ds:SignedInfo/></ds:Signature></vp:proof>
</vp:verifiablePresentation>`;
}

describe("an EDCI verifiablePresentation wrapping a europassCredential", () => {
  it("is read as the credential it holds (EDC_WileECoyote_Simple)", () => {
    const read = readEuropassXml(presentation("EDC_WileECoyote_Simple.xml"));

    expect(read.ok, JSON.stringify(!read.ok && read.issues)).toBe(true);
    if (!read.ok) return;
    const [c] = read.value;
    // In the file: cred:id, title "Sample credential", learner "Wile Coyote" born 1949-09-17, issuer "Acme Corporation" in AND.
    expect(c?.id).toBe("urn:credential:a302d79e-34ac-4f68-b0c0-4042a93dfd5c");
    expect(c?.title).toEqual({ en: "Sample credential" });
    expect(c?.learner.fullName).toEqual({ en: "Wile Coyote" });
    expect(c?.learner.dateOfBirth).toBe("1949-09-17");
    expect(c?.issuer?.legalName).toEqual({ en: "Acme Corporation" });
    expect(c?.issuer?.locations[0]?.address?.country).toBe("AD");
    expect(c?.issued).toBe("2022-02-02T14:15:15+01:00");
    // Paths point into the presentation.
    expect(c?.provenance.paths["/title"]).toBe("/verifiablePresentation/europassCredential/0/title/0");
  });

  it("reports the presentation's own parts as losses with XPaths into the input", () => {
    const read = readEuropassXml(presentation("EDC_WileECoyote_Simple.xml"));
    if (!read.ok) throw new Error(JSON.stringify(read.issues));

    expect(read.losses.map((l) => l.path)).toEqual([
      "/verifiablePresentation/type/0",
      "/verifiablePresentation/proof/0",
    ]);
    expect(read.losses[1]?.reason).toMatch(/sealed again/);
  });

  it("is read for a diploma supplement (EDC_SampleDegree_AA) with its title and learner", () => {
    const read = readEuropassXml(presentation("EDC_SampleDegree_AA.xml"));
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    const [c] = read.value;
    // In the file: type "Diploma Supplement", title "Graduate University Study of Civil Engineering", "Ana Andromeda".
    expect(c?.profiles[0]?.label).toEqual({ en: "Diploma Supplement" });
    expect(c?.title).toEqual({ en: "Graduate University Study of Civil Engineering" });
    expect(c?.learner.fullName).toEqual({ en: "Ana Andromeda" });
  });

  it("is recognised without `from` and converted, with the read's losses in the answer", async () => {
    const xml = presentation("EDC_WileECoyote_Simple.xml");
    expect(sniffFormat(xml)).toBe("europass-xml");
    const { limits } = readConfig({ GATEWAY_MODE: "local" });

    const out = await convert({ to: "ob3", document: xml }, limits, SYSTEM_TIME);

    expect(out.from).toBe("europass-xml");
    expect(JSON.stringify(out.results[0]?.document)).toContain("Sample credential");
    expect(out.results[0]?.losses.map((l) => l.path)).toContain("/verifiablePresentation/proof[1]");
  });

  it("refuses a presentation that holds no europassCredential, saying so", () => {
    const read = readEuropassXml(
      '<vp:verifiablePresentation xmlns:vp="http://data.europa.eu/snb/vp"><vp:type/></vp:verifiablePresentation>',
    );
    expect(!read.ok && read.issues[0]?.message).toMatch(/holds no <europassCredential>/);
  });
});
