// The query page of `kg serve`: runs a query on ./sparql and shows the answer.
// Every value from the server is inserted as text (textContent), never as HTML.
"use strict";

const ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";
const $ = (id) => document.getElementById(id);

function show(id, visible) { $(id).hidden = !visible; }

function clearOutput() {
  show("note", false); show("message", false); show("results", false);
  $("message").className = "";
  $("results").tHead.replaceChildren(); $("results").tBodies[0].replaceChildren();
  $("links").replaceChildren();
}

function message(text, isError) {
  $("message").textContent = text;
  $("message").className = isError ? "error" : "";
  show("message", true);
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  td.className = term.type;
  td.textContent = term.type === "bnode" ? "_:" + term.value : term.value;
  td.title = term.type + (term.datatype ? " " + term.datatype : "");
  const extra = term["xml:lang"] ? "@" + term["xml:lang"] : "";
  if (extra) {
    const span = document.createElement("span");
    span.className = "lang";
    span.textContent = extra;
    td.append(span);
  }
  return td;
}

function table(data) {
  const vars = data.head.vars;
  const head = document.createElement("tr");
  for (const name of vars) {
    const th = document.createElement("th");
    th.textContent = name;
    head.append(th);
  }
  $("results").tHead.append(head);
  const body = $("results").tBodies[0];
  for (const binding of data.results.bindings) {
    const tr = document.createElement("tr");
    for (const name of vars) tr.append(cell(binding[name]));
    body.append(tr);
  }
  show("results", true);
  return data.results.bindings.length;
}

function downloadLinks(query) {
  for (const format of ["json", "xml", "csv", "tsv", "turtle"]) {
    const a = document.createElement("a");
    a.href = "sparql?" + new URLSearchParams({ query: query, format: format }).toString();
    a.textContent = format;
    $("links").append(a);
  }
}

async function run() {
  const query = $("query").value;
  clearOutput();
  $("run").disabled = true;
  $("status").textContent = "running…";
  const started = performance.now();
  try {
    const response = await fetch("sparql", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT },
      body: new URLSearchParams({ query: query }),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const type = (response.headers.get("Content-Type") || "").split(";")[0];
    if (!response.ok) {
      $("status").textContent = response.status + " " + response.statusText;
      message(await response.text(), true);
      return;
    }
    let count;
    if (type === "application/sparql-results+json") {
      const data = await response.json();
      if ("boolean" in data) {
        message(String(data.boolean), false);
        count = 1;
      } else {
        count = table(data);
      }
    } else {
      message(await response.text(), false);
      count = null;
    }
    $("status").textContent = (count === null ? "" : count + (count === 1 ? " row" : " rows") + " in ") + seconds + " s";
    if (response.headers.get("X-Kg-Truncated") === "true") {
      $("note").textContent = "Truncated: only the first " + (response.headers.get("X-Kg-Max-Rows") || "") +
        " rows are shown, the server's row cap. Add LIMIT/OFFSET or make the query more selective.";
      show("note", true);
    }
    downloadLinks(query);
  } catch (error) {
    $("status").textContent = "failed";
    message("The server could not be reached: " + error.message, true);
  } finally {
    $("run").disabled = false;
  }
}

function examples(list) {
  const ul = $("example-list");
  for (const example of list) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = example.title;
    button.addEventListener("click", () => { $("query").value = example.query; run(); });
    li.append(button);
    ul.append(li);
  }
  if (!$("query").value && list.length > 1) $("query").value = list[1].query;
}

function init() {
  $("run").addEventListener("click", run);
  $("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
  });
  fetch("static/sparql-examples.json")
    .then((response) => response.json())
    .then(examples)
    .catch(() => { $("status").textContent = "(examples unavailable)"; });
}

document.addEventListener("DOMContentLoaded", init);
