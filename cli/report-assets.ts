/** The HTML report's stylesheet and chart script, inlined into report.html by cli/report-html.ts. */

/** The report's styles: grids that fold to one column on a phone; print without navigation, colours kept. */
export const REPORT_CSS = `
:root{--ink:#1b1f24;--muted:#4b5563;--line:#d0d7de;--bg:#f6f8fa;--accent:#0b5cad;--held:#6b7280;--good:#116329}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
header,main{max-width:1200px;margin:0 auto;padding:0 16px}
header{padding-top:16px}
h1{font-size:1.6rem;margin:.2em 0}
h2{font-size:1.3rem;margin:1.6em 0 .4em;padding-top:.4em;border-top:1px solid var(--line)}
h2 small{font-weight:normal;color:var(--muted);font-size:.8rem;font-family:ui-monospace,monospace}
h3{font-size:1.05rem;margin:1.2em 0 .4em}
.meta{color:var(--muted);margin:.2em 0}
nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;margin:.6em 0 1em}
a{color:var(--accent)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,230px),1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:var(--bg)}
.card h3{margin:0;font-size:.95rem;color:var(--muted);font-weight:600}
.big{font-size:2rem;font-weight:700;margin:.1em 0}
.sub{margin:0;color:var(--muted);font-size:.9rem;padding-left:0;list-style:none}
.sub li{margin:.3em 0}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,340px),1fr));gap:16px}
.chart-box{margin:0;border:1px solid var(--line);border-radius:8px;padding:8px 10px;min-width:0}
.chart-box figcaption{font-weight:600;font-size:.95rem;margin-bottom:4px}
.chart{position:relative;height:240px;width:100%}
.chart.short{height:150px}
.uplift{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,340px),1fr));gap:16px;align-items:start}
.uplift p{margin:.2em 0 .6em}
.verdict{font-weight:600;padding:8px 12px;border-left:4px solid var(--held);background:var(--bg)}
.verdict.significant{border-left-color:var(--good)}
.range{position:relative;height:56px;margin:18px 0 4px}
.range-end{position:absolute;top:32px;transform:translateX(-50%);font-size:.8rem;color:var(--muted);white-space:nowrap}
.range-axis{position:absolute;left:0;right:0;top:20px;border-top:1px solid var(--line)}
.range-zero{position:absolute;top:0;bottom:0;border-left:2px dashed var(--ink)}
.range-zero span{position:absolute;top:-18px;left:-4px;font-size:.8rem}
.range-bar{position:absolute;top:13px;height:14px;background:#9bb8d9;border-radius:3px}
.range-bar.significant{background:#6fbf87}
.range-dot{position:absolute;top:11px;width:18px;height:18px;margin-left:-9px;border-radius:50%;background:var(--accent);border:2px solid #fff}
.note{color:var(--muted);font-size:.9rem}
.empty{color:var(--muted);font-style:italic}
.table-wrap{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.4em 0 1em;font-size:.95rem}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-bottom:1px solid var(--line);padding:6px 10px;text-align:right;white-space:nowrap;vertical-align:top}
th[scope=row]{white-space:normal;min-width:7em}
th[scope=row],thead th:first-child{text-align:left}
thead th{background:var(--bg);white-space:normal}
td[colspan]{text-align:left;color:var(--muted)}
.how li{margin:.5em 0}
code{font-family:ui-monospace,monospace;font-size:.9em}
@media (max-width:520px){body{font-size:15px}.big{font-size:1.6rem}table{font-size:.88rem}th,td{padding:5px 6px;white-space:normal}}
@media print{nav{display:none}.range-bar,.range-dot,.verdict,.card,thead th{-webkit-print-color-adjust:exact;print-color-adjust:exact}body{font-size:11pt}h2{break-before:auto}.chart-box,.card,table,.uplift{break-inside:avoid}
.chart{height:200px}a{color:var(--ink);text-decoration:none}}
`;

/**
 * Draws the charts from the embedded JSON (numbers in text are already on the page). Plain ES5 source, not
 * compiled TypeScript: it runs as is in the browser, after the inlined Chart.js.
 */
export const REPORT_SCRIPT = `
(function () {
  var report = JSON.parse(document.getElementById('kpis').textContent);
  var byJourney = {};
  report.journeys.forEach(function (j) { byJourney[j.journey] = j; });
  var COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#6b7280'];
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.color = '#1b1f24';
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var pct = function (v) { return v + '%'; };
  var day = function (d) {
    return new Date(d + 'T00:00:00Z').toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  };
  var share = function (n, of) { return of > 0 ? Math.round((n / of) * 1000) / 10 : null; };
  var STAGES = { triggered: 'Triggered', sent: 'Sent', delivered: 'Delivered', opened: 'Opened', clicked: 'Clicked', converted: 'Ordered' };
  var draw = {
    funnel: function (j) {
      return {
        type: 'bar',
        data: {
          labels: j.funnel.map(function (s) { return STAGES[s.stage] || s.stage; }),
          datasets: [{ label: 'Messages', data: j.funnel.map(function (s) { return s.count; }), backgroundColor: COLORS[0] }],
        },
        options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
      };
    },
    rates: function (j) {
      return {
        type: 'line',
        data: {
          labels: j.daily.map(function (d) { return day(d.day); }),
          datasets: [
            { label: 'Open rate', data: j.daily.map(function (d) { return share(d.opened, d.delivered); }), borderColor: COLORS[0], backgroundColor: COLORS[0] },
            { label: 'Click-through rate', data: j.daily.map(function (d) { return share(d.clicked, d.delivered); }), borderColor: COLORS[1], backgroundColor: COLORS[1], borderDash: [6, 3] },
          ],
        },
        options: {
          spanGaps: false,
          scales: { y: { beginAtZero: true, ticks: { callback: pct } } },
          plugins: {
            legend: { position: 'bottom', labels: { usePointStyle: true, boxWidth: 8, boxHeight: 8 } },
            tooltip: { callbacks: { label: function (c) {
              var d = j.daily[c.dataIndex];
              var n = c.datasetIndex === 0 ? d.opened : d.clicked;
              return c.dataset.label + ': ' + (c.raw === null ? '–' : c.raw + '%') + ' (' + n + '/' + d.delivered + ')';
            } } },
          },
        },
      };
    },
    shares: function (j) {
      var names = [];
      j.daily.forEach(function (d) { Object.keys(d.variants).forEach(function (v) { if (names.indexOf(v) < 0) names.push(v); }); });
      names.sort();
      var totals = j.daily.map(function (d) { return Object.values(d.variants).reduce(function (a, b) { return a + b; }, 0); });
      return {
        type: 'bar',
        data: {
          labels: j.daily.map(function (d) { return day(d.day); }),
          datasets: names.map(function (v, i) {
            return { label: 'Variant ' + v, data: j.daily.map(function (d, k) { return share(d.variants[v] || 0, totals[k]); }), backgroundColor: COLORS[i % COLORS.length] };
          }),
        },
        options: {
          scales: { x: { stacked: true }, y: { stacked: true, min: 0, max: 100, ticks: { callback: pct } } },
          plugins: {
            legend: { position: 'bottom' },
            tooltip: { callbacks: { label: function (c) {
              var d = j.daily[c.dataIndex];
              var v = names[c.datasetIndex];
              return c.dataset.label + ': ' + (c.raw === null ? '–' : c.raw + '%') + ' (' + (d.variants[v] || 0) + '/' + totals[c.dataIndex] + ' sends)';
            } } },
          },
        },
      };
    },
    uplift: function (j) {
      var u = j.uplift;
      return {
        type: 'bar',
        data: {
          labels: ['Sent', 'Held out'],
          datasets: [{
            label: 'Ordered',
            data: [Math.round(u.treated.rate * 1000) / 10, Math.round(u.holdout.rate * 1000) / 10],
            backgroundColor: [COLORS[0], COLORS[6]],
          }],
        },
        options: {
          indexAxis: 'y',
          scales: { x: { beginAtZero: true, ticks: { callback: pct } } },
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { label: function (c) {
              var g = c.dataIndex === 0 ? u.treated : u.holdout;
              return c.raw + '% (' + g.conversions + '/' + g.customers + ' customers)';
            } } },
          },
        },
      };
    },
  };
  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var j = byJourney[canvas.getAttribute('data-journey')];
    var make = draw[canvas.getAttribute('data-chart')];
    if (j && make) new Chart(canvas, make(j));
  });
  window.addEventListener('beforeprint', function () {
    Object.values(Chart.instances).forEach(function (c) { c.resize(); });
  });
})();
`;
