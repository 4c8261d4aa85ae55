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
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "quick-entry") { return; }
    // An outerHTML swap replaced the target: look the new card up again.
    var card = document.getElementById("quick-entry");
    // Move focus to what changed so keyboard and screen-reader users hear the result.
    var focus = card ? card.querySelector(".field-error, .form-error, .saved") : null;
    if (focus) {
      var field = focus.closest(".field");
      var input = field ? field.querySelector("input, select, textarea") : null;
      if (input && !focus.classList.contains("saved")) { input.focus(); } else { focus.setAttribute("tabindex", "-1"); focus.focus(); }
    }
  });
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
