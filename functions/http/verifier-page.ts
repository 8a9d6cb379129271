/**
 * The verifier page served at `GET /`: one self-contained HTML document (inline CSS and JS, no external resource) where
 * a person pastes or drops a credential (JSON-LD, a VC-JWT, a JAdES envelope, EDC's upload wrapper) or an Open Badges
 * baked PNG/SVG image (sent as a `data:` URL, shown as a preview through `img-src data:`), the page posts it to
 * `/v1/credentials/verify` and shows every check, the warnings, the credential taken out of a baked image and the
 * Annex I elements. Nothing user-provided is
 * put into the HTML: the page is static, and its script renders results with `textContent` only. The strict
 * Content-Security-Policy allows exactly this inline script and style, by their SHA-256 computed at module load.
 */
import { createHash } from "node:crypto";

/** The inline stylesheet (the text between `<style>` and `</style>`, hashed as is). */
export const VERIFIER_PAGE_STYLE = `
:root { color-scheme: light dark; --ok: #1a7f37; --error: #c62828; --skipped: #6b6b6b; --focus: #1f6feb; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 62rem; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 0; }
p.lead { margin-top: .25rem; }
label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
textarea { width: 100%; min-height: 12rem; font: 13px/1.4 ui-monospace, monospace; padding: .5rem;
  border: 2px dashed #888; border-radius: .5rem; }
textarea.dragging { border-color: var(--focus); background: color-mix(in srgb, var(--focus) 8%, transparent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.row { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; margin-top: .75rem; }
button { font: inherit; padding: .45rem 1.2rem; border-radius: .4rem; border: 1px solid #444; cursor: pointer; }
button[type=submit] { background: var(--focus); color: #fff; border-color: var(--focus); }
.hint { font-size: .9rem; color: var(--skipped); }
#verdict { font-size: 1.3rem; font-weight: 700; margin: 1.5rem 0 .5rem; }
#verdict.ok { color: var(--ok); }
#verdict.error { color: var(--error); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #8884; }
td.status { font-weight: 700; white-space: nowrap; }
.status-ok, .status-present { color: var(--ok); }
.status-error, .status-invalid { color: var(--error); }
.status-skipped, .status-missing { color: var(--skipped); }
td.detail, td.value { word-break: break-word; }
h2 { font-size: 1.15rem; margin: 1.25rem 0 .25rem; }
#image-preview { display: flex; gap: .75rem; align-items: center; margin-top: .5rem; }
#image-preview img { max-width: 6rem; max-height: 6rem; border: 1px solid #8884; border-radius: .3rem; }
pre { white-space: pre-wrap; word-break: break-all; font: 12px/1.4 ui-monospace, monospace; max-height: 24rem;
  overflow: auto; padding: .5rem; border: 1px solid #8884; border-radius: .4rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
[hidden] { display: none !important; }
`;

/** The inline script (the text between `<script>` and `</script>`, hashed as is). No template literals inside. */
export const VERIFIER_PAGE_SCRIPT = `
"use strict";
(function () {
  var form = document.getElementById("verify-form");
  var input = document.getElementById("credential");
  var file = document.getElementById("file");
  var button = document.getElementById("verify-button");
  var clear = document.getElementById("clear-button");
  var status = document.getElementById("status");
  var result = document.getElementById("result");
  var preview = document.getElementById("image-preview");
  // A baked badge chosen or dropped as a file: its data URL, sent instead of the text box while it is loaded.
  var image = null;

  function setImage(name, dataUrl) {
    image = dataUrl;
    if (!dataUrl) { preview.hidden = true; preview.replaceChildren(); return; }
    var img = el("img");
    img.src = dataUrl;
    img.alt = "The badge image " + name;
    preview.replaceChildren(img, el("span", name + " (a baked badge image; its credential is read by the gateway)"));
    preview.hidden = false;
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function table(caption, headers, rows) {
    var t = el("table");
    t.appendChild(el("caption", caption, "visually-hidden"));
    var head = el("thead");
    var tr = el("tr");
    headers.forEach(function (h) { var th = el("th", h); th.scope = "col"; tr.appendChild(th); });
    head.appendChild(tr);
    t.appendChild(head);
    var body = el("tbody");
    rows.forEach(function (cells) {
      var row = el("tr");
      cells.forEach(function (cell) { row.appendChild(el("td", cell.text, cell.className)); });
      body.appendChild(row);
    });
    t.appendChild(body);
    return t;
  }

  function compact(value) {
    if (value === undefined || value === null) return "";
    if (typeof value === "string") return value;
    try { return JSON.stringify(value); } catch (e) { return String(value); }
  }

  function show(nodes) {
    result.replaceChildren.apply(result, nodes);
    result.hidden = false;
  }

  function render(body) {
    var nodes = [];
    var verdict = el("p", body.verified ? "verified" : "not verified", body.verified ? "ok" : "error");
    verdict.id = "verdict";
    nodes.push(verdict);
    var checks = Array.isArray(body.checks) ? body.checks : [];
    nodes.push(el("h2", "Checks"));
    var checksTable = table("Every check with its status and detail", ["Check", "Status", "Detail"],
      checks.map(function (c) {
        return [
          { text: c.check, className: "check" },
          { text: c.status, className: "status status-" + c.status },
          { text: c.detail, className: "detail" }
        ];
      }));
    checksTable.id = "checks";
    nodes.push(checksTable);
    var warnings = Array.isArray(body.warnings) ? body.warnings : [];
    nodes.push(el("h2", "Warnings"));
    if (warnings.length === 0) nodes.push(el("p", "None."));
    else {
      var list = el("ul");
      list.id = "warnings";
      warnings.forEach(function (w) { list.appendChild(el("li", w)); });
      nodes.push(list);
    }
    var trust = checks.filter(function (c) { return c.check === "trust" && Array.isArray(c.findings); })[0];
    if (trust && trust.findings.length > 0) {
      nodes.push(el("h2", "Trust sources"));
      var findings = table("What each trust source said", ["Source", "Status", "Detail"],
        trust.findings.map(function (f) {
          return [
            { text: f.source + (f.scope === "claims" ? " (claims only)" : "") },
            { text: f.status, className: "status status-" + f.status },
            { text: f.detail, className: "detail" }
          ];
        }));
      findings.id = "trust-findings";
      nodes.push(findings);
    }
    var endorsements = Array.isArray(body.endorsements) ? body.endorsements : [];
    if (endorsements.length > 0) {
      nodes.push(el("h2", "Endorsements"));
      var endorsed = table("Each embedded endorsement, verified on its own", ["Where", "Endorser", "Verdict", "Errors"],
        endorsements.map(function (e) {
          return [
            { text: e.at },
            { text: e.endorser || "" },
            { text: e.verified ? "verified" : "not verified", className: "status status-" + (e.verified ? "ok" : "error") },
            { text: (e.errors || []).join("; "), className: "detail" }
          ];
        }));
      endorsed.id = "endorsements";
      nodes.push(endorsed);
    }
    var mc = checks.filter(function (c) { return c.check === "microCredential" && c.report; })[0];
    if (mc) {
      var report = mc.report;
      nodes.push(el("h2", "EU micro-credential elements (Annex I)"));
      var summary = report.microCredential || {};
      nodes.push(el("p", summary.compliant
        ? "Every mandatory element is present."
        : "Not a micro-credential: " + [
            (summary.missing || []).length ? "missing " + summary.missing.join(", ") : "",
            (summary.invalid || []).length ? "invalid " + summary.invalid.join(", ") : ""
          ].filter(Boolean).join("; ") + "."));
      var elements = table("Annex I elements", ["Element", "Required", "Status", "Value"],
        (report.elements || []).map(function (e) {
          return [
            { text: e.element },
            { text: e.required ? "mandatory" : "optional" },
            { text: e.status, className: "status status-" + e.status },
            { text: compact(e.value) + (e.detail ? " (" + e.detail + ")" : ""), className: "value" }
          ];
        }));
      elements.id = "elements";
      nodes.push(elements);
    }
    if (body.baked && typeof body.baked.text === "string") {
      nodes.push(el("h2", "Credential baked into the " + String(body.baked.image).toUpperCase() + " image"));
      var text = body.baked.text;
      if (body.baked.kind === "json") {
        try { text = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { text = body.baked.text; }
      }
      var pre = el("pre", text);
      pre.id = "baked-credential";
      pre.tabIndex = 0;
      pre.setAttribute("aria-label", "The credential baked into the image");
      nodes.push(pre);
    }
    show(nodes);
    status.textContent = (body.verified ? "Verified. " : "Not verified. ") +
      checks.map(function (c) { return c.check + " " + c.status; }).join(", ") + ".";
  }

  function renderProblem(problem, httpStatus) {
    var nodes = [];
    var verdict = el("p", "not checked", "error");
    verdict.id = "verdict";
    nodes.push(verdict);
    var detail = problem && (problem.detail || problem.title) ? (problem.detail || problem.title) : "HTTP " + httpStatus;
    var p = el("p", detail);
    p.id = "problem";
    nodes.push(p);
    show(nodes);
    status.textContent = "The credential could not be checked: " + detail;
  }

  function payloadOf(text) {
    var trimmed = text.trim();
    if (trimmed.charAt(0) === "{") {
      try { return JSON.parse(trimmed); } catch (e) { return trimmed; }
    }
    return trimmed;
  }

  async function verify() {
    var text = image || input.value;
    if (!text.trim()) {
      renderProblem({ detail: "Paste or drop a credential first." }, 0);
      input.focus();
      return;
    }
    button.disabled = true;
    status.textContent = "Checking…";
    try {
      var response = await fetch("/v1/credentials/verify", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ verifiableCredential: image || payloadOf(text) })
      });
      var body = null;
      try { body = await response.json(); } catch (e) { body = null; }
      if (response.ok && body && Array.isArray(body.checks)) render(body);
      else renderProblem(body, response.status);
    } catch (error) {
      renderProblem({ detail: "The gateway could not be reached: " + (error && error.message) }, 0);
    } finally {
      button.disabled = false;
    }
  }

  function readFile(f) {
    if (!f) return;
    var reader = new FileReader();
    var baked = /^image\\/(png|svg\\+xml)$/.test(f.type) || /\\.(png|svg)$/i.test(f.name);
    if (/^image\\//.test(f.type) && !baked) {
      renderProblem({ detail: "Only PNG and SVG badge images can hold a baked credential; " + f.name + " is " + f.type + "." }, 0);
      return;
    }
    reader.onload = function () {
      if (baked) {
        // A file named .png/.svg without a type gets a data URL naming the type the gateway expects.
        var url = String(reader.result).replace(/^data:[^;,]*/, /\\.svg$/i.test(f.name) || f.type === "image/svg+xml"
          ? "data:image/svg+xml" : "data:image/png");
        input.value = "";
        setImage(f.name, url);
      } else {
        setImage(null, null);
        input.value = String(reader.result);
      }
      status.textContent = "Loaded " + f.name + ".";
      verify();
    };
    if (baked) reader.readAsDataURL(f);
    else reader.readAsText(f);
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); verify(); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); verify(); }
  });
  input.addEventListener("input", function () { if (image) setImage(null, null); });
  clear.addEventListener("click", function () {
    setImage(null, null);
    file.value = "";
    input.value = "";
    result.hidden = true;
    result.replaceChildren();
    status.textContent = "Cleared.";
    input.focus();
  });
  file.addEventListener("change", function () { readFile(file.files && file.files[0]); });
  input.addEventListener("dragover", function (event) { event.preventDefault(); input.classList.add("dragging"); });
  input.addEventListener("dragleave", function () { input.classList.remove("dragging"); });
  input.addEventListener("drop", function (event) {
    event.preventDefault();
    input.classList.remove("dragging");
    var dt = event.dataTransfer;
    if (dt && dt.files && dt.files.length > 0) readFile(dt.files[0]);
    else if (dt) { input.value = dt.getData("text/plain"); verify(); }
  });
})();
`;

const sha256 = (text: string): string => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/** The Content-Security-Policy of the page: nothing but its own inline script and style, and fetches to itself. */
export const VERIFIER_PAGE_CSP = [
  "default-src 'none'",
  `script-src 'self' ${sha256(VERIFIER_PAGE_SCRIPT)}`,
  `style-src 'self' ${sha256(VERIFIER_PAGE_STYLE)}`,
  "connect-src 'self'",
  "img-src data:",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

/** The page. Static: the same bytes for every request. */
export const VERIFIER_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Verify a learning credential</title>
<style>${VERIFIER_PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>Verify a learning credential</h1>
<p class="lead">Open Badges 3.0 and European Digital Credentials: JSON-LD, VC-JWT, a JAdES-sealed envelope or an Open
Badges baked PNG/SVG image.
The credential is sent to this gateway's verifier, which checks its format, proof, validity, status, issuer and the
EU micro-credential elements.</p>
</header>
<main>
<form id="verify-form" novalidate>
<label for="credential">Credential (paste it here, or drop a file on this box)</label>
<textarea id="credential" name="credential" spellcheck="false" autocomplete="off" aria-describedby="credential-hint"></textarea>
<p id="credential-hint" class="hint">Ctrl+Enter verifies. Nothing is stored.</p>
<div class="row">
<label for="file">Or choose a file</label>
<input id="file" type="file" accept=".json,.jsonld,.jwt,.txt,.png,.svg,application/json,application/ld+json,text/plain,image/png,image/svg+xml">
</div>
<div id="image-preview" hidden></div>
<div class="row">
<button id="verify-button" type="submit">Verify</button>
<button id="clear-button" type="button">Clear</button>
</div>
</form>
<p id="status" class="visually-hidden" role="status" aria-live="polite"></p>
<section id="result" aria-live="polite" aria-label="Verification result" hidden></section>
</main>
<script>${VERIFIER_PAGE_SCRIPT}</script>
</body>
</html>
`;
