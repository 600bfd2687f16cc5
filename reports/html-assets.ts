// The stylesheet and the filter script report.html carries inline (its CSP forbids every fetch).

export const REPORT_CSS = `
:root{--pass:#1a7f37;--fail:#cf222e;--error:#bc4c00;--skip:#6e7781;--known:#8250df;--observed:#0969da;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{padding:0 24px}
header{padding-top:16px}
h1{font-size:22px;margin:0 0 8px}
h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:16px;margin:22px 0 8px}
code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
code{background:var(--soft);padding:1px 4px;border-radius:4px}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px 10px;white-space:pre-wrap;word-break:break-all;margin:4px 0 10px;max-height:420px;overflow:auto}
pre.cmd{user-select:all}
.filters{position:sticky;top:0;z-index:2;background:var(--bg);border-bottom:1px solid var(--line);padding:10px 24px;display:flex;flex-wrap:wrap;gap:10px 18px;align-items:center}
.filters select{font:inherit;padding:3px 6px}
.outcomes button{font:inherit;padding:3px 10px;border:1px solid var(--line);background:var(--soft);border-radius:14px;cursor:pointer;margin-right:4px}
.outcomes button[aria-pressed=true]{background:var(--fg);color:#fff;border-color:var(--fg)}
#f-count{color:var(--muted)}
.verdict{padding:8px 12px;border-radius:6px;border-left:6px solid;margin:8px 0}
.verdict.good{background:#dafbe1;border-color:var(--pass)}
.verdict.bad{background:#ffebe9;border-color:var(--fail)}
.verdict.partial{background:#fff8c5;border-color:#9a6700}
.meta,.note,.none-msg,footer{color:var(--muted)}
footer{margin:32px 0 24px;font-size:12px}
table{border-collapse:collapse;margin:6px 0 8px;width:100%}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:var(--soft)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.matrix tr.row-good th[scope=row]{box-shadow:inset 5px 0 var(--pass)}
table.matrix tr.row-bad th[scope=row]{box-shadow:inset 5px 0 var(--fail)}
table.matrix tr.row-bad{background:#fff5f5}
table.matrix tr.row-none th[scope=row]{box-shadow:inset 5px 0 var(--skip)}
table.matrix tr.row-known th[scope=row]{box-shadow:inset 5px 0 var(--known)}
tr.total{font-weight:600;background:var(--soft)}
.c-pass{color:var(--pass)}.c-fail{color:var(--fail);font-weight:600}.c-skip{color:var(--skip)}.c-error{color:var(--error);font-weight:600}.c-known{color:var(--known)}
td.cell.good{background:#dafbe1}td.cell.bad{background:#ffebe9;font-weight:600}td.cell.none{background:var(--soft);color:var(--muted)}
.known-n{color:var(--known);font-size:12px}
.bar{display:inline-block;width:70px;height:9px;background:#eef1f4;border-radius:5px;overflow:hidden;vertical-align:middle}
.bar span{display:block;height:100%}.fill-good{background:var(--pass)}.fill-bad{background:var(--fail)}
.unreached{color:var(--fail)}
.observed,.c-observed,.observed-n{color:var(--observed)}.observed-n{font-size:12px}
table.matrix tr.row-observed th[scope=row]{box-shadow:inset 5px 0 var(--observed)}
td.cell.observed{background:#ddf4ff}.chips li.observed{background:#ddf4ff;border-color:#b6e3ff}
section.problem{border-top:1px solid var(--line);margin-top:10px}section.problem h4{margin:10px 0 2px}
details.problem-cases{margin:4px 0 10px 12px}ul.ids{columns:2}
.tag{font-size:11px;color:var(--muted);border:1px solid var(--line);border-radius:8px;padding:0 5px}
.rowlink{all:unset;cursor:pointer;font-weight:600}.rowlink:hover,.rowlink:focus-visible{text-decoration:underline}
.chips{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px}
.chips li{border:1px solid var(--line);border-radius:12px;padding:1px 8px}
.chips li.good{background:#dafbe1;border-color:#aceebb}.chips li.none{background:#ffebe9;border-color:#ffcecb}
.badge{display:inline-block;font-size:11.5px;font-weight:600;padding:0 7px;border-radius:9px;color:#fff}
.badge.o-pass{background:var(--pass)}.badge.o-fail{background:var(--fail)}.badge.o-error{background:var(--error)}.badge.o-skip{background:var(--skip)}.badge.o-known{background:var(--known)}
.outcomes .o-fail{color:var(--fail)}.outcomes .o-error{color:var(--error)}.outcomes .o-known{color:var(--known)}.outcomes .o-pass{color:var(--pass)}
details.case{border:1px solid var(--line);border-left:6px solid var(--fail);border-radius:6px;padding:6px 10px;margin:8px 0;background:#fff}
details.case.error{border-left-color:var(--error)}details.case.known{border-left-color:var(--known)}
details.case summary{cursor:pointer}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}
dt{color:var(--muted)}dd{margin:0}
.lbl{margin:8px 0 0;color:var(--muted);font-size:12px}
.exchange{display:grid;grid-template-columns:1fr 1fr;gap:12px}
@media (max-width:900px){.exchange{grid-template-columns:1fr}}
table.cases td.reason{max-width:520px;word-break:break-word}
tr.o-row-fail td:first-child{box-shadow:inset 4px 0 var(--fail)}tr.o-row-error td:first-child{box-shadow:inset 4px 0 var(--error)}tr.o-row-known td:first-child{box-shadow:inset 4px 0 var(--known)}
`;

// Client-side filters: hide every [data-filterable] element whose row, outcome or target does not match.
export const REPORT_JS = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('ovc-data').textContent);
  var state = { row: 'all', outcome: 'all', target: 'all' };
  var rowSelect = document.getElementById('f-row');
  var targetSelect = document.getElementById('f-target');
  var buttons = Array.prototype.slice.call(document.querySelectorAll('[data-outcome-filter]'));
  var items = Array.prototype.slice.call(document.querySelectorAll('[data-filterable]'));
  var total = data.runs.reduce(function (n, r) { return n + r.matrix.total; }, 0);
  function matches(el) {
    if (state.row !== 'all' && el.getAttribute('data-row') !== state.row) return false;
    if (state.outcome !== 'all' && (el.getAttribute('data-outcome') || '').split(' ').indexOf(state.outcome) < 0) return false;
    var t = el.getAttribute('data-target') || (el.closest('[data-target]') || { getAttribute: function () { return null; } }).getAttribute('data-target');
    if (state.target !== 'all' && t !== null && t !== state.target) return false;
    return true;
  }
  function apply() {
    var shownCases = 0;
    items.forEach(function (el) {
      var ok = matches(el);
      el.hidden = !ok;
      if (ok && el.tagName === 'TR' && el.closest('table.cases')) shownCases++;
    });
    document.querySelectorAll('section.run').forEach(function (s) {
      s.hidden = state.target !== 'all' && s.getAttribute('data-target') !== state.target;
    });
    buttons.forEach(function (b) { b.setAttribute('aria-pressed', String(b.getAttribute('data-outcome-filter') === state.outcome)); });
    var filtered = state.row !== 'all' || state.outcome !== 'all' || state.target !== 'all';
    document.getElementById('f-count').textContent = filtered ? shownCases + ' listed cases match (' + total + ' cases in all)' : total + ' cases';
    var any = items.some(function (el) { return !el.hidden && el.matches('table.matrix tr, table.cases tr, details.case'); });
    document.getElementById('f-empty').hidden = any;
  }
  rowSelect.addEventListener('change', function () { state.row = rowSelect.value; apply(); });
  if (targetSelect) targetSelect.addEventListener('change', function () { state.target = targetSelect.value; apply(); });
  buttons.forEach(function (b) { b.addEventListener('click', function () { state.outcome = b.getAttribute('data-outcome-filter'); apply(); }); });
  document.querySelectorAll('[data-row-filter]').forEach(function (b) {
    b.addEventListener('click', function () {
      var key = b.getAttribute('data-row-filter');
      state.row = state.row === key ? 'all' : key;
      rowSelect.value = state.row;
      apply();
    });
  });
  apply();
})();
`;
