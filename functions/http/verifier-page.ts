/**
 * The verifier page served at `GET /`: one self-contained HTML document (inline CSS and JS, no external resource) where
 * a person pastes or drops a credential (JSON-LD, a VC-JWT, a JAdES envelope, EDC's upload wrapper) or an Open Badges
 * baked PNG/SVG image (sent as a `data:` URL, shown as a preview through `img-src data:`), the page posts it to
 * `/v1/credentials/verify` and shows every check, the warnings, the credential taken out of a baked image and the
 * Annex I elements. "Ask a wallet" asks an EU Digital Identity Wallet for a credential instead (OpenID4VP, through
 * `POST /verifier/presentation-requests` as the configured page verifier), shows the request as a QR code and an
 * `openid4vp://` link, polls its answer and shows it on the same verdict card. Nothing user-provided is
 * put into the HTML: the page is static, and its script renders results with `textContent` only. The strict
 * Content-Security-Policy allows exactly this inline script and style, by their SHA-256 computed at module load.
 */
import { inlinePageCsp } from "./page-csp.js";
import { ASK_A_WALLET_HTML, ASK_A_WALLET_SCRIPT, WALLET_FACTS_SCRIPT } from "./verifier-page-wallet.js";

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
.hint { font-size: .9rem; }
.card { margin: 1.5rem 0 1rem; padding: 1rem 1.25rem; border-radius: .6rem; border-left: .6rem solid; color: #1b1b1b; }
.card-valid-trusted { background: #e6f4ea; border-color: #1a7f37; }
.card-valid-issuer-unknown { background: #fff4d6; border-color: #b26a00; }
.card-invalid, .card-not-checked { background: #fde7e7; border-color: #c62828; }
#verdict { font-size: 1.35rem; font-weight: 700; margin: 0 0 .35rem; }
.card-valid-trusted #verdict { color: #0f5c26; }
.card-valid-issuer-unknown #verdict { color: #6b4000; }
.card-invalid #verdict, #verdict.card-invalid { color: #a31515; }
#verdict.card { padding: .75rem 1rem; }
.card .summary { margin: 0 0 .75rem; }
.facts, .elements { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: .25rem 1rem; margin: 0; }
.facts dt, .elements dt { font-weight: 600; }
.facts dd, .elements dd { margin: 0; overflow-wrap: anywhere; }
/* A phone: one column, each value under its name. */
@media (max-width: 40rem) {
  .elements { grid-template-columns: minmax(0, 1fr); }
  .elements dd { margin-bottom: .5rem; }
  .facts { grid-template-columns: minmax(0, max-content) minmax(0, 1fr); }
}
.reasons { margin: .75rem 0 0; padding-left: 1.25rem; font-weight: 600; }
.own-rendering { max-width: 100%; height: auto; border: 1px solid #8884; border-radius: .3rem; }
details { margin-top: 1.5rem; }
summary { cursor: pointer; font-weight: 600; font-size: 1.1rem; }
h3 { font-size: 1.05rem; margin: 1rem 0 .25rem; }
.lang { display: flex; gap: .5rem; align-items: center; justify-content: flex-end; }
.lang label { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #8884; }
td.status { font-weight: 700; white-space: nowrap; }
.status-ok, .status-present { color: var(--ok); }
.status-error, .status-invalid { color: var(--error); }
.status-skipped, .status-missing { color: #5a5a5a; }
td.detail, td.value { word-break: break-word; }
h2 { font-size: 1.15rem; margin: 1.25rem 0 .25rem; }
#image-preview { display: flex; gap: .75rem; align-items: center; margin-top: .5rem; }
#image-preview img { max-width: 6rem; max-height: 6rem; border: 1px solid #8884; border-radius: .3rem; }
pre { white-space: pre-wrap; word-break: break-all; font: 12px/1.4 ui-monospace, monospace; max-height: 24rem;
  overflow: auto; padding: .5rem; border: 1px solid #8884; border-radius: .4rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
#ask-a-wallet { margin-top: 2rem; border-top: 1px solid #8884; padding-top: .5rem; }
#wallet-qr { width: 16rem; height: 16rem; image-rendering: pixelated; background: #fff; border: 1px solid #8884; }
#wallet-link { font: 12px/1.4 ui-monospace, monospace; overflow-wrap: anywhere; }
select { font: inherit; padding: .3rem .4rem; }
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

  // The page's words, one table per language; the browser's language picks one, the switch changes it.
  var WORDS = {
    en: {
      "valid-trusted": "Valid, and the issuer is confirmed",
      "valid-issuer-unknown": "Valid signature, but the issuer is not confirmed",
      "invalid": "Not valid",
      "not-checked": "Not checked",
      title: "Credential", learner: "Learner", awardingBody: "Awarded by", date: "Date", credits: "Credits",
      level: "Level", notStated: "not stated", own: "The credential's own rendering", elementsTitle: "What the credential says (EU micro-credential elements)",
      technical: "Technical details", checks: "Checks", warnings: "Warnings", none: "None.", trustSources: "Trust sources",
      endorsements: "Endorsements", reason: "Reason", check: "Check", status: "Status", detail: "Detail",
      present: "present", missing: "missing", invalidValue: "invalid", mandatory: "mandatory", optional: "optional",
      allMandatory: "Every mandatory element is present.", notMc: "Not a complete micro-credential: missing ",
      ects: "ECTS", hours: "hours", checking: "Checking…", paste: "Paste or drop a credential first.",
      partial: "a partial qualification", notPartial: "not a partial qualification", hasPart: "parts",
      isPartOf: "part of", entitlesTo: "entitles to",
      asking: "Asking the gateway for a presentation request…", scan: "Scan this code with your wallet, or open the link on this device. Waiting for the wallet…",
      expired: "The request expired before a wallet answered. Ask again.", received: "The wallet answered.",
      disclosed: "Disclosed by the wallet", qrAlt: "QR code of the presentation request for your wallet"
    },
    de: {
      "valid-trusted": "Gültig, und der Aussteller ist bestätigt",
      "valid-issuer-unknown": "Gültige Signatur, aber der Aussteller ist nicht bestätigt",
      "invalid": "Nicht gültig",
      "not-checked": "Nicht geprüft",
      title: "Nachweis", learner: "Lernende Person", awardingBody: "Verliehen von", date: "Datum", credits: "Leistungspunkte",
      level: "Niveau", notStated: "nicht angegeben", own: "Die eigene Darstellung des Nachweises", elementsTitle: "Was der Nachweis aussagt (Elemente eines EU-Microcredentials)",
      technical: "Technische Details", checks: "Prüfungen", warnings: "Warnungen", none: "Keine.", trustSources: "Vertrauensquellen",
      endorsements: "Empfehlungen", reason: "Grund", check: "Prüfung", status: "Status", detail: "Detail",
      present: "vorhanden", missing: "fehlt", invalidValue: "ungültig", mandatory: "Pflicht", optional: "optional",
      allMandatory: "Alle Pflichtelemente sind vorhanden.", notMc: "Kein vollständiges Microcredential: es fehlt ",
      ects: "ECTS", hours: "Stunden", checking: "Wird geprüft…", paste: "Bitte zuerst einen Nachweis einfügen oder ablegen.",
      partial: "eine Teilqualifikation", notPartial: "keine Teilqualifikation", hasPart: "Teile",
      isPartOf: "Teil von", entitlesTo: "berechtigt zu",
      asking: "Das Gateway erstellt eine Vorlageanfrage…", scan: "Scannen Sie diesen Code mit Ihrer Wallet oder öffnen Sie den Link auf diesem Gerät. Warten auf die Wallet…",
      expired: "Die Anfrage ist abgelaufen, bevor eine Wallet geantwortet hat. Bitte erneut anfragen.", received: "Die Wallet hat geantwortet.",
      disclosed: "Von der Wallet offengelegt", qrAlt: "QR-Code der Vorlageanfrage für Ihre Wallet"
    }
  };
  // The Annex I elements' names in each language (the report's element ids as keys).
  var ELEMENTS = {
    en: { learner: "Learner", title: "Title", issuerCountry: "Country of the issuer", awardingBody: "Awarding body",
      issuanceDate: "Date of issue", learningOutcomes: "Learning outcomes", workload: "Workload", level: "Level",
      assessmentType: "Type of assessment", participationForm: "Form of participation", qualityAssurance: "Quality assurance",
      prerequisites: "Prerequisites", supervisionAndIdVerification: "Supervision and identity verification", grade: "Grade",
      stackability: "Integration and stackability", furtherInformation: "Further information" },
    de: { learner: "Lernende Person", title: "Titel", issuerCountry: "Land des Ausstellers", awardingBody: "Verleihende Stelle",
      issuanceDate: "Ausstellungsdatum", learningOutcomes: "Lernergebnisse", workload: "Arbeitsaufwand", level: "Niveau",
      assessmentType: "Art der Prüfung", participationForm: "Form der Teilnahme", qualityAssurance: "Qualitätssicherung",
      prerequisites: "Voraussetzungen", supervisionAndIdVerification: "Aufsicht und Identitätsprüfung", grade: "Note",
      stackability: "Integration und Kombinierbarkeit", furtherInformation: "Weitere Informationen" }
  };
  var STATIC = {
    en: { heading: "Verify a learning credential", label: "Credential (paste it here, or drop a file on this box)",
      file: "Or choose a file", verify: "Verify", clear: "Clear", hint: "Ctrl+Enter verifies. Nothing is stored.", language: "Language",
      askHeading: "Ask a wallet", askLead: "Ask an EU Digital Identity Wallet to present a credential (OpenID4VP). The wallet shows you what is asked and you decide what to share; the gateway checks the answer.",
      askWhat: "What to ask for", presetMc: "A micro-credential: title, awarding body, workload and level (SD-JWT VC)", presetOb: "An Open Badge 3.0", askButton: "Ask a wallet", walletLinkLabel: "Open in a wallet on this device:",
      lead: "Open Badges 3.0 and European Digital Credentials: JSON-LD, VC-JWT, a JAdES-sealed envelope or an Open Badges baked PNG/SVG image. The credential is sent to this gateway's verifier, which checks its format, proof, validity, status, issuer and the EU micro-credential elements." },
    de: { heading: "Einen Lernnachweis prüfen", label: "Nachweis (hier einfügen oder eine Datei auf dieses Feld ziehen)",
      file: "Oder eine Datei wählen", verify: "Prüfen", clear: "Leeren", hint: "Strg+Enter prüft. Nichts wird gespeichert.", language: "Sprache",
      askHeading: "Eine Wallet fragen", askLead: "Eine EU-Wallet für die Digitale Identität bitten, einen Nachweis vorzulegen (OpenID4VP). Die Wallet zeigt Ihnen, was gefragt ist, und Sie entscheiden, was Sie teilen; das Gateway prüft die Antwort.",
      askWhat: "Was angefragt wird", presetMc: "Ein Microcredential: Titel, verleihende Stelle, Arbeitsaufwand und Niveau (SD-JWT VC)", presetOb: "Ein Open Badge 3.0", askButton: "Eine Wallet fragen", walletLinkLabel: "In einer Wallet auf diesem Gerät öffnen:",
      lead: "Open Badges 3.0 und Europäische Digitale Nachweise: JSON-LD, VC-JWT, ein JAdES-versiegelter Umschlag oder ein Open-Badges-Bild (PNG/SVG) mit eingebettetem Nachweis. Der Nachweis wird an den Prüfdienst dieses Gateways gesendet, der Format, Signatur, Gültigkeit, Status, Aussteller und die Elemente eines EU-Microcredentials prüft." }
  };
  var languageSelect = document.getElementById("language");
  var lang = (navigator.language || "en").slice(0, 2).toLowerCase();
  if (!WORDS[lang]) lang = "en";
  var last = null;
  function t(key) { return WORDS[lang][key] || WORDS.en[key] || key; }
  function applyLanguage() {
    document.documentElement.lang = lang;
    languageSelect.value = lang;
    var words = STATIC[lang];
    Object.keys(words).forEach(function (key) {
      document.querySelectorAll("[data-i18n=" + key + "]").forEach(function (node) { node.textContent = words[key]; });
    });
    document.title = words.heading;
    if (last) render(last);
  }
  languageSelect.addEventListener("change", function () { lang = languageSelect.value; applyLanguage(); });

  // The credential itself, read in the browser only to show its learner and its own rendering (the gateway checks it).
  function credentialOf(body) {
    var text = body.baked && typeof body.baked.text === "string" ? body.baked.text : (image ? "" : input.value.trim());
    try {
      if (text.charAt(0) === "{") {
        var doc = JSON.parse(text);
        if (doc && typeof doc.payload === "string") doc = JSON.parse(doc.payload);
        if (doc && doc.credential && typeof doc.credential === "object") doc = doc.credential;
        return doc;
      }
      var parts = text.split(".");
      if (parts.length === 3) {
        var json = JSON.parse(decodeURIComponent(escape(atob(parts[1].replace(/-/g, "+").replace(/_/g, "/")))));
        return json.vc || json;
      }
    } catch (e) { return null; }
    return null;
  }
  function words(value) {
    if (value === undefined || value === null) return "";
    if (typeof value === "string") return value;
    if (typeof value === "object" && !Array.isArray(value)) {
      return value[lang] || value.en || Object.keys(value).map(function (k) { return value[k]; }).filter(function (v) { return typeof v === "string"; })[0] || "";
    }
    return "";
  }
  function learnerOf(doc) {
    if (!doc) return "";
    var s = Array.isArray(doc.credentialSubject) ? doc.credentialSubject[0] : doc.credentialSubject;
    if (!s) return "";
    var full = words(s.fullName) || words(s.name);
    if (full) return full;
    return [words(s.givenName), words(s.familyName)].filter(Boolean).join(" ");
  }
  function ownImageOf(doc) {
    if (!doc) return null;
    function detailImage(display) {
      var ind = display && display.individualDisplay;
      ind = Array.isArray(ind) ? ind[0] : ind;
      var detail = ind && ind.displayDetail;
      detail = Array.isArray(detail) ? detail[0] : detail;
      return detail && detail.image && typeof detail.image.content === "string" ? detail.image.content : null;
    }
    var content = detailImage(doc.displayParameter);
    if (content) {
      var type = content.indexOf("iVBOR") === 0 ? "image/png" : content.indexOf("/9j/") === 0 ? "image/jpeg" : null;
      return type ? "data:" + type + ";base64," + content : null;
    }
    var s = Array.isArray(doc.credentialSubject) ? doc.credentialSubject[0] : doc.credentialSubject;
    var img = (s && s.achievement && s.achievement.image) || doc.image;
    var src = img && (typeof img === "string" ? img : img.id);
    // The CSP allows data: images only: an image on another site is not fetched.
    return typeof src === "string" && /^data:image\\/(png|jpeg|svg\\+xml);base64,/.test(src) ? src : null;
  }
  function elementValue(e) {
    var v = e.value;
    if (e.element === "learner") return learnerOf(current) || t("notStated");
    if (v === undefined || v === null) return e.detail || "";
    if (e.element === "issuanceDate" && v.date) return formatDate(v.date);
    if (e.element === "workload") return [v.ects !== undefined ? v.ects + " " + t("ects") : "", v.hours !== undefined ? v.hours + " " + t("hours") : ""].filter(Boolean).join(", ");
    if (e.element === "learningOutcomes" && Array.isArray(v.titles)) return v.titles.join("; ");
    if (e.element === "participationForm" && Array.isArray(v.form)) return v.form.join(", ");
    if (e.element === "stackability") {
      var said = [];
      if (v.isPartialQualification === true) said.push(t("partial"));
      if (v.isPartialQualification === false) said.push(t("notPartial"));
      ["hasPart", "isPartOf", "entitlesTo"].forEach(function (k) { if (typeof v[k] === "number") said.push(t(k) + ": " + v[k]); });
      return said.join(", ");
    }
    if (Array.isArray(v)) return v.map(function (x) { return typeof x === "string" ? x : words(x); }).join(", ");
    if (typeof v === "object") {
      return Object.keys(v).map(function (k) { var x = v[k]; return typeof x === "string" || typeof x === "number" ? x : ""; }).filter(function (x) { return x !== ""; }).join(", ");
    }
    return String(v);
  }
  // The browser's own locale while its language is shown (en-GB and en-US write dates differently), else the switch's.
  function localeOf() {
    var own = navigator.language || "en";
    return own.slice(0, 2).toLowerCase() === lang ? own : lang;
  }
  function formatDate(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return String(iso);
    return new Intl.DateTimeFormat(localeOf(), { year: "numeric", month: "long", day: "numeric" }).format(d);
  }
  function item(dl, term, value, testid) {
    var dt = el("dt", term);
    var dd = el("dd", value || t("notStated"));
    if (testid) dd.setAttribute("data-testid", testid);
    dl.appendChild(dt);
    dl.appendChild(dd);
  }
  var current = null;

${WALLET_FACTS_SCRIPT}  function render(body) {
    last = body;
    current = body.wallet ? null : credentialOf(body);
    var wf = body.wallet ? walletFacts(body.wallet.claims) : {};
    var nodes = [];
    var checks = Array.isArray(body.checks) ? body.checks : [];
    var verdictStatus = body.verdict && body.verdict.status ? body.verdict.status : (body.verified ? "valid-issuer-unknown" : "invalid");
    var mc = checks.filter(function (c) { return c.check === "microCredential" && c.report; })[0];
    var rows = mc && mc.report && Array.isArray(mc.report.elements) ? mc.report.elements : [];
    function row(id) { return rows.filter(function (e) { return e.element === id && e.status === "present"; })[0]; }
    function rowText(id) { var r = row(id); return r ? elementValue(r) : ""; }

    // The card a person reads in five seconds.
    var card = el("article", null, "card card-" + verdictStatus);
    card.setAttribute("aria-labelledby", "verdict");
    var verdict = el("h2", t(verdictStatus));
    verdict.id = "verdict";
    verdict.setAttribute("data-testid", "verdict");
    verdict.setAttribute("data-status", verdictStatus);
    card.appendChild(verdict);
    var summary = el("p", body.verdict ? body.verdict.summary : "", "summary");
    summary.setAttribute("data-testid", "verdict-summary");
    card.appendChild(summary);
    var dl = el("dl", null, "facts");
    item(dl, t("title"), rowText("title") || wf.title || words(current && (current.name || current.title)), "summary-title");
    item(dl, t("learner"), learnerOf(current) || wf.learner, "summary-learner");
    var body2 = rowText("awardingBody") || wf.awardingBody;
    var country = rowText("issuerCountry");
    item(dl, t("awardingBody"), body2 ? body2 + (country ? " (" + country + ")" : "") : "", "summary-awarding-body");
    var date = row("issuanceDate");
    item(dl, t("date"), date ? elementValue(date) : wf.date ? wf.date : (current && (current.validFrom || current.issuanceDate) ? formatDate(current.validFrom || current.issuanceDate) : ""), "summary-date");
    item(dl, t("credits"), rowText("workload") || wf.credits, "summary-credits");
    item(dl, t("level"), rowText("level") || wf.level, "summary-level");
    if (body.wallet) item(dl, t("disclosed"), (body.wallet.disclosed || []).join(", "), "summary-disclosed");
    card.appendChild(dl);
    var failing = checks.filter(function (c) { return c.status === "error" && c.reason; });
    if (failing.length > 0) {
      var reasons = el("ul", null, "reasons");
      reasons.setAttribute("data-testid", "reasons");
      failing.forEach(function (c) { reasons.appendChild(el("li", c.reason)); });
      card.appendChild(reasons);
    }
    nodes.push(card);

    var own = ownImageOf(current);
    if (own) {
      nodes.push(el("h2", t("own")));
      var img = el("img", null, "own-rendering");
      img.src = own;
      img.alt = t("own") + ": " + (rowText("title") || "");
      img.setAttribute("data-testid", "own-rendering");
      nodes.push(img);
    }

    if (rows.length > 0) {
      nodes.push(el("h2", t("elementsTitle")));
      var summaryMc = mc.report.microCredential || {};
      nodes.push(el("p", summaryMc.compliant ? t("allMandatory") : t("notMc") + (summaryMc.missing || []).map(function (id) { return ELEMENTS[lang][id] || id; }).join(", ") + "."));
      var list = el("dl", null, "elements");
      list.id = "elements";
      rows.forEach(function (e) {
        var name = ELEMENTS[lang][e.element] || e.element;
        var dt = el("dt", name);
        dt.setAttribute("data-element", e.element);
        var dd = el("dd", e.status === "present" ? elementValue(e) : t(e.status === "missing" ? "missing" : "invalidValue") + (e.required ? " (" + t("mandatory") + ")" : ""), e.status === "present" ? "" : "status-" + e.status);
        list.appendChild(dt);
        list.appendChild(dd);
      });
      nodes.push(list);
    }

    var details = el("details");
    details.setAttribute("data-testid", "details");
    details.appendChild(el("summary", t("technical")));
    details.appendChild(el("h3", t("checks")));
    var checksTable = table(t("checks"), [t("check"), t("status"), t("detail"), t("reason")],
      checks.map(function (c) {
        return [
          { text: c.check, className: "check" },
          { text: c.status, className: "status status-" + c.status },
          { text: c.detail, className: "detail" },
          { text: c.reason || "", className: "detail" }
        ];
      }));
    checksTable.id = "checks";
    details.appendChild(checksTable);
    var warnings = Array.isArray(body.warnings) ? body.warnings : [];
    details.appendChild(el("h3", t("warnings")));
    if (warnings.length === 0) details.appendChild(el("p", t("none")));
    else {
      var wl = el("ul");
      wl.id = "warnings";
      warnings.forEach(function (w) { wl.appendChild(el("li", w)); });
      details.appendChild(wl);
    }
    var trust = checks.filter(function (c) { return c.check === "trust" && Array.isArray(c.findings); })[0];
    if (trust && trust.findings.length > 0) {
      details.appendChild(el("h3", t("trustSources")));
      var findings = table(t("trustSources"), [t("check"), t("status"), t("detail")],
        trust.findings.map(function (f) {
          return [
            { text: f.source + (f.scope === "claims" ? " (claims only)" : "") },
            { text: f.status, className: "status status-" + f.status },
            { text: f.detail, className: "detail" }
          ];
        }));
      findings.id = "trust-findings";
      details.appendChild(findings);
    }
    var endorsements = Array.isArray(body.endorsements) ? body.endorsements : [];
    if (endorsements.length > 0) {
      details.appendChild(el("h3", t("endorsements")));
      var endorsed = table(t("endorsements"), ["Where", "Endorser", "Verdict", "Errors"],
        endorsements.map(function (e) {
          return [
            { text: e.at },
            { text: e.endorser || "" },
            { text: e.verified ? "verified" : "not verified", className: "status status-" + (e.verified ? "ok" : "error") },
            { text: (e.errors || []).join("; "), className: "detail" }
          ];
        }));
      endorsed.id = "endorsements";
      details.appendChild(endorsed);
    }
    if (body.baked && typeof body.baked.text === "string") {
      details.appendChild(el("h3", "Credential baked into the " + String(body.baked.image).toUpperCase() + " image"));
      var text = body.baked.text;
      if (body.baked.kind === "json") {
        try { text = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { text = body.baked.text; }
      }
      var pre = el("pre", text);
      pre.id = "baked-credential";
      pre.tabIndex = 0;
      pre.setAttribute("aria-label", "The credential baked into the image");
      details.appendChild(pre);
    }
    nodes.push(details);
    show(nodes);
    status.textContent = t(verdictStatus) + ". " + (body.verdict ? body.verdict.summary : "");
  }

  function renderProblem(problem, httpStatus) {
    var nodes = [];
    last = null;
    var verdict = el("h2", t("not-checked"), "card card-invalid");
    verdict.id = "verdict";
    verdict.setAttribute("data-testid", "verdict");
    verdict.setAttribute("data-status", "not-checked");
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
      renderProblem({ detail: t("paste") }, 0);
      input.focus();
      return;
    }
    button.disabled = true;
    status.textContent = t("checking");
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
${ASK_A_WALLET_SCRIPT}  clear.addEventListener("click", function () {
    stopPolling();
    askButton.disabled = false;
    walletPanel.hidden = true;
    walletStatus.textContent = "";
    setImage(null, null);
    file.value = "";
    input.value = "";
    result.hidden = true;
    result.replaceChildren();
    last = null;
    status.textContent = "Cleared.";
    input.focus();
  });
  applyLanguage();
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

/** The Content-Security-Policy of the page: nothing but its own inline script and style, and fetches to itself. */
export const VERIFIER_PAGE_CSP = inlinePageCsp(VERIFIER_PAGE_SCRIPT, VERIFIER_PAGE_STYLE);

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
<div class="lang"><label for="language" data-i18n="language">Language</label>
<select id="language" data-testid="language"><option value="en">English</option><option value="de">Deutsch</option></select></div>
<h1 data-i18n="heading">Verify a learning credential</h1>
<p class="lead" data-i18n="lead">Open Badges 3.0 and European Digital Credentials: JSON-LD, VC-JWT, a JAdES-sealed envelope or an Open
Badges baked PNG/SVG image.
The credential is sent to this gateway's verifier, which checks its format, proof, validity, status, issuer and the
EU micro-credential elements.</p>
</header>
<main>
<form id="verify-form" novalidate>
<label for="credential" data-i18n="label">Credential (paste it here, or drop a file on this box)</label>
<textarea id="credential" data-testid="credential-input" name="credential" spellcheck="false" autocomplete="off" aria-describedby="credential-hint"></textarea>
<p id="credential-hint" class="hint" data-i18n="hint">Ctrl+Enter verifies. Nothing is stored.</p>
<div class="row">
<label for="file" data-i18n="file">Or choose a file</label>
<input id="file" type="file" accept=".json,.jsonld,.jwt,.txt,.png,.svg,application/json,application/ld+json,text/plain,image/png,image/svg+xml">
</div>
<div id="image-preview" hidden></div>
<div class="row">
<button id="verify-button" type="submit" data-testid="verify" data-i18n="verify">Verify</button>
<button id="clear-button" type="button" data-i18n="clear">Clear</button>
</div>
</form>
<p id="status" class="visually-hidden" role="status" aria-live="polite"></p>
<section id="result" aria-live="polite" aria-label="Verification result" hidden></section>
${ASK_A_WALLET_HTML}
</main>
<script>${VERIFIER_PAGE_SCRIPT}</script>
</body>
</html>
`;
