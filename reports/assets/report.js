// report.html's client-side filters, inlined into the page by reports/html.ts: hide every
// [data-filterable] element whose row, outcome or target does not match.
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
