// Replace each chart's static SVG with the interactive Vega-Lite view.
// The spec is inlined in the page (no fetch, so the site works from file://);
// if rendering fails the static SVG, with its alt text, stays in place.
(function () {
  "use strict";
  document.querySelectorAll(".chart[data-spec]").forEach(function (holder) {
    var spec = JSON.parse(document.getElementById(holder.dataset.spec).textContent);
    var fallback = Array.prototype.slice.call(holder.childNodes);
    var target = document.createElement("div");
    holder.replaceChildren(target);
    window.vegaEmbed(target, spec, { actions: false, renderer: "svg" }).catch(function () {
      holder.replaceChildren.apply(holder, fallback);
    });
  });
})();
