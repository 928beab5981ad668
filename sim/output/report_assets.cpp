// report.html's own CSS and script. No web fonts: the system's sans-serif is used, so the
// page makes no request.
#include "sim/output/report_page.hpp"

namespace tenure::page {

std::string_view stylesheet() {
  return R"css(:root {
  --ink: #1f2933; --muted: #5b6675; --rule: #e2e6eb; --accent: #2f5f8f; --panel: #f5f7fa;
}
* { box-sizing: border-box; }
body {
  margin: 0; color: var(--ink); background: #fff; font-size: 15px; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
}
header, nav ul, main, footer { max-width: 1240px; margin: 0 auto; padding-left: 28px; padding-right: 28px; }
header { padding-top: 30px; padding-bottom: 14px; }
.kicker { margin: 0; font-size: 12px; letter-spacing: .09em; text-transform: uppercase; color: var(--muted); }
h1 { margin: 2px 0 6px; font-size: 30px; line-height: 1.2; }
.description { margin: 0 0 8px; max-width: 75ch; font-size: 17px; }
.meta { margin: 0 0 6px; color: var(--muted); font-variant-numeric: tabular-nums; }
.how { margin: 0; max-width: 100ch; font-size: 13px; color: var(--muted); }
.key { display: flex; flex-wrap: wrap; gap: 4px 20px; margin: 12px 0 0; padding: 0; list-style: none; font-size: 14px; }
.swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; border-radius: 2px; vertical-align: -1px; }
nav { position: sticky; top: 0; z-index: 1; background: rgba(255, 255, 255, .96); border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); }
nav ul { display: flex; flex-wrap: wrap; gap: 2px 22px; padding-top: 9px; padding-bottom: 9px; list-style: none; font-size: 14px; }
nav a { color: var(--accent); text-decoration: none; }
nav a:hover { text-decoration: underline; }
section { padding: 26px 0 14px; border-bottom: 1px solid var(--rule); }
section:last-child { border-bottom: none; }
h2 { margin: 0 0 4px; font-size: 21px; }
.intro { margin: 0 0 14px; max-width: 100ch; color: var(--muted); }
.verdict { margin: 0 0 10px; max-width: 100ch; font-size: 16px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(500px, 1fr)); gap: 30px 40px; margin-top: 14px; }
figure { margin: 0; min-width: 0; }
figure.wide { grid-column: 1 / -1; }
.chart { width: 100%; }
.chart.failed { padding: 12px; color: #a11; background: #fdf0f0; }
.table-wrap { overflow-x: auto; }
table { margin: 6px 0 16px; border-collapse: collapse; font-size: 14px; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 14px; border-bottom: 1px solid var(--rule); text-align: right; white-space: nowrap; }
th:first-child, td:first-child { padding-left: 4px; }
th[scope="row"], thead th:first-child { text-align: left; font-weight: 500; }
thead th { font-size: 12.5px; font-weight: 600; color: var(--muted); border-bottom: 1.5px solid #b9c1cb; vertical-align: bottom; white-space: normal; }
tr.best th, tr.best td { background: var(--panel); }
.pm { font-size: 12.5px; color: var(--muted); }
.badge { display: inline-block; margin-left: 6px; padding: 0 7px; font-size: 11.5px; font-weight: 600; color: var(--accent); border: 1px solid #c4d3e3; border-radius: 9px; }
table.assumptions th, table.assumptions td { text-align: left; white-space: normal; }
table.assumptions td { max-width: 70ch; }
tr.group th { padding-top: 16px; font-size: 12px; font-weight: 600; letter-spacing: .06em; text-transform: uppercase; color: var(--muted); }
dl.reproduce { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 12px 0 8px; }
dl.reproduce dt { color: var(--muted); }
dl.reproduce dd { margin: 0; }
code { padding: 2px 6px; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; background: var(--panel); border-radius: 3px; overflow-wrap: anywhere; }
footer { padding-top: 22px; padding-bottom: 28px; font-size: 12.5px; color: var(--muted); }
@media (max-width: 600px) {
  header, nav ul, main, footer { padding-left: 14px; padding-right: 14px; }
  .charts { grid-template-columns: 1fr; }
}
@media print { nav { position: static; } }
)css";
}

// Draws every chart from its inlined spec; a chart that fails shows why in its place. When
// all have settled, body[data-charts] says "drawn" or "failed" (the browser test reads it).
std::string_view chart_runner() {
  return R"js((function () {
  "use strict";
  var theme = JSON.parse(document.getElementById("chart-theme").textContent);
  var charts = Array.prototype.slice.call(document.querySelectorAll(".chart[data-spec]"));
  var drawing = charts.map(function (element) {
    var spec = JSON.parse(document.getElementById(element.dataset.spec).textContent);
    var options = { actions: false, renderer: "svg", mode: "vega-lite", config: theme };
    return vegaEmbed(element, spec, options).catch(function (error) {
      element.classList.add("failed");
      element.textContent = "This chart could not be drawn: " + error.message;
      console.error(element.id + ": " + error.message);
      throw error;
    });
  });
  Promise.allSettled(drawing).then(function (outcomes) {
    var failed = outcomes.some(function (outcome) { return outcome.status === "rejected"; });
    document.body.dataset.charts = failed ? "failed" : "drawn";
  });
})();
)js";
}

}  // namespace tenure::page
