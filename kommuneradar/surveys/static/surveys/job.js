// A background job's page (surveys/job.html): while the job runs, ask its status every two
// seconds and show it; when it has finished, load the page again, which then shows the
// result. Without JavaScript the page's "Refresh" link does the same by hand.
(function () {
  "use strict";
  var section = document.querySelector("[data-status-url]");
  if (!section || !window.fetch) {
    return;
  }
  var url = section.getAttribute("data-status-url");
  var language = document.documentElement.lang || "da";
  var numbers = new Intl.NumberFormat(language);

  function show(name, text) {
    var element = section.querySelector('[data-job="' + name + '"]');
    if (element) {
      element.textContent = text;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (status) {
        // Reload once the job has finished, or once it has stalled (the page then offers
        // to start it again); a page drawn as stalled goes on asking, in case it resumes.
        if (status.finished || (status.stalled && !section.hasAttribute("data-stalled"))) {
          window.location.reload();
          return;
        }
        show("status_label", status.status_label);
        show("stage_label", status.stage_label);
        show("rows_done", numbers.format(status.rows_done));
        var bar = section.querySelector('[data-job="share_done"]');
        if (bar && status.share_done > 0) {
          bar.value = status.share_done;
          bar.textContent = Math.round(status.share_done * 100) + " %";
        }
        window.setTimeout(poll, 2000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
