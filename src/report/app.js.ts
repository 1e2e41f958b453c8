/**
 * The script of report.html, as a string (it runs in the browser, inlined under a hash-based
 * Content-Security-Policy). It reads the embedded JSON, draws the entity graph with sigma.js and
 * graphology, and wires search and the details panel. It writes scraped text only through
 * `textContent`, never as markup.
 */
export const REPORT_APP_JS = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('wildtrace-data').textContent);
  var layout = JSON.parse(document.getElementById('wildtrace-layout').textContent);
  var palette = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f', '#ff7f0e', '#aec7e8', '#98df8a', '#c5b0d5'];
  var graph = new graphology.MultiDirectedGraph();
  data.graph.nodes.forEach(function (n, i) {
    var color = n.flagged ? '#d62728' : n.kind === 'service' ? '#444444' : palette[(n.community == null ? 0 : n.community) % palette.length];
    graph.addNode(n.id, { label: n.label, x: layout.x[i], y: layout.y[i], size: n.flagged ? 9 : n.kind === 'service' ? 8 : 4, color: color, kind: n.kind });
  });
  data.graph.edges.forEach(function (e, i) {
    if (graph.hasNode(e.source) && graph.hasNode(e.target)) {
      graph.addEdgeWithKey('e' + i, e.source, e.target, { size: e.flagged ? 2.5 : 0.6, color: e.flagged ? '#d62728' : '#cccccc' });
    }
  });
  var byId = {};
  data.graph.nodes.forEach(function (n) { byId[n.id] = n; });
  var highlighted = null;
  var container = document.getElementById('graph');
  var renderer = new Sigma(graph, container, {
    labelRenderedSizeThreshold: 8,
    nodeReducer: function (node, attrs) {
      if (highlighted && !highlighted[node]) return Object.assign({}, attrs, { color: '#eeeeee', label: '' });
      if (highlighted && highlighted[node]) return Object.assign({}, attrs, { highlighted: true, size: attrs.size + 4 });
      return attrs;
    },
  });
  var panel = document.getElementById('details');
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }
  function show(id) {
    var n = byId[id];
    clear(panel);
    if (!n) return;
    var h = document.createElement('h3');
    h.textContent = n.label;
    panel.appendChild(h);
    var dl = document.createElement('dl');
    var rows = [['id', n.id], ['kind', n.kind], ['community', n.community == null ? '' : String(n.community)], ['flagged', n.flagged ? 'yes' : 'no']];
    Object.keys(n.details || {}).forEach(function (k) { rows.push([k, n.details[k]]); });
    rows.forEach(function (r) {
      var dt = document.createElement('dt');
      dt.textContent = r[0];
      var dd = document.createElement('dd');
      dd.textContent = r[1];
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    panel.appendChild(dl);
    panel.setAttribute('data-node', n.id);
  }
  renderer.on('clickNode', function (e) { show(e.node); });
  var search = document.getElementById('search');
  search.addEventListener('input', function () {
    var q = search.value.trim().toLowerCase();
    highlighted = null;
    if (q.length >= 2) {
      highlighted = {};
      var first = null;
      data.graph.nodes.forEach(function (n) {
        var hay = [n.id, n.label].concat(n.search || []).join(' ').toLowerCase();
        if (hay.indexOf(q) >= 0) { highlighted[n.id] = true; if (!first) first = n.id; }
      });
      if (first) show(first);
    }
    renderer.refresh();
  });
  window.__wildtrace = { graph: graph, renderer: renderer, show: show };
  document.body.setAttribute('data-ready', 'true');
})();
`;
