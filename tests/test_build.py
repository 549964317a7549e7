"""End-to-end tests of ``kg build`` on ``seeds/``: outputs, RDF validity, provenance, determinism."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import DCTERMS

from kg.analysis import ANALYSIS_GRAPH
from kg.build import build
from kg.namespaces import ENTITY_CLASSES, KG, RELATION_PROPERTIES
from kg.store import load_dataset
from kg.validate import validate_graph

DEFAULT_GRAPH = URIRef("urn:x-rdflib:default")
ENTITY_TYPES = {KG[c]: c for c in ENTITY_CLASSES}
RELATIONS = {KG[p]: p for p in RELATION_PROPERTIES}
OUTPUTS = ("graph.ttl", "graph.trig", "report.json", "graph.html", "manifest.json")
FOLDERS = ("store", "cache")  # the embedded SPARQL store, the records of the incremental build

MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
    "novembre", "décembre",
)
JUNK_LABELS = {"n’", "c’", "n'", "c'", "décembre", "home movies", "exit mobile version", "recommended videos"}


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ttl(built_dir: Path) -> Graph:
    return Graph().parse(built_dir / "graph.ttl", format="turtle")


@pytest.fixture(scope="module")
def dataset(built_dir: Path):
    return load_dataset(built_dir)


@pytest.fixture(scope="module")
def report(built_dir: Path) -> dict:
    return json.loads((built_dir / "report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def named_graphs(dataset) -> dict[URIRef, Graph]:
    """The article graphs (every graph but the default one and the analysis results), by name."""
    return {g.identifier: g for g in dataset.graphs()
            if g.identifier not in (DEFAULT_GRAPH, ANALYSIS_GRAPH) and len(g)}


def article_text(repo_root: Path, source_file: str) -> str:
    """The article as the build must see it: UTF-8, BOM dropped, newlines normalised to LF."""
    raw = (repo_root / source_file).read_bytes().decode("utf-8-sig")
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def entities(graph: Graph) -> set[URIRef]:
    return {s for s, o in graph.subject_objects(RDF.type) if o in ENTITY_TYPES}


def names(graph: Graph, node) -> set[str]:
    return {str(o) for o in graph.objects(node, RDFS.label)} | {str(o) for o in graph.objects(node, SKOS.altLabel)}


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


# --- outputs and counts -------------------------------------------------------------------------


def test_build_writes_its_outputs(seed_build, built_dir: Path) -> None:
    for name in OUTPUTS:
        assert (built_dir / name).is_file(), name
        assert (built_dir / name).stat().st_size > 0, name
    assert [p.name for p in seed_build.result.outputs] == [*OUTPUTS, "store"]
    # no staging folder left behind
    assert sorted(p.name for p in built_dir.iterdir()) == sorted([*OUTPUTS, *FOLDERS])


def test_report_counts_match_the_graph(ttl: Graph, report: dict) -> None:
    by_class = Counter(ENTITY_TYPES[o] for s, o in ttl.subject_objects(RDF.type) if o in ENTITY_TYPES)
    assert dict(by_class) == report["entities_by_class"]
    assert len(entities(ttl)) == report["entities"] == sum(report["entities_by_class"].values())
    by_prop = Counter(RELATIONS[p] for _, p, _ in ttl if p in RELATIONS)
    assert dict(by_prop) == report["relations_by_property"]
    assert sum(by_prop.values()) == report["relations"]
    assert report["entities"] > 0 and report["relations"] > 0


def test_report_documents_match_the_article_graphs(dataset, named_graphs, report: dict) -> None:
    articles = set(dataset.subjects(RDF.type, KG.Article))
    assert report["articles"] == len(articles) == len(report["documents"]) == len(named_graphs) == 2
    assert report["languages"] == {"en": 1, "fr": 1}
    assert report["warnings"] == []
    for doc in report["documents"]:
        graph = next(g for name, g in named_graphs.items() if str(name).endswith("/" + doc["id"]))
        mentions = set(graph.subjects(RDF.type, KG.Mention))
        referred = {o for m in mentions for o in graph.objects(m, KG.refersTo)}
        assert len(referred) == doc["entities"], doc["id"]
        assert len(mentions) == doc["mentions"], doc["id"]
        (article,) = graph.subjects(RDF.type, KG.Article)
        assert str(graph.value(article, KG.sourceFile)).endswith(Path(doc["path"]).name)
        assert str(graph.value(article, DCTERMS.language)) == doc["lang"]


def test_ttl_is_the_default_graph_of_the_trig(ttl: Graph, dataset) -> None:
    assert set(ttl) == set(dataset.graph(DEFAULT_GRAPH))
    assert len(ttl) > 0


# --- strict parsing -----------------------------------------------------------------------------


def test_ttl_parses_with_pyoxigraph_and_agrees_with_rdflib(built_dir: Path, ttl: Graph) -> None:
    triples = list(ox.parse(path=built_dir / "graph.ttl", format=ox.RdfFormat.TURTLE))
    assert len(triples) == len(ttl)
    expected = set(ox.parse(ttl.serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES))
    assert set(triples) == expected


def test_trig_parses_with_pyoxigraph_and_agrees_with_rdflib(built_dir: Path, dataset, named_graphs) -> None:
    quads = list(ox.parse(path=built_dir / "graph.trig", format=ox.RdfFormat.TRIG))
    rdflib_quads = list(dataset.quads((None, None, None, None)))
    assert len(quads) == len(rdflib_quads) == len(set(quads))
    expected = set(ox.parse(dataset.serialize(format="nquads"), format=ox.RdfFormat.N_QUADS))
    assert set(quads) == expected
    graph_names = {q.graph_name for q in quads}
    # the default graph, one graph per article and the analysis results
    assert graph_names == {ox.DefaultGraph(), ox.NamedNode(str(ANALYSIS_GRAPH)),
                           *(ox.NamedNode(str(g)) for g in named_graphs)}
    assert len(graph_names) == 4


def test_no_blank_nodes(built_dir: Path) -> None:
    for name, fmt in (("graph.ttl", ox.RdfFormat.TURTLE), ("graph.trig", ox.RdfFormat.TRIG)):
        for quad in ox.parse(path=built_dir / name, format=fmt):
            terms = (quad.subject, quad.object, quad.graph_name)
            assert not any(isinstance(t, ox.BlankNode) for t in terms), (name, quad)


def test_no_blank_nodes_in_the_in_memory_dataset(seed_build) -> None:
    for quad in seed_build.result.dataset.quads((None, None, None, None)):
        assert not any(isinstance(t, BNode) for t in quad), quad


# --- SHACL --------------------------------------------------------------------------------------


def test_union_of_graphs_conforms_to_shapes(dataset) -> None:
    conforms, text = validate_graph(dataset)
    assert conforms, text


def test_a_broken_graph_does_not_conform(built_dir: Path) -> None:
    """The validation is not vacuous: an entity without a label is reported."""
    dataset = load_dataset(built_dir)
    node = next(iter(entities(dataset.graph(DEFAULT_GRAPH))))
    dataset.graph(DEFAULT_GRAPH).remove((node, RDFS.label, None))
    conforms, _ = validate_graph(dataset)
    assert not conforms


# --- entities, mentions, assertions -------------------------------------------------------------


def test_every_entity_has_exactly_one_label(dataset, ttl: Graph) -> None:
    nodes = entities(ttl)
    assert nodes
    for node in nodes:
        labels = list(dataset.objects(node, RDFS.label))
        assert len(labels) == 1, (node, labels)
        assert str(labels[0]).strip() == str(labels[0]) != ""
        assert len(set(ttl.objects(node, RDF.type)) & set(ENTITY_TYPES)) == 1, node


def test_mention_surface_text_matches_the_article_at_its_offsets(repo_root: Path, named_graphs) -> None:
    checked = 0
    for graph in named_graphs.values():
        (article,) = graph.subjects(RDF.type, KG.Article)
        text = article_text(repo_root, str(graph.value(article, KG.sourceFile)))
        for mention in graph.subjects(RDF.type, KG.Mention):
            start = graph.value(mention, KG.startOffset).toPython()
            end = graph.value(mention, KG.endOffset).toPython()
            surface = str(graph.value(mention, KG.surfaceText))
            sentence = str(graph.value(mention, KG.sentence))
            assert 0 <= start < end <= len(text)
            assert text[start:end] == surface, mention
            assert surface in sentence and sentence in text, mention
            assert graph.value(mention, KG.inArticle) == article
            checked += 1
    assert checked >= 40


def test_assertion_sentence_matches_the_article_at_its_offsets(repo_root: Path, named_graphs) -> None:
    checked = 0
    for graph in named_graphs.values():
        (article,) = graph.subjects(RDF.type, KG.Article)
        text = article_text(repo_root, str(graph.value(article, KG.sourceFile)))
        for node in graph.subjects(RDF.type, KG.RelationAssertion):
            start = graph.value(node, KG.startOffset).toPython()
            end = graph.value(node, KG.endOffset).toPython()
            assert text[start:end] == str(graph.value(node, KG.sentence)), node
            inside = 0
            for link in (KG.subjectMention, KG.objectMention):
                mention = graph.value(node, link)
                assert (mention, RDF.type, KG.Mention) in graph
                m_start = graph.value(mention, KG.startOffset).toPython()
                m_end = graph.value(mention, KG.endOffset).toPython()
                # a mention outside the sentence is the antecedent of a pronoun there ("he"): it comes before
                assert m_end <= end, (node, link)
                inside += start <= m_start < m_end <= end
            assert inside >= 1, node
            checked += 1
    assert checked >= 10


def test_mentions_refer_to_the_asserted_entities(named_graphs) -> None:
    for graph in named_graphs.values():
        for node in graph.subjects(RDF.type, KG.RelationAssertion):
            subject_mention = graph.value(node, KG.subjectMention)
            object_mention = graph.value(node, KG.objectMention)
            assert graph.value(subject_mention, KG.refersTo) == graph.value(node, RDF.subject)
            assert graph.value(object_mention, KG.refersTo) == graph.value(node, RDF.object)


# --- determinism --------------------------------------------------------------------------------


def test_rebuilding_gives_byte_identical_outputs(repo_root: Path, built_dir: Path, tmp_path: Path) -> None:
    build([repo_root / "seeds"], out_dir=tmp_path)
    for name in OUTPUTS:
        assert (tmp_path / name).read_bytes() == (built_dir / name).read_bytes(), name


# --- quality on the seeds -----------------------------------------------------------------------


def test_junk_never_becomes_an_entity(ttl: Graph) -> None:
    month = re.compile(r"^(?:%s)\b" % "|".join(MONTHS))
    for node in entities(ttl):
        for name in names(ttl, node):
            folded = fold(name)
            assert folded not in JUNK_LABELS, (node, name)
            assert not month.match(folded), (node, name)


def test_entities_merge_across_accents_and_case(ttl: Graph) -> None:
    both = [n for n in entities(ttl) if {"Robert Rodriguez", "Robert Rodríguez"} <= names(ttl, n)]
    assert len(both) == 1
    either = [n for n in entities(ttl) if names(ttl, n) & {"Robert Rodriguez", "Robert Rodríguez", "Rodríguez"}]
    assert either == both
    assert (both[0], RDF.type, KG.Person) in ttl
    heroes = [n for n in entities(ttl) if fold("We Can Be Heroes") in {fold(x) for x in names(ttl, n)}]
    assert len(heroes) == 1 and (heroes[0], RDF.type, KG.Film) in ttl


def test_acted_in_triples_have_provenance(ttl: Graph, named_graphs) -> None:
    triples = list(ttl.triples((None, KG.actedIn, None)))
    assert len(triples) == 7
    for s, p, o in triples:
        found = []
        for graph in named_graphs.values():
            for node in graph.subjects(RDF.type, KG.RelationAssertion):
                if (graph.value(node, RDF.subject), graph.value(node, RDF.predicate),
                        graph.value(node, RDF.object)) == (s, p, o):
                    found.append((graph, node))
        assert found, (s, p, o)
        for graph, node in found:
            rule = graph.value(node, KG.extractedBy)
            confidence = graph.value(node, KG.confidence)
            sentence = graph.value(node, KG.sentence)
            assert isinstance(rule, Literal) and str(rule)
            assert isinstance(confidence, Literal) and confidence.datatype == rdfns.XSD.decimal
            assert Decimal(0) < confidence.toPython() <= Decimal(1)
            assert isinstance(sentence, Literal) and len(str(sentence)) > 10
            assert (graph.value(node, KG.inArticle), RDF.type, KG.Article) in graph


def test_every_relation_triple_has_an_assertion(ttl: Graph, named_graphs) -> None:
    asserted = set()
    for graph in named_graphs.values():
        for node in graph.subjects(RDF.type, KG.RelationAssertion):
            asserted.add((graph.value(node, RDF.subject), graph.value(node, RDF.predicate),
                          graph.value(node, RDF.object)))
    relations = {t for t in ttl if t[1] in RELATIONS}
    assert relations and relations == asserted


def test_builds_in_separate_processes_are_byte_identical(repo_root: Path, tmp_path: Path) -> None:
    """Hash seeds differ between processes; nothing written may depend on them (set or dict order)."""
    import os
    import subprocess
    import sys

    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "kg", "build", str(repo_root / "seeds"), "--out", str(out), "-q"],
                       check=True, env=env, cwd=repo_root, capture_output=True)
        outputs.append(out)
    for name in OUTPUTS:
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name


def test_built_quads_are_in_canonical_order(seed_build) -> None:
    """Default graph, article graphs by IRI, analysis graph; each subject's statements together; no repeats."""
    quads = seed_build.result.quads
    assert len(quads) == len(set(quads)) > 100
    graphs = [q.graph_name for q in quads]
    blocks = [g for i, g in enumerate(graphs) if i == 0 or g != graphs[i - 1]]
    assert blocks[0] == ox.DefaultGraph() and len(blocks) == len(set(blocks))
    assert blocks[-1] == ox.NamedNode(str(ANALYSIS_GRAPH))
    assert [g.value for g in blocks[1:-1]] == sorted(g.value for g in blocks[1:-1])
    runs = [(q.graph_name, q.subject) for i, q in enumerate(quads)
            if i == 0 or (q.graph_name, q.subject) != (quads[i - 1].graph_name, quads[i - 1].subject)]
    assert len(runs) == len(set(runs))
