/**
 * The SVG page's caches (issue 11): wrapped lines and Intl labels are made once per text and language, and a cached
 * answer is the one a fresh computation gives, in each language.
 */

import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { escapeXml, renderCredentialSvg, wrap } from "../../../../mappings/elm/render.js";
import { completeMicroCredential } from "../../../support/elm-write-fixtures.js";

describe("the page rendering's caches", () => {
  it("wrap answers a repeated text alike, and a caller changing its lines does not change the next answer", () => {
    // Prepare
    const text = "Digital micro-credential creation with a title long enough to wrap onto a second line";
    const first = wrap(text, 30, 2);
    const asAnswered = [...first];

    // Act
    first[0] = "changed by the caller";
    first.push("added by the caller");
    const second = wrap(text, 30, 2);

    // Assess
    expect(second).toEqual(asAnswered);
    expect(second).toEqual(["Digital micro-credential", "creation with a title long…"]);
  });

  it("wrap keys its answers by width and line count", () => {
    // Act
    const narrow = wrap("one two three four", 9, 3);
    const wide = wrap("one two three four", 40, 3);
    const short = wrap("one two three four", 9, 1);

    // Assess
    expect(narrow).toEqual(["one two", "three", "four"]);
    expect(wide).toEqual(["one two three four"]);
    expect(short).toEqual(["one two…"]);
  });

  it("renders dates and countries in each language, the same on every rendering", () => {
    // Prepare
    const credential = completeMicroCredential();

    // Act
    const pages = ["fr", "en", "fr", "de", "en"].map((lang) => renderCredentialSvg(credential, lang));

    // Assess
    expect(pages[2]).toBe(pages[0]);
    expect(pages[4]).toBe(pages[1]);
    expect(pages[0]).not.toBe(pages[1]);
    expect(pages[0]).toContain("(Irlande)");
    expect(pages[1]).toContain("(Ireland)");
    expect(pages[3]).toContain("(Irland)");
  });

  it("returns text with nothing to escape unchanged, and escapes the rest", () => {
    // Act
    const plain = escapeXml("University of Zed, 2 ECTS");
    const marked = escapeXml("A & B <c> \"d\" 'e'\u0001");

    // Assess
    expect(plain).toBe("University of Zed, 2 ECTS");
    expect(marked).toBe("A &amp; B &lt;c&gt; &quot;d&quot; &apos;e&apos;");
  });

  it("puts each learner's own name on a page of the same template, and the rest of the page alike", () => {
    // Prepare: two learners of the same credential, one name that needs escaping
    const first = completeMicroCredential();
    const second = completeMicroCredential();
    second.learner.fullName = { en: "Zoë <Zed> & Co" };
    const texts = (svg: string): string[] => {
      const parsed = new XMLParser({ ignoreAttributes: true, isArray: (name) => name === "text" }).parse(svg);
      return (parsed.svg.text as unknown[]).map((t) => String(t));
    };

    // Act
    const pages = [first, second, first].map((c) => renderCredentialSvg(c, "en"));

    // Assess: a third-party XML parser reads the same texts but for the name, in the same order
    const [a, b, again] = pages.map((svg) => texts(svg as string));
    expect(again).toEqual(a);
    expect(a).toContain("Ana Andromeda");
    expect(b).toContain("Zoë <Zed> & Co");
    expect(b).not.toContain("Ana Andromeda");
    expect(b?.map((t) => (t === "Zoë <Zed> & Co" ? "Ana Andromeda" : t))).toEqual(a);
  });
});
