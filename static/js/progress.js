// Ticks a step in place: the form is sent in the background and the page updates where it is,
// without a jump. Without JavaScript (or if the request fails) the form posts as usual and the
// server brings the reader back to the same step.
(function () {
  "use strict";

  function refreshSummary() {
    var summary = document.querySelector("[data-progress-summary]");
    if (!summary) return;
    var steps = Array.prototype.slice.call(document.querySelectorAll("[data-step]"));
    var done = steps.filter(function (step) { return step.classList.contains("guide-step--done"); });
    var open = steps.filter(function (step) { return !step.classList.contains("guide-step--done"); });
    summary.querySelector("[data-done-text]").textContent =
      done.length + " of " + steps.length + " steps done";
    var bar = summary.querySelector("progress");
    bar.value = done.length;
    bar.textContent = done.length + " of " + steps.length;
    var next = summary.querySelector("[data-next-step]");
    var finished = summary.querySelector("[data-finished]");
    if (open.length) {
      var position = open[0].getAttribute("data-step");
      next.querySelector("a").setAttribute("href", "#step-" + position);
      next.querySelector("[data-next-position]").textContent = position;
      next.hidden = false;
      finished.hidden = true;
    } else {
      next.hidden = true;
      finished.hidden = steps.length === 0;
    }
  }

  function show(form, completed) {
    var step = form.closest("[data-step]");
    var button = form.querySelector("button");
    form.querySelector('input[name="completed"]').value = completed ? "0" : "1";
    button.setAttribute("aria-checked", completed ? "true" : "false");
    button.classList.toggle("step-tick--done", completed);
    var label = completed ? "Done" : "Not done yet";
    button.querySelector(".step-tick__label").textContent = label;
    button.setAttribute("aria-label", label + ": " + button.getAttribute("data-step-name"));
    step.classList.toggle("guide-step--done", completed);
    var details = step.querySelector("details");
    if (details) details.open = !completed; // a finished step folds away
    refreshSummary();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-step-tick]") || !window.fetch) return;
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) { show(form, Boolean(data.completed)); })
      .catch(function () { form.submit(); }); // let the server answer the ordinary way
  });
})();
