/**
 * Validation against the ELMO v2.0 XSD (corpus `elmo/v2.0.0/schema.xsd`) with xmllint-wasm, offline. The schema
 * imports four schemas by URL: xmldsig and the Europass country codes are in the corpus (`references-README.md`) and
 * are preloaded under local names; `xml.xsd` (the `xml:lang` attribute) and the EWP address types (`FlexibleAddress`,
 * used only by `learner/currentAddress`, which the gateway does not write) are not, so minimal stand-ins declare what
 * the ELMO schema refers to. A document with a `currentAddress` would be checked only loosely there.
 */
import { validateXML } from "xmllint-wasm";
import { corpusText } from "./corpus.js";

const DIR = "elmo/v2.0.0";

export const XML_NS_STUB = `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.w3.org/XML/1998/namespace">
  <xs:attribute name="lang" type="xs:language"/>
</xs:schema>`;

export const EWP_ADDRESS_STUB = `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified"
  targetNamespace="https://github.com/erasmus-without-paper/ewp-specs-types-address/tree/stable-v1">
  <xs:complexType name="FlexibleAddress">
    <xs:sequence><xs:any minOccurs="0" maxOccurs="unbounded" processContents="lax"/></xs:sequence>
  </xs:complexType>
</xs:schema>`;

/** The ELMO schema with its imports pointed at the preloaded files. */
function schema(): string {
  return corpusText(`${DIR}/schema.xsd`)
    .replace("https://www.w3.org/2001/03/xml.xsd", "xml.xsd")
    .replace(/https:\/\/raw\.githubusercontent\.com\/emrex-eu\/elmo-schemas\/v1\/references\//g, "")
    .replace(
      "https://raw.githubusercontent.com/erasmus-without-paper/ewp-specs-types-address/stable-v1/schema.xsd",
      "ewp-address.xsd",
    );
}

/** The XSD errors of an XML document (empty when it is valid against ELMO 2.0). */
export async function elmoXsdErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: "document.xml", contents: xml }],
    schema: [{ fileName: "schema.xsd", contents: schema() }],
    preload: [
      { fileName: "xml.xsd", contents: XML_NS_STUB },
      { fileName: "ewp-address.xsd", contents: EWP_ADDRESS_STUB },
      { fileName: "xmldsig-core-schema.xsd", contents: corpusText(`${DIR}/xmldsig-core-schema.xsd`) },
      {
        fileName: "EUROPASS_ISOCountries_V1.1.xsd",
        contents: corpusText(`${DIR}/EUROPASS_ISOCountries_V1.1.xsd`),
      },
    ],
  });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}
