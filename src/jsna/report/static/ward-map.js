// Show the ward map chosen in the select; without JavaScript every map is shown.
(function () {
  "use strict";
  var select = document.getElementById("ward-map-indicator");
  var figures = document.querySelectorAll("figure.figure");
  function show() {
    figures.forEach(function (figure) { figure.hidden = figure.id !== select.value; });
  }
  select.addEventListener("change", show);
  show();
})();
