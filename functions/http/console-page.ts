/**
 * The registrar's console served at `GET /console`: one static HTML document whose inline script (allowed by its
 * SHA-256, like the verifier page's) signs in with an issuer token kept in `sessionStorage` (never in a URL), reads a
 * spreadsheet the registrar chooses (CSV as text, XLSX as base64), shows the dry run (`POST /v1/jobs` with
 * `options.dryRun`: which column went where, each row's values, Annex I and conformance), issues it as a job with a
 * progress bar fed by `GET /v1/jobs/{id}`, offers the results (JSON Lines) and the row errors (CSV) as downloads, and
 * makes an OpenID4VCI offer for the first row, shown as a QR code (`POST /console/qr`, drawn by the `qrcode` library
 * on the gateway, since the library ships no browser build). Results are rendered with `textContent` only.
 */
import { inlinePageCsp } from "./page-csp.js";

export const CONSOLE_PAGE_STYLE = `
:root { color-scheme: light; --focus: #1f6feb; --ok: #1a7f37; --error: #a31515; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 64rem; padding: 1rem 1.25rem 3rem; color: #1b1b1b; background: #fff; }
h1 { font-size: 1.6rem; margin: .5rem 0; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
input[type=password], input[type=text], select { font: inherit; padding: .35rem .5rem; width: 100%; max-width: 32rem; border: 1px solid #555; border-radius: .3rem; }
button { font: inherit; padding: .45rem 1.2rem; border-radius: .4rem; border: 1px solid #1f6feb; background: #1f6feb; color: #fff; cursor: pointer; margin-top: .75rem; }
button:disabled { background: #6b6b6b; border-color: #6b6b6b; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #ccc; overflow-wrap: break-word; }
.ok { color: var(--ok); font-weight: 600; }
.error { color: var(--error); font-weight: 600; }
progress { width: 100%; max-width: 32rem; height: 1.25rem; }
.downloads a { display: inline-block; margin: .5rem 1rem .5rem 0; font-weight: 600; color: #0b57d0; }
#offer-uri { font: 12px/1.4 ui-monospace, monospace; overflow-wrap: anywhere; }
#who { overflow-wrap: anywhere; }
#offer-qr { width: 16rem; height: 16rem; image-rendering: pixelated; border: 1px solid #ccc; }
.table-wrap { overflow-x: auto; }
[hidden] { display: none !important; }
`;

export const CONSOLE_PAGE_SCRIPT = `
"use strict";
(function () {
  var KEY = "gateway-console";
  var $ = function (id) { return document.getElementById(id); };
  var session = null;
  var sheet = null;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function say(id, text, bad) {
    var node = $(id);
    node.textContent = text;
    node.className = bad ? "error" : "";
  }
  async function call(method, path, json) {
    var headers = { authorization: "Bearer " + session.token, accept: "application/json" };
    if (json !== undefined) headers["content-type"] = "application/json";
    var response = await fetch(path, { method: method, headers: headers, body: json === undefined ? undefined : JSON.stringify(json) });
    var text = await response.text();
    var body = null;
    try { body = JSON.parse(text); } catch (e) { body = text; }
    if (!response.ok) {
      var detail = body && body.detail ? body.detail : (body && body.title) || ("HTTP " + response.status);
      var err = new Error(detail);
      err.status = response.status;
      throw err;
    }
    return body;
  }

  function signedIn() {
    $("sign-in-section").hidden = true;
    $("work").hidden = false;
    $("who").textContent = session.name + " (" + session.issuer + ")";
  }
  async function signIn(token, issuer) {
    session = { token: token, issuer: issuer };
    try {
      var record = await call("GET", "/v1/issuers/" + encodeURIComponent(issuer));
      session.name = record.name || issuer;
      session.slug = record.slug || issuer;
      sessionStorage.setItem(KEY, JSON.stringify(session));
      signedIn();
    } catch (e) {
      session = null;
      say("sign-in-status", "Sign-in failed: " + e.message, true);
    }
  }
  $("sign-in-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var token = $("token").value.trim();
    var issuer = $("issuer").value.trim();
    if (!token || !issuer) { say("sign-in-status", "Enter the issuer's token and id.", true); return; }
    signIn(token, issuer);
  });
  $("sign-out").addEventListener("click", function () {
    sessionStorage.removeItem(KEY);
    session = null;
    $("work").hidden = true;
    $("sign-in-section").hidden = false;
    $("token").value = "";
  });

  function readSheet(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      var xlsx = /\\.xlsx$/i.test(file.name);
      reader.onerror = function () { reject(reader.error); };
      reader.onload = function () {
        if (xlsx) resolve({ from: "xlsx", document: String(reader.result).replace(/^data:[^,]*,/, ""), name: file.name });
        else resolve({ from: "csv", document: String(reader.result), name: file.name });
      };
      if (xlsx) reader.readAsDataURL(file); else reader.readAsText(file);
    });
  }
  function job(dryRun) {
    var options = { issuer: session.issuer, format: $("format").value };
    if (dryRun) options.dryRun = true;
    return { from: sheet.from, document: sheet.document, options: options };
  }
  function table(headers, rows, rowTestId) {
    var wrap = el("div", null, "table-wrap");
    var t = el("table");
    var tr = el("tr");
    headers.forEach(function (h) { var th = el("th", h); th.scope = "col"; tr.appendChild(th); });
    var head = el("thead"); head.appendChild(tr); t.appendChild(head);
    var body = el("tbody");
    rows.forEach(function (cells) {
      var row = el("tr");
      if (rowTestId) row.setAttribute("data-testid", rowTestId);
      cells.forEach(function (c) { row.appendChild(typeof c === "object" && c !== null ? c : el("td", c)); });
      body.appendChild(row);
    });
    t.appendChild(body);
    wrap.appendChild(t);
    return wrap;
  }
  function verdictCell(ok, yes, no) { return el("td", ok ? yes : no, ok ? "ok" : "error"); }

  async function preview() {
    say("preview-status", "Reading " + sheet.name + "…");
    $("preview").replaceChildren();
    $("issue").disabled = true;
    try {
      var p = await call("POST", "/v1/jobs", job(true));
      var nodes = [];
      if (p.profile) {
        nodes.push(el("h3", "Columns (read as " + p.profile.name + ")"));
        nodes.push(table(["Column", "Field"], Object.keys(p.profile.columns).map(function (h) { return [h, p.profile.columns[h]]; })));
      }
      if (p.unmapped && p.unmapped.length) nodes.push(el("p", "Columns not used: " + p.unmapped.join(", ")));
      nodes.push(el("p", p.total + " rows: " + p.issuable + " can be issued, " + p.failed + " cannot."));
      nodes.push(table(["Row", "Title", "Learner", "Awarding body", "Credits", "Annex I", "Conformance", "Errors"],
        p.rows.map(function (r) {
          var v = r.values || {};
          return [String(r.row), v.title || "", v.learner || "", v.awardingBody || "", v.ects ? v.ects + " ECTS" : "",
            r.annex1 ? verdictCell(r.annex1.compliant, "complete", "missing " + r.annex1.missing.join(", ")) : "",
            r.conformance ? verdictCell(r.conformance.ok, "conforms", r.conformance.detail) : "",
            el("td", (r.errors || []).map(function (e) { return (e.path ? e.path + ": " : "") + e.message; }).join("; "), r.errors && r.errors.length ? "error" : "")];
        }), "preview-row"));
      $("preview").replaceChildren.apply($("preview"), nodes);
      say("preview-status", "Preview of " + sheet.name + " (nothing signed or stored).");
      $("issue").disabled = p.issuable === 0;
    } catch (e) {
      say("preview-status", "The sheet could not be read: " + e.message, true);
    }
  }
  $("file").addEventListener("change", async function () {
    var f = $("file").files && $("file").files[0];
    if (!f) return;
    sheet = await readSheet(f);
    preview();
  });
  $("format").addEventListener("change", function () { if (sheet) preview(); });

  function download(id, name, type, text) {
    var a = $(id);
    if (a.href) URL.revokeObjectURL(a.href);
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = name;
    a.hidden = false;
  }
  function csvCell(s) { s = String(s); return /[",\\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; }
  async function finished(id) {
    var response = await fetch("/v1/jobs/" + encodeURIComponent(id) + "/results", { headers: { authorization: "Bearer " + session.token } });
    var text = await response.text();
    download("results-download", "results-" + id + ".jsonl", "application/jsonl", text);
    var lines = text.split("\\n").filter(Boolean).map(function (l) { try { return JSON.parse(l); } catch (e) { return null; } }).filter(Boolean);
    var errors = ["row,error"];
    lines.forEach(function (l) {
      if (l.error || l.errors) {
        var list = l.errors || [l.error];
        list.forEach(function (e) { errors.push(csvCell(l.row) + "," + csvCell(typeof e === "string" ? e : (e.message || e.detail || JSON.stringify(e)))); });
      }
    });
    download("errors-download", "row-errors-" + id + ".csv", "text/csv", errors.join("\\n") + "\\n");
  }
  async function issue() {
    $("issue").disabled = true;
    $("results-download").hidden = true;
    $("errors-download").hidden = true;
    try {
      var created = await call("POST", "/v1/jobs", job(false));
      var bar = $("progress");
      bar.hidden = false;
      for (;;) {
        var s = await call("GET", "/v1/jobs/" + encodeURIComponent(created.id));
        var total = s.total || 0;
        var seen = (s.done || 0) + (s.failed || 0);
        bar.max = total || 1;
        bar.value = seen;
        var percent = total ? Math.round((100 * seen) / total) : 0;
        say("job-status", s.status + ": " + seen + " of " + total + " rows (" + percent + "%), " + (s.failed || 0) + " failed");
        if (/^completed/.test(s.status) || s.status === "failed") break;
        await new Promise(function (r) { setTimeout(r, 400); });
      }
      await finished(created.id);
    } catch (e) {
      say("job-status", "The job could not be run: " + e.message, true);
    } finally {
      $("issue").disabled = false;
    }
  }
  $("issue").addEventListener("click", issue);

  async function offer() {
    say("offer-status", "Making an offer for the first row…");
    try {
      var to = $("format").value === "elm" ? "elm" : "ob3";
      var converted = await fetch("/v1/convert", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ from: sheet.from, to: to, document: sheet.document }) }).then(function (r) { return r.json(); });
      var first = converted.results && converted.results[0];
      if (!first) throw new Error("no row of the sheet converts");
      var made = await call("POST", "/v1/issuers/" + encodeURIComponent(session.slug) + "/offers",
        { credential: first.document, configuration: to === "elm" ? "EuropeanDigitalCredential_jades" : "OpenBadgeCredential_ldp_vc" });
      var svg = await fetch("/console/qr", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: made.offerUri }) }).then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.text(); });
      var img = $("offer-qr");
      img.src = "data:image/svg+xml;base64," + btoa(svg);
      img.hidden = false;
      $("offer-uri").textContent = made.offerUri;
      say("offer-status", "Scan this with a wallet (valid until " + new Date(made.expiresAt).toLocaleString() + ").");
    } catch (e) {
      say("offer-status", "No offer: " + e.message, true);
    }
  }
  $("offer").addEventListener("click", function () { if (sheet) offer(); else say("offer-status", "Choose a sheet first.", true); });

  try {
    var kept = JSON.parse(sessionStorage.getItem(KEY) || "null");
    if (kept && kept.token && kept.issuer) { session = kept; signedIn(); }
  } catch (e) { sessionStorage.removeItem(KEY); }
})();
`;

/** The console's policy: its own inline script and style, fetches to the gateway, data: images (the QR code). */
export const CONSOLE_PAGE_CSP = inlinePageCsp(CONSOLE_PAGE_SCRIPT, CONSOLE_PAGE_STYLE);

export const CONSOLE_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Registrar's console</title>
<style>${CONSOLE_PAGE_STYLE}</style>
</head>
<body>
<header><h1>Registrar's console</h1></header>
<main>
<section id="sign-in-section" aria-labelledby="sign-in-heading">
<h2 id="sign-in-heading">Sign in</h2>
<form id="sign-in-form" novalidate>
<label for="issuer">Issuer (id or slug)</label>
<input id="issuer" data-testid="issuer" type="text" autocomplete="username" spellcheck="false">
<label for="token">Issuer token</label>
<input id="token" data-testid="token" type="password" autocomplete="current-password">
<button id="sign-in" data-testid="sign-in" type="submit">Sign in</button>
<p id="sign-in-status" role="status" aria-live="polite"></p>
</form>
<p>The token stays in this tab's session storage and is sent only to this gateway.</p>
</section>
<section id="work" hidden aria-label="Issuing">
<p>Signed in as <strong id="who"></strong>. <button id="sign-out" type="button">Sign out</button></p>
<h2>1. A spreadsheet</h2>
<label for="file">Spreadsheet (CSV or XLSX)</label>
<input id="file" data-testid="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet">
<label for="format">Issue as</label>
<select id="format"><option value="ob3">Open Badges 3.0</option><option value="elm">European Digital Credential (ELM)</option></select>
<h2>2. Preview (dry run)</h2>
<p id="preview-status" role="status" aria-live="polite"></p>
<div id="preview"></div>
<h2>3. Issue</h2>
<button id="issue" data-testid="issue" type="button" disabled>Issue every row as a job</button>
<div><label for="progress">Progress</label><progress id="progress" data-testid="progress" max="1" value="0" hidden></progress></div>
<p id="job-status" data-testid="job-status" role="status" aria-live="polite"></p>
<p class="downloads"><a id="results-download" data-testid="results-download" hidden>Download the results (JSON Lines)</a>
<a id="errors-download" data-testid="errors-download" hidden>Download the row errors (CSV)</a></p>
<h2>4. Offer to a wallet (OpenID4VCI)</h2>
<button id="offer" type="button">Make an offer for the first row</button>
<p id="offer-status" role="status" aria-live="polite"></p>
<img id="offer-qr" data-testid="offer-qr" alt="QR code of the credential offer" hidden>
<p id="offer-uri"></p>
</section>
</main>
<script>${CONSOLE_PAGE_SCRIPT}</script>
</body>
</html>
`;

/** The QR code of an OpenID4VCI offer URI as an SVG document (error correction M: a phone camera reads it). */
/** The QR library is loaded on the first QR asked for: the meta function's other routes never pay for it at init. */
export async function offerQrSvg(text: string): Promise<string> {
  const { default: QRCode } = await import("qrcode");
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
}
