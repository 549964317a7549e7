/* Script of the graph page (kg/templates/graph.html).
 * Reads the graph from the JSON element #kg-data, draws it with vis-network, and wires the
 * search box and the class filter. Text from the articles only ever reaches the page through
 * textContent or canvas labels: it is never parsed as HTML.
 * Exposes window.network (the vis.Network) and window.kgGraph (counts and state, for tests).
 */
(function () {
  "use strict";

  var payload = JSON.parse(document.getElementById("kg-data").textContent);
  var stats = payload.stats;
  window.kgGraph = {
    nodes: stats.nodes, edges: stats.edges, hidden: stats.hidden, total: stats.total,
    physics: stats.physics, ready: false
  };

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function row(parent, key, value) {
    var line = element("div", "kg-tip-row");
    line.appendChild(element("span", "kg-tip-key", key + ": "));
    line.appendChild(document.createTextNode(value));
    parent.appendChild(line);
  }

  function more(shown, count) {
    return count > shown ? " (and " + (count - shown) + " more)" : "";
  }

  function nodeTip(node) {
    var tip = element("div", "kg-tip");
    tip.appendChild(element("div", "kg-tip-title", node.label));
    row(tip, "type", node.cls || "unknown");
    if (node.alts.length) { row(tip, "also written", node.alts.join(" · ")); }
    row(tip, "mentioned in", (node.articles.join(", ") || "no article") + more(node.articles.length, node.article_count));
    row(tip, "PageRank", node.pagerank.toFixed(4) + ", " + node.degree + " relation(s), community " + node.community);
    return tip;
  }

  function edgeTip(edge, labels) {
    var tip = element("div", "kg-tip");
    tip.appendChild(element("div", "kg-tip-title", labels[edge.from] + " \u2014" + edge.prop + "\u2192 " + labels[edge.to]));
    if (!edge.evidence.length) { row(tip, "evidence", "none recorded"); }
    edge.evidence.forEach(function (evidence) {
      tip.appendChild(element("blockquote", "kg-tip-quote", "\u201c" + evidence.sentence + "\u201d"));
      tip.appendChild(element("div", "kg-tip-source", evidence.article + ", rule " + evidence.rule +
        ", confidence " + evidence.confidence.toFixed(2)));
    });
    if (edge.evidence_count > edge.evidence.length) {
      tip.appendChild(element("div", "kg-tip-source", "and " + (edge.evidence_count - edge.evidence.length) + " more sentence(s)"));
    }
    return tip;
  }

  var labels = {};
  payload.nodes.forEach(function (node) { labels[node.id] = node.label; });
  var nodes = new vis.DataSet(payload.nodes.map(function (node) {
    return Object.assign({}, node, { title: nodeTip(node) });
  }));
  var edges = new vis.DataSet(payload.edges.map(function (edge) {
    return Object.assign({}, edge, { title: edgeTip(edge, labels) });
  }));
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, payload.options);
  window.network = network;

  function settled() {
    window.kgGraph.ready = true;
    document.body.setAttribute("data-ready", "true");
  }
  if (stats.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      window.kgGraph.physics = false;
      network.fit();
      settled();
    });
  } else {
    network.fit();
    settled();
  }

  // --- search: any spelling, ignoring case, accents and punctuation ---------------------------
  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase()
      .replace(/['\u2019\u2018`\u00b4]s\b/g, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  var spellings = payload.nodes.map(function (node) {
    return { id: node.id, rank: node.pagerank, label: node.label, forms: [node.label].concat(node.alts).map(fold) };
  });
  var names = document.getElementById("kg-names");
  var listed = {};
  payload.nodes.forEach(function (node) {
    [node.label].concat(node.alts).forEach(function (name) {
      if (!listed[name]) {
        listed[name] = true;
        var option = document.createElement("option");
        option.value = name;
        names.appendChild(option);
      }
    });
  });

  function best(matches) {
    matches.sort(function (a, b) { return b.rank - a.rank || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0); });
    return matches.length ? matches[0].id : null;
  }

  function find(query) {
    var wanted = fold(query);
    if (!wanted) { return null; }
    var tests = [
      function (form) { return form === wanted; },
      function (form) { return (" " + form + " ").indexOf(" " + wanted + " ") >= 0; },
      function (form) { return form.indexOf(wanted) >= 0; }
    ];
    for (var i = 0; i < tests.length; i++) {
      var found = best(spellings.filter(function (entry) { return entry.forms.some(tests[i]); }));
      if (found !== null) { return found; }
    }
    return null;
  }

  var input = document.getElementById("kg-search-input");
  var status = document.getElementById("kg-search-status");
  document.getElementById("kg-search").addEventListener("submit", function (event) {
    event.preventDefault();
    var id = find(input.value);
    if (id === null) {
      status.textContent = "no drawn entity is named \u201c" + input.value + "\u201d";
      status.className = "kg-miss";
      network.unselectAll();
      return;
    }
    var node = nodes.get(id);
    if (node.hidden) { showClass(node.cls, true); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 300, easingFunction: "easeInOutQuad" } });
    status.textContent = node.label + " (" + node.cls + ")";
    status.className = "";
  });

  // --- class filter ------------------------------------------------------------------------------
  var hiddenClasses = {};

  function applyFilter() {
    nodes.update(nodes.get().map(function (node) { return { id: node.id, hidden: !!hiddenClasses[node.cls] }; }));
    edges.update(edges.get().map(function (edge) {
      return { id: edge.id, hidden: !!(nodes.get(edge.from).hidden || nodes.get(edge.to).hidden) };
    }));
  }

  function showClass(cls, visible) {
    hiddenClasses[cls] = !visible;
    document.querySelectorAll("#kg-legend input[data-cls]").forEach(function (box) {
      if (box.getAttribute("data-cls") === cls) { box.checked = visible; }
    });
    applyFilter();
  }

  document.querySelectorAll("#kg-legend input[data-cls]").forEach(function (box) {
    box.addEventListener("change", function () { showClass(box.getAttribute("data-cls"), box.checked); });
  });
}());
