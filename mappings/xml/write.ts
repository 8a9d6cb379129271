/**
 * A tiny XML serializer for the gateway's XML writers: elements, attributes and text, escaped so that any string a
 * credential holds (markup characters, quotes, line breaks in attributes) stays data, and characters XML 1.0 cannot
 * hold at all (most C0 controls, unpaired surrogates, U+FFFE/U+FFFF) are dropped rather than written.
 */

/** An element: a name (with its prefix, if any), attributes in order, and children (elements or text). */
export interface XmlOut {
  name: string;
  attrs?: Record<string, string | undefined>;
  children?: (XmlOut | string | undefined)[];
}

/** Characters XML 1.0 does not allow in a document, even escaped. */
const INVALID =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters removed.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text content: `&`, `<`, `>` escaped (and a carriage return, which parsers would otherwise normalise away). */
export function escapeText(s: string): string {
  return s
    .replace(INVALID, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r/g, "&#xD;");
}

/** An attribute value (double-quoted): also quotes and the whitespace that attribute normalisation would change. */
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, "&quot;").replace(/\n/g, "&#xA;").replace(/\t/g, "&#x9;");
}

/** An element. */
export function el(name: string, children: XmlOut["children"] = [], attrs?: XmlOut["attrs"]): XmlOut {
  return attrs ? { name, attrs, children } : { name, children };
}

/** A text-only element, or undefined when the text is absent. */
export function textEl(name: string, text: string | undefined, attrs?: XmlOut["attrs"]): XmlOut | undefined {
  return text === undefined ? undefined : el(name, [text], attrs);
}

type Step = { el: XmlOut; depth: number } | { close: string; depth: number } | { text: string; depth: number };

/** Serialises an element tree as an XML document (UTF-8 declaration, two-space indentation where no text is mixed). */
export function serializeXml(root: XmlOut): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  // Iterative, so that deep trees cannot exhaust the stack.
  const stack: Step[] = [{ el: root, depth: 0 }];
  while (stack.length > 0) {
    const step = stack.pop();
    if (step === undefined) break;
    const indent = "  ".repeat(step.depth);
    if ("close" in step) {
      out.push(`${indent}</${step.close}>\n`);
      continue;
    }
    if ("text" in step) {
      out.push(`${indent}${escapeText(step.text)}\n`);
      continue;
    }
    const item = step.el;
    const attrs = Object.entries(item.attrs ?? {})
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
      .join("");
    const children = (item.children ?? []).filter((c): c is XmlOut | string => c !== undefined);
    if (children.length === 0) {
      out.push(`${indent}<${item.name}${attrs}/>\n`);
    } else if (children.every((c): c is string => typeof c === "string")) {
      out.push(`${indent}<${item.name}${attrs}>${children.map(escapeText).join("")}</${item.name}>\n`);
    } else {
      out.push(`${indent}<${item.name}${attrs}>\n`);
      stack.push({ close: item.name, depth: step.depth });
      for (const c of [...children].reverse()) {
        stack.push(typeof c === "string" ? { text: c, depth: step.depth + 1 } : { el: c, depth: step.depth + 1 });
      }
    }
  }
  return out.join("");
}
