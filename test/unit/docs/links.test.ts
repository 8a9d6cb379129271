/**
 * The README is the newcomer's first page (at most 200 lines: what the gateway is, the two commands, the tour, the
 * features, links), and everything else lives in docs/, one page per reader. These tests hold that shape: every
 * relative link of the README and of docs/ names a file that exists (and a heading that exists, for `#fragment`
 * links into Markdown), and every page of docs/ is reachable from the README.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const repo = resolve(".");
const pages = [
  "README.md",
  "SECURITY.md",
  ...readdirSync(join(repo, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

/** Relative Markdown link targets of a page, code spans and fenced blocks left out. */
function links(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1] ?? "")
    .filter((href) => !/^[a-z][a-z0-9+.-]*:/i.test(href));
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");

function anchors(markdown: string): Set<string> {
  const prose = markdown.replace(/```[\s\S]*?```/g, "");
  return new Set([...prose.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchor((m[1] ?? "").replace(/`/g, ""))));
}

describe("the README and docs/", () => {
  it("the README has at most 200 lines", () => {
    expect(readFileSync(join(repo, "README.md"), "utf8").split("\n").length).toBeLessThanOrEqual(200);
  });

  it("every relative link names a file (and a heading) that exists", () => {
    const broken: string[] = [];
    for (const page of pages) {
      const text = readFileSync(join(repo, page), "utf8");
      for (const href of links(text)) {
        const [path = "", fragment] = href.split("#");
        const target = path === "" ? join(repo, page) : normalize(join(repo, dirname(page), decodeURI(path)));
        if (!existsSync(target)) {
          broken.push(`${page}: ${href} (no ${relative(repo, target)})`);
          continue;
        }
        if (fragment && target.endsWith(".md") && !anchors(readFileSync(target, "utf8")).has(fragment))
          broken.push(`${page}: ${href} (no heading #${fragment})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("every page of docs/ is reachable from the README", () => {
    const reached = new Set<string>(["README.md"]);
    const queue = ["README.md"];
    while (queue.length > 0) {
      const page = queue.shift() as string;
      for (const href of links(readFileSync(join(repo, page), "utf8"))) {
        const path = href.split("#")[0] ?? "";
        if (!path.endsWith(".md")) continue;
        const target = relative(repo, normalize(join(repo, dirname(page), decodeURI(path))));
        if (!reached.has(target) && existsSync(join(repo, target))) {
          reached.add(target);
          queue.push(target);
        }
      }
    }
    expect(pages.filter((p) => p.startsWith("docs/") && !reached.has(p))).toEqual([]);
  });

  it("would find a broken link: a page naming a missing file fails the check", () => {
    const fake = links("See [the guide](docs/no-such-page.md) and [the API](https://example.org/x) and `[x](y.md)`.");
    expect(fake).toEqual(["docs/no-such-page.md"]);
    expect(existsSync(join(repo, fake[0] ?? ""))).toBe(false);
  });
});
