/* The editors' admin, enhanced. Nothing here is needed to save a form.

   1. Long text editors grow with their content: CSS `field-sizing: content` does it where the
      browser supports it; elsewhere this sets the height on input.
   2. A Markdown field (data-markdown-preview holds the preview endpoint's address) gets a live
      preview beside it, rendered by the site's own sanitiser on the server (POST, with the form's
      CSRF token). The server's HTML is the sanitiser's output, so it is shown as it comes. */
(function () {
  "use strict";

  var growsByItself = window.CSS && CSS.supports && CSS.supports("field-sizing", "content");
  // One preview request at a time for the whole page: a form with twenty Markdown fields asks
  // for its first previews one after another, not all at once.
  var queue = Promise.resolve();

  function grow(textarea) {
    if (growsByItself) return;
    textarea.style.height = "auto";
    textarea.style.height = textarea.scrollHeight + 2 + "px";
  }

  function csrfToken(textarea) {
    var form = textarea.form;
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function attachPreview(textarea) {
    if (textarea.dataset.previewAttached || textarea.name.indexOf("__prefix__") !== -1) return;
    textarea.dataset.previewAttached = "1";
    var url = textarea.dataset.markdownPreview;
    var pair = document.createElement("div");
    pair.className = "markdown-preview-pair";
    textarea.parentNode.insertBefore(pair, textarea);
    pair.appendChild(textarea);
    var box = document.createElement("div");
    var label = document.createElement("p");
    label.className = "markdown-preview__label";
    label.id = textarea.id + "-preview-label";
    label.textContent = "Preview, as readers will see it";
    var preview = document.createElement("div");
    preview.className = "markdown-preview";
    preview.setAttribute("role", "region");
    preview.setAttribute("aria-labelledby", label.id);
    preview.setAttribute("aria-live", "polite");
    preview.tabIndex = 0;
    box.appendChild(label);
    box.appendChild(preview);
    pair.appendChild(box);

    var timer = null;
    var sent = 0;

    function show(message) {
      preview.textContent = "";
      var p = document.createElement("p");
      p.className = "markdown-preview__status";
      p.textContent = message;
      preview.appendChild(p);
    }

    function render() {
      var mine = ++sent;
      queue = queue.then(function () {
        if (mine !== sent) return null; // a later edit's preview is queued: skip this one
        return ask(mine);
      });
    }

    function ask(mine) {
      var body = new URLSearchParams();
      body.set("text", textarea.value);
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "X-CSRFToken": csrfToken(textarea),
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: body.toString(),
      })
        .then(function (response) {
          return response.text().then(function (text) {
            return { ok: response.ok, status: response.status, text: text };
          });
        })
        .then(function (result) {
          if (mine !== sent) return; // a later edit's preview is on its way
          if (result.ok) {
            preview.innerHTML = result.text || "";
            if (!result.text) show("Nothing to show yet.");
          } else if (result.status === 429) {
            show("Preview paused: too many previews in a minute. It resumes as you type.");
          } else {
            show("No preview (the server answered " + result.status + "). Saving still works.");
          }
        })
        .catch(function () {
          if (mine === sent) show("No preview: the server did not answer. Saving still works.");
        });
    }

    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(render, 400);
    });
    render();
  }

  function enhance(root) {
    root.querySelectorAll("textarea.prose-editor").forEach(function (textarea) {
      if (!textarea.dataset.growAttached) {
        textarea.dataset.growAttached = "1";
        grow(textarea);
        textarea.addEventListener("input", function () {
          grow(textarea);
        });
      }
      if (textarea.dataset.markdownPreview) attachPreview(textarea);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
  });
  // Rows added with "Add another …" (the admin's inlines.js sends this event).
  document.addEventListener("formset:added", function (event) {
    enhance(event.target);
  });
})();
