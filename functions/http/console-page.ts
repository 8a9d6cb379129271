/**
 * The registrar's console served at `GET /console`: one static HTML document whose inline script (allowed by its
 * SHA-256, like the verifier page's) signs in with an issuer token kept in `sessionStorage` (never in a URL) and does
 * everything through the public API with that token: the dry run of a spreadsheet (`POST /v1/jobs` with
 * `options.dryRun`) with a field dropdown per column that re-runs it with `options.columns`; the job with a progress
 * bar (`GET /v1/jobs/{id}`) and its row errors listed as the results route has them; the results (JSON Lines) and row
 * errors (CSV) as downloads; each issued credential's revocation and, sealed ELM, its delivery to a Europass wallet; the
 * issuer's profile (keys, certificates, CSR downloads); an OpenID4VCI offer for a chosen row as a QR code (`POST
 * /console/qr`, drawn by the `qrcode` library on the gateway, which ships no browser build). English and German word
 * tables, the browser's language first, with a switch. Results are rendered with `textContent` only.
 */
import { CANONICAL_FIELDS } from "../../mappings/spreadsheet/canonical-fields.js";
import { CONSOLE_WORDS, FIELD_WORDS } from "./console-words.js";
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
.lang { float: right; }
.lang label { display: inline; margin-right: .4rem; }
.lang select { width: auto; }
pre { font: 12px/1.4 ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
details { margin: 1rem 0; }
summary { cursor: pointer; font-weight: 600; }
td select { width: auto; max-width: 100%; }
#offer-qr { width: 16rem; height: 16rem; image-rendering: pixelated; border: 1px solid #ccc; }
.table-wrap { overflow-x: auto; }
[hidden] { display: none !important; }
`;

export const CONSOLE_PAGE_SCRIPT = `
"use strict";
(function () {
  var KEY = "gateway-console";
  var FIELDS = ${JSON.stringify(CANONICAL_FIELDS)};
  var FIELD_WORDS = ${JSON.stringify(FIELD_WORDS)};
  var $ = function (id) { return document.getElementById(id); };
  // The console's words, one table per language; the browser's language picks one, the switch changes it.
  var WORDS = ${JSON.stringify(CONSOLE_WORDS)};
  var lang = (navigator.language || "en").slice(0, 2).toLowerCase();
  if (!WORDS[lang]) lang = "en";
  function t(key) {
    var args = Array.prototype.slice.call(arguments, 1);
    var text = WORDS[lang][key] || WORDS.en[key] || key;
    return text.replace(/\\{(\\d)\\}/g, function (m, i) { return String(args[Number(i)]); });
  }

  var session = null;
  var sheet = null;
  var columns = {};
  var lastPreview = null;
  var lastHeaders = [];
  var issuedRows = [];
  var rowErrors = {};
  var profile = null;
  var statuses = {};

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  // A status line in the page's words: kept as its key and values, so that the language switch says it again.
  function say(id, key, args, bad) {
    statuses[id] = [key, args || [], bad];
    var node = $(id);
    node.textContent = key ? t.apply(null, [key].concat(args || [])) : "";
    node.className = bad ? "error" : "";
  }
  function applyLanguage() {
    document.documentElement.lang = lang;
    $("language").value = lang;
    document.querySelectorAll("[data-i18n]").forEach(function (node) { node.textContent = t(node.getAttribute("data-i18n")); });
    $("offer-qr").alt = t("qrAlt");
    document.title = t("heading");
    Object.keys(statuses).forEach(function (id) { var s = statuses[id]; say(id, s[0], s[1], s[2]); });
    if (lastPreview || lastHeaders.length) renderPreview(lastPreview);
    renderRowErrors();
    renderIssued();
    if (profile) renderProfile();
  }
  $("language").addEventListener("change", function () { lang = $("language").value; applyLanguage(); });

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
      say("sign-in-status", "signInFailed", [e.message], true);
    }
  }
  $("sign-in-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var token = $("token").value.trim();
    var issuer = $("issuer").value.trim();
    if (!token || !issuer) { say("sign-in-status", "enterBoth", [], true); return; }
    signIn(token, issuer);
  });
  $("sign-out").addEventListener("click", function () {
    sessionStorage.removeItem(KEY);
    session = null;
    $("work").hidden = true;
    $("sign-in-section").hidden = false;
    $("token").value = "";
  });

  // A wide table scrolls in its own region: focusable and named, so that a keyboard can scroll it too.
  function table(headers, rows, rowTestId, label) {
    var wrap = el("div", null, "table-wrap");
    wrap.tabIndex = 0;
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", label || headers.join(", "));
    var tbl = el("table");
    var tr = el("tr");
    headers.forEach(function (h) { var th = el("th", h); th.scope = "col"; tr.appendChild(th); });
    var head = el("thead"); head.appendChild(tr); tbl.appendChild(head);
    var body = el("tbody");
    rows.forEach(function (cells) {
      var row = el("tr");
      if (rowTestId) row.setAttribute("data-testid", rowTestId);
      cells.forEach(function (c) { row.appendChild(typeof c === "object" && c !== null ? c : el("td", c)); });
      body.appendChild(row);
    });
    tbl.appendChild(body);
    wrap.appendChild(tbl);
    return wrap;
  }
  function cell(node) { var td = el("td"); td.appendChild(node); return td; }
  function verdictCell(ok, yes, no) { return el("td", ok ? yes : no, ok ? "ok" : "error"); }
  function download(name, type, text) {
    var a = el("a");
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  function offerLink(id, name, type, text) {
    var a = $(id);
    if (a.href) URL.revokeObjectURL(a.href);
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = name;
    a.hidden = false;
  }

  // ---- Issuer profile: GET /v1/issuers/{id} (keys, certificates), the CSR route, the published DID and JWKS.
  function renderProfile() {
    var p = profile;
    var nodes = [];
    var facts = el("dl");
    [["did", p.id], ["name", p.name], ["country", p.country]].forEach(function (f) {
      facts.appendChild(el("dt", t(f[0]))); facts.appendChild(el("dd", f[1]));
    });
    [["didDocument", p.didDocumentUrl], ["jwks", p.jwksUrl]].forEach(function (f) {
      if (!f[1]) return;
      facts.appendChild(el("dt", t(f[0])));
      var dd = el("dd"); var a = el("a", f[1]); a.href = f[1]; dd.appendChild(a); facts.appendChild(dd);
    });
    nodes.push(facts);
    nodes.push(el("h3", t("keysHeading")));
    nodes.push(table([t("keyId"), t("keyType"), t("algorithms"), t("publicJwk")], (p.keys || []).map(function (k) {
      var pre = el("pre", JSON.stringify(k.publicKeyJwk, null, 2));
      pre.setAttribute("data-testid", "key-jwk");
      return [k.id, k.type, (k.algorithms || []).join(", "), cell(pre)];
    }), "key-row", t("keysHeading")));
    nodes.push(el("h3", t("certsHeading")));
    if (!p.certificates || !p.certificates.length) nodes.push(el("p", t("noCerts")));
    else nodes.push(table([t("certKey"), t("qualified"), t("validUntil"), t("chain")], p.certificates.map(function (c, i) {
      var b = el("button", t("downloadPem"));
      b.type = "button";
      b.setAttribute("data-testid", "certificate-download");
      b.addEventListener("click", function () {
        download("certificate-" + (i + 1) + ".pem", "application/x-pem-file", (c.chain || []).map(pem).join(""));
      });
      return [c.key, c.qualified ? t("yes") : t("no"), new Date(c.notAfter).toLocaleDateString(lang), cell(b)];
    }), "certificate-row", t("certsHeading")));
    nodes.push(el("h3", t("csrHeading")));
    var bar = el("p");
    [["csrRsa", "", "csr-download"], ["csrP256", "?key=p256", "csr-download-p256"]].forEach(function (c) {
      var b = el("button", t(c[0]));
      b.type = "button";
      b.setAttribute("data-testid", c[2]);
      b.addEventListener("click", function () { csr(c[1]); });
      bar.appendChild(b);
      bar.appendChild(document.createTextNode(" "));
    });
    nodes.push(bar);
    $("profile").replaceChildren.apply($("profile"), nodes);
  }
  function pem(der) {
    if (/^-----BEGIN/.test(der)) return der.trim() + "\\n";
    var lines = der.replace(/\\s+/g, "").match(/.{1,64}/g) || [];
    return "-----BEGIN CERTIFICATE-----\\n" + lines.join("\\n") + "\\n-----END CERTIFICATE-----\\n";
  }
  async function csr(query) {
    try {
      var response = await fetch("/v1/issuers/" + encodeURIComponent(session.issuer) + "/csr" + query, { headers: { authorization: "Bearer " + session.token } });
      var text = await response.text();
      if (!response.ok) { var body = {}; try { body = JSON.parse(text); } catch (e) { body = {}; } throw new Error(body.detail || ("HTTP " + response.status)); }
      download(session.slug + (query ? "-p256" : "-rsa") + ".csr", "application/pkcs10", text);
      say("profile-status", "", []);
    } catch (e) {
      say("profile-status", "csrFailed", [e.message], true);
    }
  }
  $("profile-show").addEventListener("click", async function () {
    try {
      profile = await call("GET", "/v1/issuers/" + encodeURIComponent(session.issuer));
      renderProfile();
    } catch (e) {
      say("profile-status", "profileFailed", [e.message], true);
    }
  });

  // ---- The sheet and its dry run, with the registrar's column mapping (options.columns).
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
  // A CSV's header cells (RFC 4180 quoting), so that a sheet the reader refuses can still have its columns mapped.
  function csvHeaders(text) {
    var line = text.replace(/^\\uFEFF/, "").split(/\\r?\\n/)[0] || "";
    var delimiter = (line.split(";").length > line.split(",").length) ? ";" : ",";
    var cells = []; var cur = ""; var quoted = false;
    for (var i = 0; i < line.length; i++) {
      var ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
        else if (ch === '"') quoted = false;
        else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === delimiter) { cells.push(cur.trim()); cur = ""; }
      else cur += ch;
    }
    cells.push(cur.trim());
    return cells.filter(function (c) { return c !== ""; });
  }
  function readerOptions() {
    return Object.keys(columns).length ? { columns: columns } : {};
  }
  function job(dryRun) {
    var options = Object.assign({ issuer: session.issuer, format: $("format").value }, readerOptions());
    if (dryRun) options.dryRun = true;
    return { from: sheet.from, document: sheet.document, options: options };
  }
  function fieldSelect(header, current) {
    var select = el("select");
    select.setAttribute("data-testid", "column-field");
    select.setAttribute("data-header", header);
    select.setAttribute("aria-label", t("fieldFor", header));
    var none = el("option", t("notMapped")); none.value = ""; select.appendChild(none);
    FIELDS.forEach(function (f) { var o = el("option", ((FIELD_WORDS[lang] || {})[f] || FIELD_WORDS.en[f] || f) + " (" + f + ")"); o.value = f; select.appendChild(o); });
    var ig = el("option", t("ignore")); ig.value = "ignore"; select.appendChild(ig);
    select.value = current || "";
    select.addEventListener("change", function () {
      if (select.value === "") delete columns[header]; else columns[header] = select.value;
      preview();
    });
    return select;
  }
  function renderPreview(p) {
    var nodes = [];
    var mapped = (p && p.profile && p.profile.columns) || {};
    var ignored = (p && p.ignored) || [];
    var headers = lastHeaders.slice();
    Object.keys(mapped).concat((p && p.unmapped) || [], ignored).forEach(function (h) { if (headers.indexOf(h) < 0) headers.push(h); });
    if (headers.length) {
      nodes.push(el("h3", p && p.profile ? t("columnsHeading", p.profile.name) : t("columnsHeadingUnread")));
      nodes.push(el("p", t("columnsHint")));
      nodes.push(table([t("column"), t("field")], headers.map(function (h) {
        var current = columns[h] || mapped[h] || (ignored.indexOf(h) >= 0 ? "ignore" : "");
        return [h, cell(fieldSelect(h, current))];
      }), "column-row", t("columnsHeadingUnread")));
    }
    if (p) {
      nodes.push(el("p", t("rowsSummary", p.total, p.issuable, p.failed)));
      nodes.push(table([t("row"), t("title"), t("learner"), t("awardingBody"), t("credits"), t("annex1"), t("conformance"), t("errors")],
        p.rows.map(function (r) {
          var v = r.values || {};
          return [String(r.row), v.title || "", v.learner || "", v.awardingBody || "", v.ects ? v.ects + " ECTS" : "",
            r.annex1 ? verdictCell(r.annex1.compliant, t("complete"), t("missing", r.annex1.missing.join(", "))) : "",
            r.conformance ? verdictCell(r.conformance.ok, t("conforms"), r.conformance.detail) : "",
            el("td", (r.errors || []).map(function (e) { return (e.path ? e.path + ": " : "") + e.message; }).join("; "), r.errors && r.errors.length ? "error" : "")];
        }), "preview-row", t("previewHeading")));
    }
    $("preview").replaceChildren.apply($("preview"), nodes);
  }
  async function preview() {
    say("preview-status", "reading", [sheet.name]);
    $("issue").disabled = true;
    try {
      var p = await call("POST", "/v1/jobs", job(true));
      lastPreview = p;
      renderPreview(p);
      say("preview-status", "previewOf", [sheet.name]);
      $("issue").disabled = p.issuable === 0;
    } catch (e) {
      lastPreview = null;
      renderPreview(null);
      say("preview-status", "unreadable", [e.message], true);
    }
  }
  $("file").addEventListener("change", async function () {
    var f = $("file").files && $("file").files[0];
    if (!f) return;
    sheet = await readSheet(f);
    columns = {};
    lastHeaders = sheet.from === "csv" ? csvHeaders(sheet.document) : [];
    preview();
  });
  $("format").addEventListener("change", function () { if (sheet) preview(); });

  // ---- The job: progress, row errors as they are written (GET /v1/jobs/{id}/results), then each issued credential.
  function csvCell(s) { s = String(s); return /[",\\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; }
  function errorText(l) {
    var list = l.errors || [l.error];
    return list.map(function (e) { return typeof e === "string" ? e : ((e.path ? e.path + ": " : "") + (e.message || e.detail || JSON.stringify(e))); }).join("; ");
  }
  async function resultLines(id) {
    var lines = [];
    var cursor = null;
    for (var page = 0; page < 50; page++) {
      var response = await fetch("/v1/jobs/" + encodeURIComponent(id) + "/results?limit=1000" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""),
        { headers: { authorization: "Bearer " + session.token } });
      if (!response.ok) break;
      var text = await response.text();
      text.split("\\n").forEach(function (l) { if (l) { try { lines.push(JSON.parse(l)); } catch (e) { return; } } });
      cursor = response.headers.get("next-cursor");
      if (!cursor) break;
    }
    return lines;
  }
  function renderRowErrors() {
    var list = $("row-errors");
    var rows = Object.keys(rowErrors).map(Number).sort(function (a, b) { return a - b; });
    list.replaceChildren.apply(list, rows.map(function (r) {
      var li = el("li", t("rowError", r, rowErrors[r]));
      li.setAttribute("data-testid", "row-error");
      return li;
    }));
    $("row-errors-section").hidden = rows.length === 0;
  }
  function showErrors(lines) {
    lines.forEach(function (l) { if ((l.error || l.errors) && rowErrors[l.row] === undefined) rowErrors[l.row] = errorText(l); });
    renderRowErrors();
  }
  function credentialOf(l) {
    var vc = l.verifiableCredential;
    if (!vc) return null;
    var payload = null;
    if (typeof vc.payload === "string") { try { payload = JSON.parse(vc.payload); } catch (e) { payload = null; } }
    var doc = payload || vc;
    var status = [].concat(doc.credentialStatus || []).find(function (s) { return s.statusPurpose === "revocation"; });
    return { row: l.row, vc: vc, id: doc.id, sealed: payload !== null, revocable: Boolean(status), state: ["issued", []] };
  }
  function learnerOf(row) {
    var r = lastPreview && (lastPreview.rows || []).find(function (x) { return x.row === row; });
    return r && r.values ? r.values : {};
  }
  function renderIssued() {
    $("issued-section").hidden = issuedRows.length === 0;
    $("issued").replaceChildren(table([t("row"), t("learner"), t("credential"), t("state"), t("actions")], issuedRows.map(function (c) {
      var actions = el("td");
      if (c.revocable) {
        var b = el("button", c.confirming ? t("revokeConfirm", c.row) : t("revoke"));
        b.type = "button";
        b.setAttribute("data-testid", c.confirming ? "revoke-confirm" : "revoke");
        b.disabled = c.state[0] === "revoked";
        b.addEventListener("click", function () { if (c.confirming) revoke(c); else { c.confirming = true; renderIssued(); } });
        actions.appendChild(b);
      }
      var email = learnerOf(c.row).email;
      if (c.sealed && email) {
        var d = el("button", t("deliver"));
        d.type = "button";
        d.setAttribute("data-testid", "deliver");
        d.addEventListener("click", function () { deliver(c, email); });
        actions.appendChild(d);
      }
      var state = el("td", t.apply(null, [c.state[0]].concat(c.state[1])), c.state[2] ? "error" : "");
      state.setAttribute("data-testid", "issued-state");
      return [String(c.row), learnerOf(c.row).learner || "", c.id || "", state, actions];
    }), "issued-row", t("issuedHeading")));
  }
  async function revoke(c) {
    c.confirming = false;
    try {
      var r = await call("POST", "/v1/credentials/" + encodeURIComponent(c.id) + "/revoke", { action: "revoke" });
      c.state = [r.status === "revoked" ? "revoked" : r.status, []];
    } catch (e) {
      c.state = ["revokeFailed", [e.message], true];
    }
    renderIssued();
  }
  async function deliver(c, email) {
    c.state = ["delivering", [email]];
    renderIssued();
    try {
      var made = await call("POST", "/v1/deliveries", { credential: c.vc, recipient: { email: email } });
      for (var i = 0; i < 120; i++) {
        var d = await call("GET", "/v1/deliveries/" + encodeURIComponent(made.id));
        if (d.status === "delivered") { c.state = ["delivered", [email]]; break; }
        if (d.status === "failed") { c.state = ["deliveryFailed", [d.lastError || d.status], true]; break; }
        await new Promise(function (r) { setTimeout(r, 500); });
      }
    } catch (e) {
      c.state = ["deliveryFailed", [e.message], true];
    }
    renderIssued();
  }
  async function finished(id) {
    var lines = await resultLines(id);
    offerLink("results-download", "results-" + id + ".jsonl", "application/jsonl", lines.map(function (l) { return JSON.stringify(l) + "\\n"; }).join(""));
    showErrors(lines);
    var errors = ["row,error"];
    Object.keys(rowErrors).map(Number).sort(function (a, b) { return a - b; }).forEach(function (r) { errors.push(csvCell(r) + "," + csvCell(rowErrors[r])); });
    offerLink("errors-download", "row-errors-" + id + ".csv", "text/csv", errors.join("\\n") + "\\n");
    issuedRows = lines.map(credentialOf).filter(Boolean).sort(function (a, b) { return a.row - b.row; });
    renderIssued();
  }
  async function issue() {
    $("issue").disabled = true;
    delete $("job-status").dataset.done;
    say("job-status", "", []);
    $("results-download").hidden = true;
    $("errors-download").hidden = true;
    rowErrors = {};
    issuedRows = [];
    renderRowErrors();
    renderIssued();
    try {
      var created = await call("POST", "/v1/jobs", job(false));
      var shownFailed = 0;
      var bar = $("progress");
      bar.hidden = false;
      for (;;) {
        var s = await call("GET", "/v1/jobs/" + encodeURIComponent(created.id));
        var total = s.total || 0;
        var seen = (s.done || 0) + (s.failed || 0);
        bar.max = total || 1;
        bar.value = seen;
        var percent = total ? Math.round((100 * seen) / total) : 0;
        say("job-status", "jobState", [s.status, seen, total, percent, s.failed || 0]);
        if (/^completed/.test(s.status) || s.status === "failed") break;
        // The results are read again only when more rows have failed since the last reading.
        if ((s.failed || 0) > shownFailed) { shownFailed = s.failed; showErrors(await resultLines(created.id)); }
        await new Promise(function (r) { setTimeout(r, 400); });
      }
      await finished(created.id);
    } catch (e) {
      say("job-status", "jobFailed", [e.message], true);
    } finally {
      $("issue").disabled = false;
      $("job-status").dataset.done = "true";
    }
  }
  $("issue").addEventListener("click", issue);

  async function offer() {
    say("offer-status", "offering", [$("offer-row").value]);
    try {
      var to = $("format").value === "elm" ? "elm" : "ob3";
      var converted = await fetch("/v1/convert", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ from: sheet.from, to: to, document: sheet.document, options: readerOptions() }) }).then(function (r) { return r.json(); });
      // Results come in the sheet's row order without the rows that failed: row r's result is the r-th data row's,
      // counted without the failed rows before it (rows are numbered as the sheet numbers them: its header is row 1).
      var row = Number($("offer-row").value);
      var failed = (converted.rowErrors || []).map(function (e) { return e.row; });
      if (failed.indexOf(row) >= 0) throw new Error(t("rowFailed", row));
      var index = row - 2 - failed.filter(function (r) { return r < row; }).length;
      var first = converted.results && converted.results[index];
      if (!first || index < 0) throw new Error(converted.detail || t("noRow"));
      var made = await call("POST", "/v1/issuers/" + encodeURIComponent(session.slug) + "/offers",
        { credential: first.document, configuration: to === "elm" ? "EuropeanDigitalCredential_jades" : "OpenBadgeCredential_ldp_vc" });
      var svg = await fetch("/console/qr", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: made.offerUri }) }).then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.text(); });
      var img = $("offer-qr");
      img.src = "data:image/svg+xml;base64," + btoa(svg);
      img.hidden = false;
      $("offer-uri").textContent = made.offerUri;
      say("offer-status", "scan", [new Date(made.expiresAt).toLocaleString(lang)]);
    } catch (e) {
      say("offer-status", "noOffer", [e.message], true);
    }
  }
  $("offer").addEventListener("click", function () { if (sheet) offer(); else say("offer-status", "chooseFirst", [], true); });

  applyLanguage();
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
<header>
<div class="lang"><label for="language" data-i18n="language">Language</label>
<select id="language" data-testid="language"><option value="en">English</option><option value="de">Deutsch</option></select></div>
<h1 data-i18n="heading">Registrar's console</h1>
</header>
<main>
<section id="sign-in-section" aria-labelledby="sign-in-heading">
<h2 id="sign-in-heading" data-i18n="signInHeading">Sign in</h2>
<form id="sign-in-form" novalidate>
<label for="issuer" data-i18n="issuerLabel">Issuer (id or slug)</label>
<input id="issuer" data-testid="issuer" type="text" autocomplete="username" spellcheck="false">
<label for="token" data-i18n="tokenLabel">Issuer token</label>
<input id="token" data-testid="token" type="password" autocomplete="current-password">
<button id="sign-in" data-testid="sign-in" type="submit" data-i18n="signIn">Sign in</button>
<p id="sign-in-status" role="status" aria-live="polite"></p>
</form>
<p data-i18n="tokenNote">The token stays in this tab's session storage and is sent only to this gateway.</p>
</section>
<section id="work" hidden aria-labelledby="sheet-heading">
<p><span data-i18n="signedInAs">Signed in as</span> <strong id="who" data-testid="who"></strong>. <button id="sign-out" type="button" data-i18n="signOut">Sign out</button></p>
<details id="profile-section" data-testid="profile-section">
<summary data-i18n="profileHeading">Issuer profile</summary>
<button id="profile-show" data-testid="profile-show" type="button" data-i18n="profileShow">Show the issuer's keys and certificates</button>
<p id="profile-status" role="status" aria-live="polite"></p>
<div id="profile" data-testid="profile"></div>
</details>
<h2 id="sheet-heading" data-i18n="sheetHeading">1. A spreadsheet</h2>
<label for="file" data-i18n="fileLabel">Spreadsheet (CSV or XLSX)</label>
<input id="file" data-testid="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet">
<label for="format" data-i18n="formatLabel">Issue as</label>
<select id="format" data-testid="format"><option value="ob3">Open Badges 3.0</option><option value="elm">European Digital Credential (ELM)</option></select>
<h2 data-i18n="previewHeading">2. Preview (dry run)</h2>
<p id="preview-status" data-testid="preview-status" role="status" aria-live="polite"></p>
<div id="preview"></div>
<h2 data-i18n="issueHeading">3. Issue</h2>
<button id="issue" data-testid="issue" type="button" disabled data-i18n="issue">Issue every row as a job</button>
<div><label for="progress" data-i18n="progress">Progress</label><progress id="progress" data-testid="progress" max="1" value="0" hidden></progress></div>
<p id="job-status" data-testid="job-status" role="status" aria-live="polite"></p>
<div id="row-errors-section" hidden>
<h3 id="row-errors-heading" data-i18n="rowErrorsHeading">Row errors</h3>
<ol id="row-errors" data-testid="row-errors" aria-labelledby="row-errors-heading" aria-live="polite"></ol>
</div>
<p class="downloads"><a id="results-download" data-testid="results-download" hidden data-i18n="resultsDownload">Download the results (JSON Lines)</a>
<a id="errors-download" data-testid="errors-download" hidden data-i18n="errorsDownload">Download the row errors (CSV)</a></p>
<div id="issued-section" hidden>
<h3 data-i18n="issuedHeading">Issued credentials</h3>
<div id="issued" aria-live="polite"></div>
</div>
<h2 data-i18n="offerHeading">4. Offer to a wallet (OpenID4VCI)</h2>
<label for="offer-row" data-i18n="offerRow">Row of the sheet</label> <input id="offer-row" data-testid="offer-row" type="number" min="2" step="1" value="2">
<button id="offer" data-testid="offer" type="button" data-i18n="offer">Make an offer for this row</button>
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
