"""Graph analysis (``kg/analysis.py``) and paths (``kg/paths.py``, ``kg path``) on the seed build."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import RDF, Literal, URIRef

from kg.analysis import ANALYSIS_GRAPH, CO_MENTION, analyse, project
from kg.cli import main
from kg.namespaces import ENTITY_CLASSES, KG, RELATION_PROPERTIES
from kg.paths import find_entity, shortest_path
from kg.query import run_query
from kg.store import load_dataset

ENTITY_TYPES = {KG[c] for c in ENTITY_CLASSES}
MOST_CENTRAL_FILM = f"""
SELECT ?label ?rank WHERE {{
    GRAPH <{ANALYSIS_GRAPH}> {{ ?film kg:pageRank ?rank }}
    ?film a kg:Film ; rdfs:label ?label .
}} ORDER BY DESC(?rank) ?label LIMIT 1
"""


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code: int, err: str, fragment: str) -> None:
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("kg: error: ") and fragment in err, err
    assert "Traceback" not in err


# --- projection ---------------------------------------------------------------------------------


def test_projection_has_entities_as_nodes_and_relations_as_edges(seed_build) -> None:
    dataset = seed_build.result.dataset
    projection = project(dataset)
    entities = {str(s) for s, o in dataset.subject_objects(RDF.type) if o in ENTITY_TYPES}
    assert set(projection.nodes) == entities
    # labels, types, classes, articles and mentions are attributes, never nodes
    classes = {str(c) for c in ENTITY_TYPES}
    labels = {data["label"] for _, data in projection.nodes(data=True)}
    assert not set(projection.nodes) & (classes | labels)
    assert all(n.startswith("https://w3id.org/kg-news/id/") and "/article" not in n for n in projection.nodes)
    for node, data in projection.nodes(data=True):
        assert data["cls"] in ENTITY_CLASSES and data["label"]
        assert (URIRef(node), RDF.type, KG[data["cls"]]) in dataset
    relations = {(str(s), p, str(o)) for p in RELATION_PROPERTIES for s, o in dataset.subject_objects(KG[p])}
    assert {(s, k, o) for s, o, k in projection.edges(keys=True)} == relations
    assert CO_MENTION not in {k for _, _, k in projection.edges(keys=True)}


def test_edges_carry_their_evidence(seed_build) -> None:
    projection = seed_build.result.projection
    relation_edges = [(s, o, k, d) for s, o, k, d in projection.edges(keys=True, data=True) if k != CO_MENTION]
    assert relation_edges
    for s, o, prop, data in relation_edges:
        assert data["prop"] == prop and data["evidence"], (s, prop, o)
        for evidence in data["evidence"]:
            assert evidence["sentence"] and evidence["rule"] and 0 < evidence["confidence"] <= 1
            assert evidence["article"] in projection.nodes[s]["articles"]


def test_co_mentions_are_weighted_and_kept_apart(seed_build) -> None:
    projection = seed_build.result.projection
    co = [(s, o, d) for s, o, k, d in projection.edges(keys=True, data=True) if k == CO_MENTION]
    assert co and all(d["weight"] >= 1 and s < o for s, o, d in co)
    summary = seed_build.result.analysis["summary"]
    relations_only = {(min(s, o), max(s, o)) for s, o, k in projection.edges(keys=True) if k != CO_MENTION and s != o}
    assert summary["edges"] == len(relations_only)  # components and betweenness ignore co-mentions


# --- metrics ------------------------------------------------------------------------------------


def test_every_entity_has_metrics(seed_build) -> None:
    nodes = seed_build.result.analysis["nodes"]
    assert set(nodes) == set(seed_build.result.projection.nodes)
    assert sum(v["pagerank"] for v in nodes.values()) == pytest.approx(1.0)
    for values in nodes.values():
        assert set(values) == {"label", "cls", "degree", "pagerank", "betweenness", "component", "community"}
        assert 0 <= values["betweenness"] <= 1
    summary = seed_build.result.analysis["summary"]
    assert summary["nodes"] == len(nodes)
    assert summary["components"] == len({v["component"] for v in nodes.values()})
    assert summary["communities"] == len({v["community"] for v in nodes.values()})
    ranks = [c["pagerank"] for c in summary["most_central"]]
    assert ranks == sorted(ranks, reverse=True)


def test_metrics_are_in_the_analysis_graph_and_answer_sparql(seed_build, built_dir: Path) -> None:
    analysis = seed_build.result.analysis["nodes"]
    films = [n for n, v in analysis.items() if v["cls"] == "Film"]
    expected = max(films, key=lambda n: (analysis[n]["pagerank"], analysis[n]["label"]))
    for dataset in (seed_build.result.dataset, load_dataset(built_dir)):  # in memory and as written
        named = dataset.graph(ANALYSIS_GRAPH)
        assert len(set(named.subjects(KG.pageRank, None))) == len(analysis)
        degree = named.value(URIRef(expected), KG.degree)
        assert isinstance(degree, Literal) and degree.toPython() == analysis[expected]["degree"]
        rows = list(run_query(dataset, MOST_CENTRAL_FILM))
        assert [str(row.label) for row in rows] == [analysis[expected]["label"]]


def test_kg_query_finds_the_most_central_film(capsys, seed_build, built_dir: Path) -> None:
    analysis = seed_build.result.analysis["nodes"]
    film = max((v for v in analysis.values() if v["cls"] == "Film"), key=lambda v: (v["pagerank"], v["label"]))
    code, out, err = run(capsys, "query", " ".join(MOST_CENTRAL_FILM.split()), "--graph", built_dir,
                         "--format", "csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["label", "rank"] and rows[1][0] == film["label"]


def test_report_holds_the_analysis_summary(seed_build, built_dir: Path) -> None:
    report = json.loads((built_dir / "report.json").read_text(encoding="utf-8"))
    assert report["analysis"] == json.loads(json.dumps(seed_build.result.analysis["summary"]))
    assert set(report["analysis"]) >= {"components", "largest_component", "communities", "modularity",
                                       "most_central"}


def test_analysis_is_deterministic(seed_build, built_dir: Path) -> None:
    projection = project(seed_build.result.dataset, co_mentions=True)
    first, second = analyse(projection), analyse(projection)
    assert first == second
    assert first == seed_build.result.analysis
    reloaded = analyse(project(load_dataset(built_dir), co_mentions=True))
    assert reloaded["summary"] == first["summary"]
    assert {n: v["community"] for n, v in reloaded["nodes"].items()} == \
        {n: v["community"] for n, v in first["nodes"].items()}


# --- paths --------------------------------------------------------------------------------------


def test_find_entity_by_any_spelling(seed_build) -> None:
    projection = seed_build.result.projection
    target = find_entity(projection, "Robert Rodriguez")
    assert find_entity(projection, "ROBERT RODRÍGUEZ") == find_entity(projection, "Rodríguez") == target


def test_shortest_path_follows_relations_with_evidence(seed_build) -> None:
    projection = seed_build.result.projection
    source = find_entity(projection, "Pedro Pascal")
    target = find_entity(projection, "The Book of Boba Fett")
    hops = shortest_path(projection, source, target)
    assert hops and all(h.prop in RELATION_PROPERTIES and h.evidence for h in hops)
    chain = [source]
    for hop in hops:  # each hop starts where the last ended, in either direction
        assert chain[-1] in (hop.subject, hop.object)
        chain.append(hop.object if chain[-1] == hop.subject else hop.subject)
    assert chain[-1] == target


def test_kg_path_prints_every_hop_with_a_sentence(capsys, seed_build, built_dir: Path) -> None:
    code, out, err = run(capsys, "path", "Pedro Pascal", "The Book of Boba Fett", "--graph", built_dir)
    assert code == 0 and err == ""
    lines = out.splitlines()
    hops = [line for line in lines if line[:1].isdigit()]
    projection = seed_build.result.projection
    expected = shortest_path(projection, find_entity(projection, "Pedro Pascal"),
                             find_entity(projection, "The Book of Boba Fett"))
    assert len(hops) == len(expected) >= 2
    assert hops[0].startswith("1. Pedro Pascal --") and "The Book of Boba Fett" in hops[-1]
    for i, line in enumerate(lines):
        if line[:1].isdigit():
            assert lines[i + 1].strip().startswith("“") and lines[i + 1].strip().endswith("”")
            assert "rule " in lines[i + 2] and "confidence " in lines[i + 2]


def test_kg_path_unknown_entity_is_one_line(capsys, built_dir: Path) -> None:
    code, out, err = run(capsys, "path", "Nobody Atall", "Pedro Pascal", "--graph", built_dir)
    assert out == ""
    assert_one_line_error(code, err, "Nobody Atall")


def test_kg_path_without_a_path_is_one_line(capsys, seed_build, built_dir: Path) -> None:
    nodes = seed_build.result.analysis["nodes"]
    by_component = {}
    for node in sorted(nodes, key=lambda n: nodes[n]["label"]):
        by_component.setdefault(nodes[node]["component"], nodes[node]["label"])
    assert len(by_component) >= 2
    a, b = by_component[0], by_component[max(by_component)]
    code, out, err = run(capsys, "path", a, b, "--graph", built_dir)
    assert out == ""
    assert_one_line_error(code, err, "no chain of relations")


def _same_projection(a, b) -> None:
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True), key=repr) == sorted(b.edges(keys=True, data=True), key=repr)


def test_projection_of_the_records_is_the_projection_of_the_graph(seed_build, built_dir: Path) -> None:
    """A build projects its records; a graph read from disk is projected from RDF: the same graph."""
    from_records = seed_build.result.projection
    assert from_records.number_of_edges() > from_records.number_of_nodes() > 10
    _same_projection(from_records, project(load_dataset(built_dir), co_mentions=True))


def test_projection_keeps_article_ids_that_need_quoting_in_iris(tmp_path: Path) -> None:
    from kg.build import build

    (tmp_path / "Un été à Paris.txt").write_text(
        "Le film Les Nuits Blanches est réalisé par Marie Durand. Marie Durand vit à Lyon.", encoding="utf-8")
    result = build([tmp_path], out_dir=None, lang="fr")
    assert {a for _, a in result.projection.nodes(data="articles") if a} == {("Un été à Paris",)}
    _same_projection(result.projection, project(result.dataset, co_mentions=True))


def _relation_graph_one_edge_at_a_time(projection, co_mentions: bool):
    """The relation graph as kg made it before ``relation_graphs``: the reference for the edge order."""
    import networkx as nx

    undirected = nx.Graph()
    undirected.add_nodes_from(sorted(projection.nodes))
    for s, o, key, data in sorted(projection.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        if s == o or (key == CO_MENTION and not co_mentions):
            continue
        if undirected.has_edge(s, o):
            undirected[s][o]["weight"] += data.get("weight", 1)
        else:
            undirected.add_edge(s, o, weight=data.get("weight", 1))
    return undirected


def test_relation_graphs_add_nodes_and_edges_in_the_order_the_analysis_depends_on():
    import random

    import networkx as nx

    from kg.analysis import relation_graphs

    rng = random.Random(7)
    projection = nx.MultiDiGraph()
    nodes = [f"urn:e{i}" for i in range(40)]
    projection.add_nodes_from(rng.sample(nodes, len(nodes)))
    for _ in range(150):  # both directions, self-loops, several properties and co-mentions between a pair
        s, o = rng.choice(nodes), rng.choice(nodes)
        key = rng.choice(["actedIn", "directed", "collaboratedWith", CO_MENTION])
        data = {"weight": rng.randint(1, 3)} if key == CO_MENTION else {}
        projection.add_edge(s, o, key=key, prop=key, **data)
    for graph, co_mentions in zip(relation_graphs(projection), (False, True)):
        expected = _relation_graph_one_edge_at_a_time(projection, co_mentions)
        assert list(graph.nodes) == list(expected.nodes)
        assert list(graph.edges(data=True)) == list(expected.edges(data=True))
        assert all(list(graph.adj[n]) == list(expected.adj[n]) for n in graph)
