"""The embedded store: written by every build, swapped in atomically, reopened by ``open_store``."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Literal

import kg.store
from kg.errors import GraphNotFoundError, KgError
from kg.namespaces import KG, KGID
from kg.rdf import new_dataset, sorted_quads, to_dataset
from kg.store import GRAPH_TRIG, GRAPH_TTL, REPORT_JSON, STORE_DIR, open_store, write_outputs

FILES = (GRAPH_TTL, GRAPH_TRIG, REPORT_JSON)


def quads_of_trig(graph_dir: Path) -> set[ox.Quad]:
    """The quads of ``graph.trig``, as a pyoxigraph store holds them.

    A store keeps numeric literals in canonical form ("0.000000"^^xsd:decimal is stored as
    "0"^^xsd:decimal, the same value), so the parsed quads go through a store too.
    """
    canonical = ox.Store()
    canonical.extend(ox.parse(path=str(graph_dir / GRAPH_TRIG), format=ox.RdfFormat.TRIG))
    return set(canonical)


def tiny_dataset(label: str) -> list[ox.Quad]:
    """The quads of one film in the default graph and one fact in an article graph."""
    dataset = new_dataset()
    film = KGID["film/x"]
    dataset.default_graph.add((film, RDF.type, KG.Film))
    dataset.default_graph.add((film, RDFS.label, Literal(label)))
    dataset.graph(KGID["graph/a"]).add((KGID["article/a"], RDF.type, KG.Article))
    return sorted_quads(dataset)


def labels(store: ox.Store) -> set[str]:
    return {s["l"].value for s in store.query("SELECT ?l WHERE { ?s <%s> ?l }" % RDFS.label,
                                              use_default_graph_as_union=True)}


@pytest.fixture
def copy_of_build(built_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(built_dir, out)
    return out


def test_build_writes_a_store_holding_graph_trig(built_dir: Path) -> None:
    assert (built_dir / STORE_DIR).is_dir()
    store = open_store(built_dir)
    expected = quads_of_trig(built_dir)
    assert len(expected) > 500
    assert set(store) == expected


def test_store_graphs_are_those_of_graph_trig(seed_build, built_dir: Path) -> None:
    store = open_store(built_dir)
    documents = [d["id"] for d in seed_build.result.report["documents"]]
    named = {g.value for g in store.named_graphs()}
    assert {str(KGID[f"graph/{doc}"]) for doc in documents} <= named
    # the default graph alone is what graph.ttl holds: entities and relations, no provenance
    default = {q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert default == {q.triple for q in ox.parse(path=str(built_dir / GRAPH_TTL), format=ox.RdfFormat.TURTLE)}
    assert not any(t.object == ox.NamedNode(str(KG.Mention)) for t in default)
    # the union of graphs answers a query mixing entities and provenance
    answer = store.query("ASK { ?m a <%s> ; <%s> ?e . ?e a <%s> }" % (KG.Mention, KG.refersTo, KG.Person),
                         use_default_graph_as_union=True)
    assert bool(answer)


def test_open_store_is_read_only_and_can_be_shared(built_dir: Path) -> None:
    first, second = open_store(built_dir), open_store(built_dir)  # e.g. `kg serve` and `kg query` at once
    assert len(first) == len(second) > 0
    with pytest.raises((OSError, RuntimeError)):
        first.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
                          ox.Literal("o")))
    assert len(open_store(built_dir)) == len(second)


def test_graph_without_a_store_is_loaded_from_trig(built_dir: Path, tmp_path: Path) -> None:
    shutil.copyfile(built_dir / GRAPH_TRIG, tmp_path / GRAPH_TRIG)  # as an older kg wrote it
    store = open_store(tmp_path)
    assert set(store) == quads_of_trig(built_dir)
    assert not (tmp_path / STORE_DIR).exists()


def test_no_graph_at_all(tmp_path: Path) -> None:
    with pytest.raises(GraphNotFoundError, match=r"no graph in .*kg build --out"):
        open_store(tmp_path)


def test_broken_store_says_how_to_rebuild(tmp_path: Path) -> None:
    (tmp_path / STORE_DIR).mkdir()
    with pytest.raises(GraphNotFoundError, match=r"cannot open the store .*kg build --out"):
        open_store(tmp_path)


def test_quads_and_rdflib_datasets_convert_both_ways() -> None:
    quads = tiny_dataset("One")
    assert [q.graph_name for q in quads] == [ox.DefaultGraph(), ox.DefaultGraph(), ox.NamedNode(str(KGID["graph/a"]))]
    dataset = to_dataset(quads)
    assert (KGID["film/x"], RDFS.label, Literal("One")) in dataset.default_graph  # a plain literal, not xsd:string
    assert len(dataset.graph(KGID["graph/a"])) == 1
    assert sorted_quads(dataset) == quads


# --- write_outputs ------------------------------------------------------------------------------


def test_write_outputs_writes_extra_files_and_the_store(tmp_path: Path) -> None:
    written = write_outputs(tmp_path, tiny_dataset("One"), {"n": 1}, extra_files={"graph.html": "<p>café</p>"})
    assert [p.name for p in written] == [*FILES, "graph.html", STORE_DIR]
    assert (tmp_path / "graph.html").read_text(encoding="utf-8") == "<p>café</p>"
    assert labels(open_store(tmp_path)) == {"One"}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*FILES, "graph.html", STORE_DIR])


@pytest.mark.parametrize("name", ["graph.ttl", "store", "../x.html", "sub/x.html", ".hidden"])
def test_write_outputs_refuses_bad_extra_names(tmp_path: Path, name: str) -> None:
    with pytest.raises(KgError, match="cannot write extra output"):
        write_outputs(tmp_path / "out", tiny_dataset("One"), {}, extra_files={name: "x"})
    assert not (tmp_path / "out").exists()


def test_rebuild_replaces_the_store_while_open_readers_keep_the_old_one(tmp_path: Path) -> None:
    write_outputs(tmp_path, tiny_dataset("One"), {})
    reader = open_store(tmp_path)  # a server that opened the store before the rebuild
    write_outputs(tmp_path, tiny_dataset("Two"), {})
    assert labels(open_store(tmp_path)) == {"Two"}
    assert labels(reader) == {"One"}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*FILES, STORE_DIR])  # old store deleted


def test_failed_store_build_leaves_old_outputs_intact(copy_of_build: Path, monkeypatch) -> None:
    before = {name: (copy_of_build / name).read_bytes() for name in FILES}
    quads = set(open_store(copy_of_build))

    def broken(path, trig):
        os.mkdir(path)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kg.store, "load_store", broken)
    with pytest.raises(KgError, match="No space left on device"):
        write_outputs(copy_of_build, tiny_dataset("New"), {})
    assert {name: (copy_of_build / name).read_bytes() for name in FILES} == before
    assert set(open_store(copy_of_build)) == quads
    assert not [p for p in copy_of_build.iterdir() if p.name.startswith(".kg-build-")]


def test_failed_swap_puts_the_old_store_back(copy_of_build: Path, monkeypatch) -> None:
    quads = set(open_store(copy_of_build))
    real_rename = os.rename

    def rename(src, dst):
        if Path(src).name == STORE_DIR and Path(dst).parent == copy_of_build:  # moving the new store in
            raise OSError(13, "Permission denied")
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(KgError, match="Permission denied"):
        write_outputs(copy_of_build, tiny_dataset("New"), {})
    monkeypatch.undo()
    assert set(open_store(copy_of_build)) == quads
    assert not [p for p in copy_of_build.iterdir() if p.name.startswith(".kg-build-")]
