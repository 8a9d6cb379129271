/**
 * The verifier page's "Ask a wallet" (`verifier-page.ts` puts these pieces into its one inline script and document):
 * a press makes an OpenID4VP request through `POST /verifier/presentation-requests` (as the configured page verifier),
 * shows its QR code and `openid4vp://` link, polls `POST /verifier/presentation-requests/{id}/result` with the
 * request's poll key, and renders the answer on the page's verdict card. Script pieces are plain text spliced into
 * the page's script (no template literals inside); they use its `t`, `render`, `renderProblem` and `formatDate`.
 */

/** The card's facts from the claims of an SD-JWT VC of the micro-credential type. */
export const WALLET_FACTS_SCRIPT = `  // An ISO 8601 duration of whole hours (PT60H) as words; any other duration as written.
  function hoursOf(duration) {
    if (typeof duration !== "string") return "";
    var m = /^PT(\\d+(?:\\.\\d+)?)H$/.exec(duration);
    return m ? m[1] + " " + t("hours") : duration;
  }
  // The card's facts from the claims a wallet disclosed in an SD-JWT VC of the micro-credential type.
  function walletFacts(claims) {
    if (!claims || typeof claims !== "object") return {};
    var bodies = Array.isArray(claims.awarding_body) ? claims.awarding_body : [];
    var work = claims.workload || {};
    var level = claims.level || {};
    return {
      title: typeof claims.achievement_title === "string" ? claims.achievement_title : "",
      learner: [claims.given_name, claims.family_name].filter(function (x) { return typeof x === "string"; }).join(" ") || (typeof claims.full_name === "string" ? claims.full_name : ""),
      awardingBody: bodies.map(function (b) { return b && b.name; }).filter(Boolean).join(", ") + (typeof claims.issuing_country === "string" && bodies.length > 0 ? " (" + claims.issuing_country + ")" : ""),
      date: typeof claims.date_of_issuance === "string" ? formatDate(claims.date_of_issuance) : "",
      credits: [typeof work.ects_credits === "number" ? work.ects_credits + " " + t("ects") : "", hoursOf(work.volume_of_learning)].filter(Boolean).join(", "),
      level: typeof level.eqf === "number" ? "EQF " + level.eqf : (typeof level.qf_ehea === "string" ? level.qf_ehea : "")
    };
  }

`;

/** The button, the QR code, the link and the polling. */
export const ASK_A_WALLET_SCRIPT = `  // "Ask a wallet": a presentation request by the page's verifier, its QR code and link, then its answer, polled.
  var askButton = document.getElementById("ask-button");
  var askPreset = document.getElementById("ask-preset");
  var walletPanel = document.getElementById("wallet-request");
  var walletQr = document.getElementById("wallet-qr");
  var walletLink = document.getElementById("wallet-link");
  var walletStatus = document.getElementById("wallet-status");
  var pollTimer = null;
  var POLL_MS = 1500;
  function stopPolling() { if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; } }
  // The verdict card from the result of a presentation request.
  function fromWallet(r) {
    var creds = Array.isArray(r.credentials) ? r.credentials : [];
    var checks = [];
    creds.forEach(function (c) { (Array.isArray(c.checks) ? c.checks : []).forEach(function (k) { checks.push(k); }); });
    var trusted = checks.some(function (c) { return c.check === "trust" && c.status === "ok"; });
    return {
      verified: r.verified === true,
      verdict: {
        status: r.verified === true ? (trusted ? "valid-trusted" : "valid-issuer-unknown") : "invalid",
        summary: r.verdict && r.verdict.summary ? r.verdict.summary : (r.walletError ? "The wallet answered: " + r.walletError + (r.detail ? " (" + r.detail + ")" : "") : "")
      },
      checks: checks,
      wallet: { claims: creds[0] && creds[0].claims, disclosed: Array.isArray(r.disclosed) ? r.disclosed : [] }
    };
  }
  function pollRequest(id, key) {
    pollTimer = setTimeout(async function () {
      pollTimer = null;
      try {
        var response = await fetch("/verifier/presentation-requests/" + encodeURIComponent(id) + "/result", {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ key: key })
        });
        var state = null;
        try { state = await response.json(); } catch (e) { state = null; }
        if (!response.ok || !state) { walletPanel.hidden = true; renderProblem(state, response.status); askButton.disabled = false; return; }
        if (state.status === "received" && state.result) {
          walletPanel.hidden = true;
          walletStatus.textContent = t("received");
          askButton.disabled = false;
          render(fromWallet(state.result));
          return;
        }
        if (state.status === "expired") {
          walletPanel.hidden = true;
          walletStatus.textContent = t("expired");
          askButton.disabled = false;
          return;
        }
      } catch (error) { /* The gateway was not reached this time: ask again at the next tick. */ }
      pollRequest(id, key);
    }, POLL_MS);
  }
  askButton.addEventListener("click", async function () {
    stopPolling();
    askButton.disabled = true;
    walletPanel.hidden = true;
    walletStatus.textContent = t("asking");
    try {
      var response = await fetch("/verifier/presentation-requests", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ preset: askPreset.value })
      });
      var created = null;
      try { created = await response.json(); } catch (e) { created = null; }
      if (!response.ok || !created || typeof created.walletUrl !== "string" || typeof created.qrSvg !== "string") {
        walletStatus.textContent = "";
        askButton.disabled = false;
        renderProblem(created, response.status);
        return;
      }
      walletQr.src = "data:image/svg+xml;base64," + btoa(unescape(encodeURIComponent(created.qrSvg)));
      walletQr.alt = t("qrAlt");
      walletLink.href = created.walletUrl;
      walletLink.textContent = created.walletUrl;
      walletPanel.hidden = false;
      walletStatus.textContent = t("scan");
      pollRequest(created.id, created.pollKey);
    } catch (error) {
      askButton.disabled = false;
      walletStatus.textContent = "";
      renderProblem({ detail: "The gateway could not be reached: " + (error && error.message) }, 0);
    }
  });

`;

/** The page's "Ask a wallet" section. */
export const ASK_A_WALLET_HTML = `<section id="ask-a-wallet" aria-labelledby="ask-heading">
<h2 id="ask-heading" data-i18n="askHeading">Ask a wallet</h2>
<p data-i18n="askLead">Ask an EU Digital Identity Wallet to present a credential (OpenID4VP). The wallet shows you what is asked and you decide what to share; the gateway checks the answer.</p>
<label for="ask-preset" data-i18n="askWhat">What to ask for</label>
<select id="ask-preset" data-testid="ask-preset"><option value="micro-credential" data-i18n="presetMc">A micro-credential: title, awarding body, workload and level (SD-JWT VC)</option><option value="open-badge" data-i18n="presetOb">An Open Badge 3.0</option></select>
<div class="row"><button id="ask-button" type="button" data-testid="ask-wallet" data-i18n="askButton">Ask a wallet</button></div>
<p id="wallet-status" data-testid="wallet-status" role="status" aria-live="polite"></p>
<div id="wallet-request" hidden>
<img id="wallet-qr" data-testid="wallet-qr" alt="QR code of the presentation request for your wallet">
<p><span data-i18n="walletLinkLabel">Open in a wallet on this device:</span> <a id="wallet-link" data-testid="wallet-link" href="#"></a></p>
</div>
</section>`;
