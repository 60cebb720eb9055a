// Filter the results table by indicator, dimension and group, in the page.
// Data come from explorer-data.js (window.JSNA_DATA), values already formatted.
(function () {
  "use strict";
  var data = window.JSNA_DATA;
  var indicator = document.getElementById("explorer-indicator");
  var dimension = document.getElementById("explorer-dimension");
  var group = document.getElementById("explorer-group");
  var body = document.querySelector("#explorer-table tbody");
  var status = document.getElementById("explorer-status");
  var col = {};
  data.columns.forEach(function (name, i) { col[name] = i; });

  function unique(rows, index) {
    var seen = [];
    rows.forEach(function (row) { if (seen.indexOf(row[index]) < 0) { seen.push(row[index]); } });
    return seen;
  }
  function fill(select, values, allLabel) {
    var previous = select.value;
    select.replaceChildren(new Option(allLabel, ""));
    values.forEach(function (value) { select.add(new Option(value, value)); });
    select.value = values.indexOf(previous) >= 0 ? previous : "";
  }
  function forIndicator() {
    return data.rows.filter(function (row) { return row[col.indicator_id] === indicator.value; });
  }
  function forDimension(rows) {
    return dimension.value === "" ? rows
      : rows.filter(function (row) { return row[col.dimension] === dimension.value; });
  }
  function render() {
    var rows = forDimension(forIndicator()).filter(function (row) {
      return group.value === "" || row[col.category] === group.value;
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      data.shown.forEach(function (name, i) {
        var cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) { cell.scope = "row"; }
        cell.textContent = row[col[name]];
        tr.appendChild(cell);
      });
      fragment.appendChild(tr);
    });
    body.replaceChildren(fragment);
    status.textContent = "Showing " + rows.length + " row" + (rows.length === 1 ? "" : "s") + ".";
  }
  indicator.addEventListener("change", function () {
    fill(dimension, unique(forIndicator(), col.dimension), "All dimensions");
    fill(group, unique(forDimension(forIndicator()), col.category), "All groups");
    render();
  });
  dimension.addEventListener("change", function () {
    fill(group, unique(forDimension(forIndicator()), col.category), "All groups");
    render();
  });
  group.addEventListener("change", render);
  fill(dimension, unique(forIndicator(), col.dimension), "All dimensions");
  fill(group, unique(forIndicator(), col.category), "All groups");
  render();
})();
