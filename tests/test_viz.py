"""The graph page as text: self-contained, relations only, safe JSON, large-graph mode, ``kg viz``.

What the page does in a browser is tested in ``tests/test_browser.py``.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import networkx as nx
import pytest
from rdflib import RDF, Graph

from kg.cli import main
from kg.errors import KgError
from kg.namespaces import ENTITY_CLASSES, KG, RELATION_PROPERTIES
from kg.viz import render_page, script_json

DATA = re.compile(r'<script id="kg-data" type="application/json">(.*?)</script>', re.DOTALL)


def payload(html: str) -> dict:
    """The graph data embedded in a page."""
    found = DATA.findall(html)
    assert len(found) == 1
    return json.loads(found[0])


def rdf_counts(out_dir: Path) -> tuple[int, int]:
    """Entities and distinct relation triples between entities in a build's graph.ttl."""
    graph = Graph().parse(out_dir / "graph.ttl", format="turtle")
    classes = {KG[c] for c in ENTITY_CLASSES}
    entities = {s for s, o in graph.subject_objects(RDF.type) if o in classes}
    relations = {(s, p, o) for p in (KG[name] for name in RELATION_PROPERTIES)
                 for s, o in graph.subject_objects(p) if s in entities and o in entities}
    return len(entities), len(relations)


def synthetic(n: int) -> tuple[nx.MultiDiGraph, dict]:
    """A projection of ``n`` entities (a random tree plus chords) and its analysis; ``urn:e{i}`` ranks i-th."""
    import random

    rng = random.Random(7)
    graph = nx.MultiDiGraph()
    classes = ("Person", "Film", "Organization", "TVSeries")
    for i in range(n):
        graph.add_node(f"urn:e{i}", label=f"Entity {i}", cls=classes[i % 4], alt_labels=(f"E-{i}",),
                       articles=(f"article-{i % 50}",))
    evidence = [{"article": "article-1", "sentence": "A sentence.", "start": 0, "end": 11, "rule": "r",
                 "confidence": 0.9}]
    for i in range(1, n):
        for j in sorted({rng.randrange(i), rng.randrange(max(1, i // 2))}):
            graph.add_edge(f"urn:e{i}", f"urn:e{j}", key="actedIn", prop="actedIn", evidence=evidence)
    analysis = {"nodes": {f"urn:e{i}": {"pagerank": 1 / (i + 1), "degree": graph.degree(f"urn:e{i}"),
                                        "community": i % 7} for i in range(n)}}
    return graph, analysis


# --- the page of the seeds ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_page(built_dir: Path) -> str:
    return (built_dir / "graph.html").read_text(encoding="utf-8")


def test_build_writes_the_page(seed_build, built_dir: Path) -> None:
    assert built_dir / "graph.html" in seed_build.result.outputs
    assert (built_dir / "graph.html").stat().st_size > 100_000  # vis-network is inlined


def test_page_references_nothing_remote(seed_page: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", seed_page, re.IGNORECASE)
    assert not re.search(r"<(script|img|iframe)\b[^>]*\bsrc\s*=", seed_page, re.IGNORECASE)
    assert not re.search(r"<link\b", seed_page, re.IGNORECASE)
    assert "@import" not in seed_page
    assert "sourceMappingURL" not in seed_page


def test_page_draws_every_entity_and_relation_but_no_co_mention(seed_build, seed_page: str,
                                                                 built_dir: Path) -> None:
    data = payload(seed_page)
    entities, relations = rdf_counts(built_dir)
    assert (len(data["nodes"]), len(data["edges"])) == (entities, relations)
    assert data["stats"] == {"nodes": entities, "edges": relations, "hidden": 0, "total": entities, "physics": True}
    projection = seed_build.result.projection
    assert any(k == "coMention" for _, _, k in projection.edges(keys=True))  # there were some to leave out
    assert {e["label"] for e in data["edges"]} <= set(RELATION_PROPERTIES)
    assert "showing" not in seed_page


def test_nodes_carry_class_colour_size_and_tooltip_data(seed_build, seed_page: str) -> None:
    data = payload(seed_page)
    nodes = {n["id"]: n for n in data["nodes"]}
    analysis = seed_build.result.analysis["nodes"]
    top = max(analysis, key=lambda n: analysis[n]["pagerank"])
    assert nodes[top]["size"] == max(n["size"] for n in nodes.values())
    for iri, node in nodes.items():
        attrs = seed_build.result.projection.nodes[iri]
        assert (node["label"], node["cls"], node["alts"]) == (attrs["label"], attrs["cls"], list(attrs["alt_labels"]))
        assert node["articles"] == list(attrs["articles"])
        assert re.fullmatch(r"#[0-9a-f]{6}", node["color"])
    colours = {}
    for node in nodes.values():
        colours.setdefault(node["cls"], set()).add(node["color"])
    assert all(len(c) == 1 for c in colours.values()) and len({c.pop() for c in colours.values()}) == len(colours)
    for cls in colours:  # one legend entry (a filter checkbox) per class drawn
        assert seed_page.count(f'data-cls="{cls}"') == 1
    for edge in data["edges"]:
        assert edge["evidence"] and all(e["sentence"] for e in edge["evidence"])


# --- safety of the embedded data ----------------------------------------------------------------


def test_script_json_cannot_close_its_element() -> None:
    nasty = {"label": "</script><script>alert(1)</script> <!-- & \u2028\u2029 ]]>"}
    text = script_json(nasty)
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == nasty


def test_markup_in_names_and_sentences_stays_data() -> None:
    graph = nx.MultiDiGraph()
    evil = "</script><script>window.__xss=1</script>"
    graph.add_node("urn:a", label="<img src=x onerror=alert(1)>", cls="Person", alt_labels=("<b>A</b>",),
                   articles=("<i>article</i>",))
    graph.add_node("urn:f", label=evil, cls="Film", alt_labels=(), articles=())
    graph.add_edge("urn:a", "urn:f", key="directed", prop="directed",
                   evidence=[{"article": "x", "sentence": f"She directed {evil}.", "start": 0, "end": 9,
                              "rule": "<r>", "confidence": 1.0}])
    html = render_page(graph, {"nodes": {}}, title="<title> & </title>")
    assert html.count("</script>") == 3  # the data, vis-network and the page script
    assert not re.search("[<>&]", DATA.search(html).group(1))
    assert "window.__xss" not in DATA.sub("", html) and "<img" not in html
    assert "<title>&lt;title&gt; &amp; &lt;/title&gt;</title>" in html
    assert "<h1>&lt;title&gt; &amp; &lt;/title&gt;</h1>" in html
    data = payload(html)
    assert {n["label"] for n in data["nodes"]} == {"<img src=x onerror=alert(1)>", evil}
    assert data["edges"][0]["evidence"][0]["sentence"] == f"She directed {evil}."


def test_render_is_deterministic() -> None:
    graph, analysis = synthetic(200)
    assert render_page(graph, analysis) == render_page(graph, analysis)


def test_max_nodes_must_be_positive() -> None:
    graph, analysis = synthetic(3)
    with pytest.raises(KgError, match="max_nodes"):
        render_page(graph, analysis, max_nodes=0)


def test_empty_graph_renders() -> None:
    data = payload(render_page(nx.MultiDiGraph(), {"nodes": {}}))
    assert data["nodes"] == [] and data["edges"] == [] and data["stats"]["physics"] is False


# --- large graphs -------------------------------------------------------------------------------


def test_large_graph_draws_the_most_central_with_positions_and_no_physics() -> None:
    graph, analysis = synthetic(2000)
    html = render_page(graph, analysis, max_nodes=300)
    data = payload(html)
    drawn = {n["id"] for n in data["nodes"]}
    assert drawn == {f"urn:e{i}" for i in range(300)}
    assert all(e["from"] in drawn and e["to"] in drawn for e in data["edges"])
    assert len(data["edges"]) == graph.subgraph(drawn).number_of_edges()
    assert data["stats"] == {"nodes": 300, "edges": len(data["edges"]), "hidden": 1700, "total": 2000,
                             "physics": False}
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == 300
    assert "showing 300 of 2,000 entities (the most central); 1,700 hidden" in html


def test_rendering_stays_fast_on_a_big_graph() -> None:
    """pyvis's add_node/add_edge are quadratic; the page of 20,000 entities must not be."""
    graph, analysis = synthetic(20_000)
    start = time.perf_counter()
    data = payload(render_page(graph, analysis, max_nodes=300))
    assert time.perf_counter() - start < 20
    assert data["stats"]["nodes"] == 300 and data["stats"]["hidden"] == 19_700


# --- kg viz -------------------------------------------------------------------------------------


def test_kg_viz_writes_the_same_page_as_the_build(capsys, built_dir: Path, tmp_path: Path) -> None:
    for name in ("graph.trig", "report.json"):
        shutil.copyfile(built_dir / name, tmp_path / name)
    assert main(["viz", "--graph", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"wrote {tmp_path / 'graph.html'}\n"
    assert (tmp_path / "graph.html").read_bytes() == (built_dir / "graph.html").read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_kg_viz_output_and_max_nodes(capsys, built_dir: Path, tmp_path: Path) -> None:
    page = tmp_path / "sub" / "page.html"
    assert main(["viz", "--graph", str(built_dir), "-o", str(page), "--max-nodes", "5"]) == 0
    html = page.read_text(encoding="utf-8")
    entities, _ = rdf_counts(built_dir)
    assert f"showing 5 of {entities} entities (the most central); {entities - 5} hidden" in html
    assert payload(html)["stats"]["nodes"] == 5


@pytest.mark.parametrize("argv, fragment", [
    (["viz", "--graph", "{tmp}/nothing"], "no graph in"),
    (["viz", "--graph", "{built}", "-o", "{tmp}/file/page.html"], "cannot write"),
], ids=["no-graph", "unwritable"])
def test_kg_viz_errors_are_one_line(capsys, built_dir: Path, tmp_path: Path, argv, fragment) -> None:
    (tmp_path / "file").write_text("a file, not a folder", encoding="utf-8")
    code = main([a.format(tmp=tmp_path, built=built_dir) for a in argv])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and err.startswith("kg: error: ") and fragment in err, err


def test_kg_viz_rejects_a_bad_max_nodes(capsys, built_dir: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["viz", "--graph", str(built_dir), "--max-nodes", "0"])
    assert exit_info.value.code == 2
    assert "positive whole number" in capsys.readouterr().err


def test_kg_viz_help(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["viz", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: kg viz") and all(o in out for o in ("--graph", "--output", "--max-nodes"))
