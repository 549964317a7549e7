"""The graph page in a real browser: Debian's chromium driven by Playwright, opened from disk.

Checks that nothing leaves ``file:``, that no error is logged, that the page draws exactly the
graph's entities and relations, that search and the class filter work, that names holding
markup stay text, and that a large graph is cut down to its most central entities.  Saves the
screenshot used by the README (``docs/graph.png``).  ``make test`` installs chromium as root
(``scripts/install-chromium.sh``); without it these tests skip.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest

from kg.build import build
from kg.viz import render_page, write_page

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-default-apps", "--disable-extensions", "--disable-sync",
        "--no-first-run", "--metrics-recording-only", "--mute-audio", "--hide-scrollbars"]
VIEWPORT = {"width": 1200, "height": 800}
REPO_ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=(
    "needs Debian's chromium at /usr/bin/chromium: `make test` installs it when run as root, "
    "or run `apt-get install chromium`"))

XSS_ARTICLE = """\
Director Ana Lopez directed the film “The <img src=x onerror=alert(1)> Night”.
Actor Tom Harlow starred in the series “Dark </script><script>window.__xss=2</script> Tales”.
Tom Harlow also starred in the film “Bold <b onmouseover=window.__xss=3>Moves</b>”.
Ana Lopez wrote the film “Quiet <svg onload=window.__xss=4> Waters”.
"""
MARKUP_LABELS = {"The <img src=x onerror=alert(1)> Night", "Dark </script><script>window.__xss=2</script> Tales",
                 "Bold <b onmouseover=window.__xss=3>Moves</b>", "Quiet <svg onload=window.__xss=4> Waters"}


@dataclass
class Opened:
    """A page opened from disk, with what it tried to do."""

    page: object
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, script: str, arg=None):
        return self.page.evaluate(script, arg)

    def offline_and_clean(self) -> None:
        assert self.blocked == [], self.blocked
        assert all(url.startswith("file:") for url in self.requests), self.requests
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser):
    contexts = []

    def open_(path: Path) -> Opened:
        context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page)
        page.on("request", lambda request: opened.requests.append(request.url))
        page.on("console", lambda message: opened.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: opened.errors.append(str(error)))

        def on_dialog(dialog) -> None:
            opened.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)

        def refuse(route) -> None:
            opened.blocked.append(route.request.url)
            route.abort()

        page.route(lambda url: not url.startswith("file:"), refuse)
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.kgGraph && window.kgGraph.ready === true", timeout=60_000)
        return opened

    yield open_
    for context in contexts:
        context.close()


def rdf_counts(out_dir: Path) -> tuple[int, int]:
    from rdflib import RDF, Graph

    from kg.namespaces import ENTITY_CLASSES, KG, RELATION_PROPERTIES

    graph = Graph().parse(out_dir / "graph.ttl", format="turtle")
    classes = {KG[c] for c in ENTITY_CLASSES}
    entities = {s for s, o in graph.subject_objects(RDF.type) if o in classes}
    relations = {(s, p, o) for p in (KG[name] for name in RELATION_PROPERTIES)
                 for s, o in graph.subject_objects(p) if s in entities and o in entities}
    return len(entities), len(relations)


def drawn(opened: Opened) -> tuple[int, int]:
    return tuple(opened.js("[window.network.body.data.nodes.length, window.network.body.data.edges.length]"))


def visible_ids(opened: Opened) -> list[str]:
    return opened.js("window.network.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.id)")


def hover(opened: Opened, point: dict) -> str:
    """Centre the view on a canvas point, move the mouse there and return the tooltip's text."""
    opened.page.wait_for_function(  # any focus animation has ended: the view is the same on two polls
        "() => { const v = JSON.stringify([network.getViewPosition(), network.getScale()]);"
        " const same = window.__view === v; window.__view = v; return same; }", polling=100)
    opened.js("p => window.network.moveTo({position: p, animation: false})", point)
    box = opened.js("(() => { const r = document.getElementById('kg-network').getBoundingClientRect();"
                    " return {x: r.left, y: r.top}; })()")
    dom = opened.js("p => window.network.canvasToDOM(p)", point)
    opened.page.mouse.move(5, 5)
    opened.page.mouse.move(box["x"] + dom["x"], box["y"] + dom["y"], steps=4)
    tooltip = opened.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    return tooltip.text_content()


def hover_node(opened: Opened, node_id: str) -> str:
    return hover(opened, opened.js("id => window.network.getPosition(id)", node_id))


def hover_edge(opened: Opened, edge_id: str) -> str:
    return hover(opened, opened.js("id => window.network.body.edges[id].edgeType.getPoint(0.5)", edge_id))


def search(opened: Opened, text: str) -> list[str]:
    opened.page.fill("#kg-search-input", text)
    opened.page.press("#kg-search-input", "Enter")
    return opened.js("window.network.getSelectedNodes()")


def node_id(opened: Opened, label: str) -> str:
    ids = opened.js("label => window.network.body.data.nodes.get({filter: n => n.label === label}).map(n => n.id)",
                    label)
    assert len(ids) == 1, (label, ids)
    return ids[0]


# --- the page of the seeds ----------------------------------------------------------------------


@pytest.fixture
def seed_page(open_page, built_dir: Path) -> Opened:
    return open_page(built_dir / "graph.html")


def test_page_is_offline_clean_and_draws_the_whole_graph(seed_page: Opened, built_dir: Path, tmp_path: Path) -> None:
    entities, relations = rdf_counts(built_dir)
    assert drawn(seed_page) == (entities, relations)
    state = seed_page.js("window.kgGraph")
    assert state == {"nodes": entities, "edges": relations, "hidden": 0, "total": entities,
                     "physics": False, "ready": True}  # physics ran, settled and was switched off
    assert seed_page.js("window.network.physics.options.enabled") is False
    assert seed_page.page.locator("#kg-note").count() == 0
    legend = seed_page.page.locator("#kg-legend input[data-cls]")
    assert legend.count() == len(set(seed_page.js("window.network.body.data.nodes.get().map(n => n.cls)")))
    seed_page.page.screenshot(path=str(tmp_path / "graph.png"))
    docs = REPO_ROOT / "docs"
    docs.mkdir(exist_ok=True)
    seed_page.page.screenshot(path=str(docs / "graph.png"))
    assert (docs / "graph.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    seed_page.offline_and_clean()


def test_node_tooltip_shows_type_spellings_and_articles(seed_page: Opened, seed_build) -> None:
    projection = seed_build.result.projection
    iri = next(n for n, alts in sorted(projection.nodes(data="alt_labels")) if alts)
    attrs = projection.nodes[iri]
    text = hover_node(seed_page, iri)
    assert attrs["label"] in text and f"type: {attrs['cls']}" in text
    assert all(alt in text for alt in attrs["alt_labels"])
    assert all(article in text for article in attrs["articles"])
    seed_page.offline_and_clean()


def test_edge_tooltip_shows_the_sentence(seed_page: Opened, seed_build) -> None:
    projection = seed_build.result.projection
    edges = seed_page.js("window.network.body.data.edges.get().map(e => [e.id, e.from, e.to, e.prop])")
    edge_id, s, o, prop = next(e for e in edges if e[3] == "directed")
    text = hover_edge(seed_page, edge_id)
    sentence = " ".join(projection.edges[s, o, prop]["evidence"][0]["sentence"].split())
    assert sentence in text and prop in text
    seed_page.offline_and_clean()


@pytest.mark.parametrize("query, label", [
    ("Rodríguez", "Robert Rodriguez"),      # a surname, with the accent of another spelling
    ("ROBERT RODRIGUEZ", "Robert Rodriguez"),
    ("we can be heroes", "We Can Be Heroes"),
    ("le livre de Boba Fett", "The Book of Boba Fett"),  # the French title, an alt label
    ("Nous pouvons etre des heros", "We Can Be Heroes"),
])
def test_search_finds_a_node_by_any_spelling(seed_page: Opened, query: str, label: str) -> None:
    assert search(seed_page, query) == [node_id(seed_page, label)]
    assert seed_page.page.text_content("#kg-search-status").startswith(label)
    seed_page.offline_and_clean()


def test_search_reports_a_miss(seed_page: Opened) -> None:
    assert search(seed_page, "Nobody Atall") == []
    assert "no drawn entity" in seed_page.page.text_content("#kg-search-status")


def test_class_filter_hides_and_shows_nodes(seed_page: Opened) -> None:
    nodes = seed_page.js("window.network.body.data.nodes.get().map(n => [n.id, n.cls])")
    people = {i for i, cls in nodes if cls == "Person"}
    seed_page.page.uncheck('#kg-legend input[data-cls="Person"]')
    assert set(visible_ids(seed_page)) == {i for i, _ in nodes} - people
    hidden_edges = seed_page.js("window.network.body.data.edges.get().filter(e => e.hidden).map(e => [e.from, e.to])")
    assert hidden_edges and all(a in people or b in people for a, b in hidden_edges)
    assert search(seed_page, "Pedro Pascal") == [node_id(seed_page, "Pedro Pascal")]  # finding one shows its class
    assert len(visible_ids(seed_page)) == len(nodes)
    assert seed_page.page.is_checked('#kg-legend input[data-cls="Person"]')
    seed_page.offline_and_clean()


# --- names holding markup stay text -------------------------------------------------------------


def test_markup_in_names_and_sentences_never_runs(open_page, tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "markup.txt").write_text(XSS_ARTICLE, encoding="utf-8")
    result = build([tmp_path / "articles"], out_dir=tmp_path / "out")
    labels = {label for _, label in result.projection.nodes(data="label")}
    assert MARKUP_LABELS <= labels, labels  # the extraction really made entities of them
    opened = open_page(tmp_path / "out" / "graph.html")
    for label in sorted(MARKUP_LABELS):
        iri = node_id(opened, label)
        assert label in hover_node(opened, iri)
        assert search(opened, label) == [iri]
        assert opened.page.text_content("#kg-search-status").startswith(label)
    edges = opened.js("window.network.body.data.edges.get().map(e => e.id)")
    for edge in edges:
        text = hover_edge(opened, edge)
        assert any(label in text for label in MARKUP_LABELS), text
    assert opened.js("typeof window.__xss") == "undefined"
    assert opened.js("document.querySelectorAll('img, svg, b, script[src]').length") == 0
    assert opened.js("document.scripts.length") == 3
    opened.offline_and_clean()  # no alert() dialog, no request for the image "x"


# --- large graphs -------------------------------------------------------------------------------


def test_large_graph_shows_the_most_central_without_physics(open_page, tmp_path: Path) -> None:
    rng = random.Random(3)
    graph = nx.MultiDiGraph()
    n = 2000
    for i in range(n):
        graph.add_node(f"urn:e{i}", label=f"Entity {i}", cls=("Person", "Film", "Organization")[i % 3],
                       alt_labels=(), articles=("a",))
    for i in range(1, n):
        graph.add_edge(f"urn:e{i}", f"urn:e{rng.randrange(i)}", key="actedIn", prop="actedIn", evidence=[])
    analysis = {"nodes": {f"urn:e{i}": {"pagerank": 1 / (i + 1), "community": i % 5} for i in range(n)}}
    page = write_page(tmp_path / "large.html", render_page(graph, analysis, max_nodes=300))
    opened = open_page(page)
    expected_edges = graph.subgraph([f"urn:e{i}" for i in range(300)]).number_of_edges()
    assert drawn(opened) == (300, expected_edges)
    assert opened.js("window.kgGraph") == {"nodes": 300, "edges": expected_edges, "hidden": 1700, "total": 2000,
                                           "physics": False, "ready": True}
    assert opened.js("window.network.physics.options.enabled") is False
    assert opened.page.is_visible("#kg-note")
    assert opened.page.text_content("#kg-note") == "showing 300 of 2,000 entities (the most central); 1,700 hidden"
    ids = set(opened.js("window.network.body.data.nodes.getIds()"))
    assert ids == {f"urn:e{i}" for i in range(300)}
    assert search(opened, "entity 7") == ["urn:e7"]
    opened.offline_and_clean()
    assert opened.requests == [page.resolve().as_uri()]
