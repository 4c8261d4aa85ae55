// Small progressive enhancements; the pages work without this file (and without htmx).
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target) { return; }
    // Keep the quick-entry form's chart window in step with the window picked on the chart.
    var panel = document.getElementById("chart-panel");
    if (panel && panel.dataset.window) {
      document.querySelectorAll("input[name=window]").forEach(function (input) { input.value = panel.dataset.window; });
    }
  });
  // After an outerHTML swap the element that had focus (a tab, a window button, "Load more") is gone
  // and focus would fall to <body>. Remember what was clicked and put focus on its replacement.
  var lastTrigger = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    lastTrigger = elt ? { get: elt.getAttribute("hx-get"), post: elt.getAttribute("hx-post"), target: event.detail.target && event.detail.target.id } : null;
  });
  function restoreFocus(target) {
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) { return; }
    var container = (target && document.contains(target)) ? target : (lastTrigger && lastTrigger.target ? document.getElementById(lastTrigger.target) : null);
    if (!container) { return; }
    var candidate = null;
    if (lastTrigger && lastTrigger.get) { candidate = container.querySelector("[hx-get=\"" + lastTrigger.get.replace(/"/g, "") + "\"]"); }
    candidate = candidate || container.querySelector("[aria-current]") || container.querySelector("h2, h1");
    if (!candidate) { return; }
    if (!candidate.matches("a, button, input, select, textarea, [tabindex]")) { candidate.setAttribute("tabindex", "-1"); }
    candidate.focus();
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "quick-entry") {
      var swapped = target && target.id ? document.getElementById(target.id) : target;
      restoreFocus(swapped);
      return;
    }
    // An outerHTML swap replaced the target: look the new card up again.
    var card = document.getElementById("quick-entry");
    // Move focus to what changed so keyboard and screen-reader users hear the result.
    var focus = card ? card.querySelector(".field-error, .form-error, .saved") : null;
    if (focus) {
      var field = focus.closest(".field");
      var input = field ? field.querySelector("input, select, textarea") : null;
      if (input && !focus.classList.contains("saved")) { input.focus(); } else { focus.setAttribute("tabindex", "-1"); focus.focus(); }
    } else {
      restoreFocus(card);
    }
  });
  // Sign-up: preselect the browser's time zone when the field still shows the default.
  var zone = document.querySelector("select[data-guess-time-zone]");
  if (zone && zone.value === "UTC" && window.Intl && Intl.DateTimeFormat) {
    var guess = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (guess && zone.querySelector("option[value=\"" + guess.replace(/"/g, "") + "\"]")) { zone.value = guess; }
  }
  // Forms marked data-confirm (revoke access, revoke a token) ask first; without JS they simply post.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) { event.preventDefault(); }
  });
  // "Copy code" on the share code; the code stays selectable by hand (user-select: all) without JS.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy]") : null;
    var source = button ? document.getElementById(button.dataset.copy) : null;
    if (!source || !navigator.clipboard) { return; }
    navigator.clipboard.writeText(source.textContent.trim()).then(function () { button.textContent = "Copied"; });
  });
})();
