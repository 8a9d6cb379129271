/**
 * An ELMO 2.0 document holding every element and attribute of the ELMO namespace (academic terms, grade
 * distributions, a Diploma Supplement, recognitions, groups, extensions), which the gateway's writer never writes
 * all of: xmllint finds it valid against the corpus XSD (test/corpus/elmo-conformance-xmllint.test.ts checks that), so
 * its mutants reach the parts of the schema written ELMO does not.
 */
export const ELMO_EVERY_ELEMENT = `<?xml version="1.0" encoding="UTF-8"?>
<elmo xmlns="https://github.com/emrex-eu/elmo-schemas/tree/v1" xmlns:x="urn:example:extension">
  <generatedDate>2024-05-01T12:00:00Z</generatedDate>
  <learner>
    <citizenship>FI</citizenship>
    <identifier type="nationalIdentifier">010101-123N</identifier>
    <givenNames>Aino</givenNames>
    <familyName>Virtanen</familyName>
    <alternativeName xml:lang="fi">Aino Virtanen</alternativeName>
    <dateOfBirth>2000-01-01</dateOfBirth>
    <placeOfBirth>Helsinki</placeOfBirth>
    <birthName>Korhonen</birthName>
    <gender>2</gender>
  </learner>
  <report>
    <issuer>
      <country>FI</country>
      <identifier type="schac">helsinki.fi</identifier>
      <title xml:lang="en">University of Helsinki</title>
      <url>https://www.helsinki.fi</url>
    </issuer>
    <learningOpportunitySpecification>
      <identifier type="local">DP-1</identifier>
      <title xml:lang="en">Bachelor of Science</title>
      <type>Degree Programme</type>
      <subjectArea>Physics</subjectArea>
      <iscedCode>0533</iscedCode>
      <url>https://example.org/dp</url>
      <description>Three years.</description>
      <descriptionHtml>&lt;p&gt;Three years.&lt;/p&gt;</descriptionHtml>
      <specifies>
        <learningOpportunityInstance>
          <identifier type="local">DP-1-2024</identifier>
          <start>2021-09-01</start>
          <date>2024-05-31</date>
          <academicTerm>
            <title xml:lang="en">Spring 2024</title>
            <start>2024-01-01</start>
            <end>2024-05-31</end>
          </academicTerm>
          <status>passed</status>
          <gradingSchemeLocalId>G1</gradingSchemeLocalId>
          <gradingSchemeExternalId>ext-1</gradingSchemeExternalId>
          <resultLabel>5</resultLabel>
          <shortenedGrading>
            <percentageLower>10.5</percentageLower>
            <percentageEqual>20</percentageEqual>
            <percentageHigher>69.5</percentageHigher>
          </shortenedGrading>
          <resultDistribution>
            <category label="5" count="12"/>
            <category label="4" count="30"/>
            <description>Grades of the year</description>
          </resultDistribution>
          <credit>
            <scheme>ects</scheme>
            <value>180</value>
          </credit>
          <level>
            <type>EQF</type>
            <description>Bachelor</description>
            <value>6</value>
          </level>
          <languageOfInstruction>fi</languageOfInstruction>
          <engagementHours>4800</engagementHours>
          <attachments>
            <ref>att-1</ref>
          </attachments>
          <grouping typeref="gt-1" idref="g-1"/>
          <extension><x:note>kept</x:note></extension>
          <diplomaSupplement xml:lang="en">
            <version>2018</version>
            <issueDate>2024-06-01</issueDate>
            <introduction>This Diploma Supplement follows the model.</introduction>
            <section number="1">
              <title>Holder</title>
              <content type="text/plain">Aino Virtanen</content>
              <additionalInformation>None</additionalInformation>
              <section number="1.1">
                <title>Family name</title>
              </section>
            </section>
          </diplomaSupplement>
        </learningOpportunityInstance>
      </specifies>
      <hasPart>
        <learningOpportunitySpecification>
          <identifier type="local">C-1</identifier>
          <title>Mechanics</title>
          <type>Course</type>
          <specifies>
            <learningOpportunityInstance>
              <status>passed</status>
            </learningOpportunityInstance>
          </specifies>
        </learningOpportunitySpecification>
      </hasPart>
    </learningOpportunitySpecification>
    <resultOfRecognition>
      <title>Recognition of studies abroad</title>
      <description>Recognised</description>
      <subjectArea>Physics</subjectArea>
      <iscedCode>0533</iscedCode>
      <status>Partially Positive</status>
      <decisionDate>2024-02-01</decisionDate>
      <recognitionBasis>
        <recognitionReport>
          <issuer>
            <identifier type="erasmus">D  BERLIN01</identifier>
            <title>Humboldt-Universität</title>
            <url>https://www.hu-berlin.de</url>
          </issuer>
          <issueDate>2023-08-01T00:00:00+02:00</issueDate>
          <gradingScheme localId="DE"/>
        </recognitionReport>
      </recognitionBasis>
      <recognitionResult>
        <learningOpportunitySpecification>
          <identifier type="local">C-2</identifier>
          <title>Optics</title>
          <specifies>
            <learningOpportunityInstance/>
          </specifies>
        </learningOpportunitySpecification>
      </recognitionResult>
      <recognitionMapping>
        <mapping>
          <fromMapping><ref>a</ref></fromMapping>
          <toMapping><ref>b</ref></toMapping>
        </mapping>
      </recognitionMapping>
      <attachments><ref>att-1</ref></attachments>
    </resultOfRecognition>
    <issueDate>2024-05-31T10:00:00Z</issueDate>
    <gradingScheme localId="G1">
      <description xml:lang="en">0-5</description>
    </gradingScheme>
    <attachment>
      <identifier type="local">att-1</identifier>
      <title>Transcript</title>
      <type>Transcript of Records</type>
      <description>PDF</description>
      <content>data:application/pdf;base64,JVBERi0=</content>
    </attachment>
  </report>
  <attachment>
    <title>Diploma</title>
    <type>Diploma</type>
  </attachment>
  <groups>
    <groupType id="gt-1">
      <title>Study areas</title>
      <group id="g-1" sortingKey="1">
        <title>Core</title>
      </group>
    </groupType>
  </groups>
  <extension><x:more/></extension>
</elmo>
`;
