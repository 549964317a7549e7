"""The knowledge graph as one self-contained HTML page (vis-network, data shaped with pyvis).

The page inlines vis-network (``kg/static/vendor``; its standalone build carries its own
style) and the page's script and style, so it opens from disk with no network.  The graph
travels as JSON in a ``<script type="application/json">`` element, escaped so that no text
can close it, and the page script builds every tooltip from text nodes: names and sentences
from articles are never read as HTML.
"""

from __future__ import annotations

import copy
import json
import math
import os
import re
import secrets
from collections import defaultdict
from functools import cache
from pathlib import Path

import networkx as nx
from jinja2 import Environment, FileSystemLoader
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from .analysis import CO_MENTION, seeded_igraph, to_igraph
from .errors import KgError
from .resources import PACKAGE_DIR, data

#: File name of the page beside the graph files of a build.
PAGE_HTML = "graph.html"
DEFAULT_MAX_NODES = 500
#: Above this many drawn nodes the layout stays the O(n) community layout (no spring refinement).
SPRING_LIMIT = 500
#: Evidence sentences per edge and articles per node carried into the page (the rest are counted).
MAX_EVIDENCE = 5
MAX_ARTICLES = 10
SPACING = 40  # pixels between neighbouring nodes of the community layout

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SOURCE_MAP = re.compile(r"\n(//# sourceMappingURL=\S*|/\*# sourceMappingURL=\S* \*/)\s*$")


class VizError(KgError):
    """The page cannot be rendered or written."""


def render_page(projection: nx.MultiDiGraph, analysis: dict, *, title: str = "Knowledge graph",
                max_nodes: int = DEFAULT_MAX_NODES) -> str:
    """The HTML page of the relations of ``projection`` (``coMention`` edges are left out).

    Nodes are coloured by class and sized by PageRank (from :func:`kg.analysis.analyse`).
    With more than ``max_nodes`` entities, only the ``max_nodes`` of highest PageRank are
    drawn, at positions computed here, with physics off and a note saying how many are hidden.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("urn:a", label="Ana <b>", cls="Person", alt_labels=(), articles=("a1",))
    >>> g.add_node("urn:f", label="</script>", cls="Film", alt_labels=(), articles=("a1",))
    >>> _ = g.add_edge("urn:a", "urn:f", key="directed", prop="directed", evidence=[])
    >>> page = render_page(g, {"nodes": {}})
    >>> page.count("</script>"), "Ana <b>" in page, "showing" in page
    (3, False, False)
    """
    if max_nodes < 1:
        raise VizError(f"max_nodes must be at least 1, not {max_nodes}")
    style = data("viz")
    metrics = analysis.get("nodes", {})
    pagerank = {n: float(metrics.get(n, {}).get("pagerank", 0.0)) for n in projection.nodes}
    ranked = sorted(projection.nodes, key=lambda n: (-pagerank[n], n))
    drawn = sorted(ranked[:max_nodes])
    shown = set(drawn)
    hidden = len(ranked) - len(drawn)
    relations = sorted(((s, o, k, d) for s, o, k, d in projection.edges(keys=True, data=True)
                        if k != CO_MENTION and s in shown and o in shown), key=lambda e: e[:3])
    positions = layout(drawn, [(s, o) for s, o, _, _ in relations],
                       {n: metrics.get(n, {}).get("community", 0) for n in drawn}, refine=len(drawn) <= SPRING_LIMIT)

    # pyvis holds the node and edge dicts and the options; its own template (CDN links, titles as
    # raw HTML) is not used: kg/templates/graph.html is.
    net = Network(directed=True, heading=title)
    net.options = copy.deepcopy(style["options"])
    net.options["physics"]["enabled"] = hidden == 0 and bool(drawn)
    if hidden:
        net.options["edges"]["smooth"] = {"enabled": False}
    # pyvis's add_node/add_edge scan every node and edge already added: fill its lists directly.
    top = max(pagerank.values(), default=0.0) or 1.0
    net.nodes = [_node(n, projection.nodes[n], metrics.get(n, {}), positions[n], pagerank[n] / top, style)
                 for n in drawn]
    net.node_ids = list(drawn)
    net.node_map = {node["id"]: node for node in net.nodes}
    net.edges = _edges(relations)
    nodes, edges, _heading, _height, _width, _options = net.get_network_data()

    counts = defaultdict(int)
    for node in nodes:
        counts[node["cls"]] += 1
    order = list(style["class_colors"])
    classes = [{"name": c, "count": counts[c], "color": style["class_colors"].get(c, style["other_color"])}
               for c in sorted(counts, key=lambda c: (order.index(c) if c in order else len(order), c))]
    stats = {"nodes": len(nodes), "edges": len(edges), "hidden": hidden, "total": len(ranked),
             "physics": net.options["physics"]["enabled"]}
    payload = {"nodes": nodes, "edges": edges, "options": net.options, "stats": stats}
    note = (f"showing {len(nodes):,} of {len(ranked):,} entities (the most central); {hidden:,} hidden"
            if hidden else "")
    return _template().render(
        title=title, classes=classes, stats=stats, note=note, data_json=script_json(payload),
        vis_js=_static("vendor/vis-network/vis-network.min.js"), page_js=_static("graph.js"),
        page_css=_static("graph.css"))


def page_title(report: dict) -> str:
    """Title of the page of a build (independent of the output folder: rebuilds stay byte-identical)."""
    return f"Knowledge graph of {report.get('articles', 0)} article(s)"


def _node(iri: str, attrs: dict, metrics: dict, position: tuple[int, int], share: float, style: dict) -> dict:
    cls = attrs.get("cls", "")
    articles = list(attrs.get("articles", ()))
    size = style["node_size"]["min"] + (style["node_size"]["max"] - style["node_size"]["min"]) * math.sqrt(share)
    return Node(iri, "dot", attrs.get("label", iri), cls=cls,
                color=style["class_colors"].get(cls, style["other_color"]), size=round(size, 1),
                x=position[0], y=position[1], alts=list(attrs.get("alt_labels", ())),
                articles=articles[:MAX_ARTICLES], article_count=len(articles),
                pagerank=round(float(metrics.get("pagerank", 0.0)), 4), degree=int(metrics.get("degree", 0)),
                community=int(metrics.get("community", 0))).options


def _edges(relations: list[tuple[str, str, str, dict]]) -> list[dict]:
    """Edge dicts; parallel edges between the same two entities get increasingly curved."""
    seen = defaultdict(int)
    edges = []
    for i, (s, o, prop, attrs) in enumerate(relations):
        pair = tuple(sorted((s, o)))
        rank = seen[pair]
        seen[pair] += 1
        evidence = attrs.get("evidence", [])
        options = {"id": f"e{i}", "label": prop, "prop": prop, "evidence_count": len(evidence),
                   "evidence": [{"article": e.get("article", ""), "sentence": " ".join(e.get("sentence", "").split()),
                                 "rule": e.get("rule", ""), "confidence": round(float(e.get("confidence", 0)), 2)}
                                for e in evidence[:MAX_EVIDENCE]]}
        if rank:
            options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": round(0.25 * rank, 2)}
        edges.append(Edge(s, o, directed=True, **options).options)
    return edges


def layout(nodes: list[str], edges: list[tuple[str, str]], community: dict[str, int],
           refine: bool = True) -> dict[str, tuple[int, int]]:
    """Pixel positions: each community a disc, discs packed in rows, then a short seeded spring refinement.

    Linear in the number of nodes without ``refine``; deterministic either way.

    >>> positions = layout(["a", "b", "c"], [("a", "b")], {"a": 0, "b": 0, "c": 1}, refine=False)
    >>> sorted(positions), len(set(positions.values())), all(isinstance(v, int) for p in positions.values() for v in p)
    (['a', 'b', 'c'], 3, True)
    """
    groups = defaultdict(list)
    for node in nodes:
        groups[community.get(node, 0)].append(node)
    ordered = sorted(groups.values(), key=lambda g: (-len(g), g[0]))
    width = SPACING * 3 * math.sqrt(len(nodes) or 1)
    golden = math.pi * (3 - math.sqrt(5))
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for group in ordered:
        radius = SPACING * math.sqrt(len(group))
        if x and x + 2 * radius > width:
            x, y, row_height = 0.0, y + row_height + SPACING, 0.0
        cx, cy = x + radius, y + radius
        for i, node in enumerate(group):
            r = SPACING * math.sqrt(i + 0.5) * 0.98
            positions[node] = (cx + r * math.cos(i * golden) - radius, cy + r * math.sin(i * golden) - radius)
        x += 2 * radius + SPACING
        row_height = max(row_height, 2 * radius)
    if refine and len(nodes) > 2:
        graph = nx.Graph()
        graph.add_nodes_from(nodes)
        graph.add_edges_from((s, o) for s, o in edges if s != o)
        spring, order = to_igraph(graph)
        extent = max(max(abs(c) for c in p) for p in positions.values()) or 1.0
        unit = math.sqrt(len(nodes)) / extent  # igraph's Fruchterman-Reingold expects edges about 1 long
        with seeded_igraph(42):
            refined = spring.layout_fruchterman_reingold(
                seed=[[positions[n][0] * unit, positions[n][1] * unit] for n in order], niter=100)
        extent = max(max(abs(c) for c in p) for p in refined.coords) or 1.0
        scale = SPACING * 2.5 * math.sqrt(len(nodes)) / extent
        positions = {n: (p[0] * scale, p[1] * scale) for n, p in zip(order, refined.coords)}
    if positions:
        mx = sum(p[0] for p in positions.values()) / len(positions)
        my = sum(p[1] for p in positions.values()) / len(positions)
        positions = {n: (p[0] - mx, p[1] - my) for n, p in positions.items()}
    return {n: (round(positions[n][0]), round(positions[n][1])) for n in nodes}


def script_json(value) -> str:
    r"""JSON that is safe inside a ``<script>`` element: ``<``, ``>``, ``&``, U+2028/9 escaped.

    >>> script_json({"t": "</script><b>&"})
    '{"t":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


def _template():
    environment = Environment(loader=FileSystemLoader(PACKAGE_DIR / "templates"), autoescape=True,
                              keep_trailing_newline=True)
    return environment.get_template("graph.html")


@cache
def _static(name: str) -> str:
    """A file of ``kg/static``, checked to be safe to inline in a ``<script>`` or ``<style>`` element."""
    path = PACKAGE_DIR / "static" / name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise VizError(f"cannot read bundled file {path}: {exc}") from None
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise VizError(f"bundled file {path} cannot be inlined: it closes its element")
    return _SOURCE_MAP.sub("\n", text)


def write_page(path: str | Path, html: str) -> Path:
    """Write ``html`` to ``path`` (UTF-8) atomically: a temporary file beside it, then a rename."""
    path = Path(path)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")  # open(): permissions follow the umask
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(temp, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(html)
            os.replace(temp, path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise VizError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
