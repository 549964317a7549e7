"""Incremental builds update the previous store and graph.trig in place, graph by graph."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg.rdf
import kg.store
from kg.build import build
from kg.errors import KgError
from kg.store import GRAPH_TRIG, STORE_DIR, STORE_INDEX, PreviousGraphs, open_store, trig_block, trig_bytes, \
    trig_header, write_outputs

ARTICLE_A = "Director Ana Lopez directed the film “The Long Night”, starring Tom Reed.\n"
ARTICLE_B = "Tom Reed also stars in the series “Blue Harbor”, produced by Mia Chen.\n"
ARTICLE_C = "Netflix released the documentary “Cold Water”, directed by Paul Martin.\n"
OUTPUTS = ("graph.ttl", "graph.trig", "report.json", "manifest.json", "graph.html")


def write(folder: Path, **articles: str) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def stored(out: Path) -> set[ox.Quad]:
    return set(open_store(out))


def trig_quads(out: Path) -> set[ox.Quad]:
    """The quads of graph.trig as a store holds them (numeric literals in canonical form)."""
    canonical = ox.Store()
    canonical.extend(ox.parse(path=str(out / GRAPH_TRIG), format=ox.RdfFormat.TRIG))
    return set(canonical)


def assert_same_as_fresh(out: Path, corpus: Path, tmp_path: Path) -> None:
    """``out`` holds the files and store a fresh build of ``corpus`` makes, and its store holds graph.trig."""
    fresh = tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}"
    build([corpus], fresh, fresh=True)
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name
    assert stored(out) == stored(fresh) == trig_quads(out)
    assert PreviousGraphs.read(out) is not None


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """Ids of the articles whose graph each build makes (rather than reuses)."""
    calls: list[str] = []
    real = kg.rdf.article_quads

    def spy(document, *args, **kwargs):
        calls.append(document.doc_id)
        return real(document, *args, **kwargs)

    monkeypatch.setattr(kg.rdf, "article_quads", spy)
    return calls


def test_updated_store_and_files_equal_a_fresh_build(tmp_path: Path, made: list[str]) -> None:
    corpus = write(tmp_path / "articles", a=ARTICLE_A, b=ARTICLE_B)
    out = tmp_path / "out"
    build([corpus], out)
    assert sorted(made) == ["a", "b"]
    write(corpus, c=ARTICLE_C)  # new
    made.clear()
    result = build([corpus], out)
    assert made == ["c"]  # a and b are taken from the previous graph.trig and store
    assert_same_as_fresh(out, corpus, tmp_path)
    assert set(result.quads) == set(build([corpus], None).quads)  # made again on demand
    write(corpus, a=ARTICLE_A.replace("Tom Reed", "Sam Price"))  # changed
    build([corpus], out)
    assert_same_as_fresh(out, corpus, tmp_path)
    (corpus / "b.txt").unlink()  # removed
    build([corpus], out)
    assert not any(g.value.endswith("/graph/b") for g in open_store(out).named_graphs())
    assert_same_as_fresh(out, corpus, tmp_path)


def test_update_copies_the_store_instead_of_loading_it(tmp_path: Path, monkeypatch) -> None:
    corpus = write(tmp_path / "articles", a=ARTICLE_A)
    out = tmp_path / "out"
    build([corpus], out)
    loads, copies = [], []
    real_load, real_copy = kg.store.load_store, kg.store.copy_store
    monkeypatch.setattr(kg.store, "load_store", lambda *a: loads.append(a) or real_load(*a))
    monkeypatch.setattr(kg.store, "copy_store", lambda *a: copies.append(a) or real_copy(*a))
    build([write(corpus, b=ARTICLE_B)], out)
    assert not loads and len(copies) == 1
    build([corpus], out, fresh=True)  # --fresh loads a new store
    assert len(loads) == 2 and len(copies) == 1


def test_a_graph_trig_not_matching_the_index_is_not_reused(tmp_path: Path, made: list[str]) -> None:
    corpus = write(tmp_path / "articles", a=ARTICLE_A, b=ARTICLE_B)
    out = tmp_path / "out"
    build([corpus], out)
    with open(out / GRAPH_TRIG, "ab") as handle:  # e.g. a build interrupted between moving graph.trig and store/
        handle.write(b"# edited\n")
    assert PreviousGraphs.read(out) is None
    made.clear()
    build([write(corpus, c=ARTICLE_C)], out)
    assert sorted(made) == ["a", "b", "c"]
    assert_same_as_fresh(out, corpus, tmp_path)


def test_a_store_without_index_is_rebuilt(tmp_path: Path, made: list[str]) -> None:
    corpus = write(tmp_path / "articles", a=ARTICLE_A)
    out = tmp_path / "out"
    build([corpus], out)
    (out / STORE_DIR / STORE_INDEX).unlink()  # as an older kg wrote it
    made.clear()
    build([write(corpus, b=ARTICLE_B)], out)
    assert sorted(made) == ["a", "b"]
    assert_same_as_fresh(out, corpus, tmp_path)


def test_failed_update_leaves_the_previous_outputs_intact(tmp_path: Path, monkeypatch) -> None:
    corpus = write(tmp_path / "articles", a=ARTICLE_A)
    out = tmp_path / "out"
    build([corpus], out)
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    quads, index = stored(out), (out / STORE_DIR / STORE_INDEX).read_bytes()

    def broken(path, *args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kg.store, "update_store", broken)
    with pytest.raises(KgError, match="No space left on device"):
        build([write(corpus, b=ARTICLE_B)], out)
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    assert stored(out) == quads and (out / STORE_DIR / STORE_INDEX).read_bytes() == index
    assert not [p for p in out.iterdir() if p.name.startswith(".kg-build-")]
    monkeypatch.undo()
    build([corpus], out)  # the next build updates the untouched previous store
    assert_same_as_fresh(out, corpus, tmp_path)


def test_trig_blocks_concatenate_to_the_trig_of_all_quads() -> None:
    a, b, g = (ox.NamedNode(f"https://w3id.org/kg-news/id/{n}") for n in ("a", "b", "graph/g"))
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    default = [ox.Quad(a, label, ox.Literal("A")), ox.Quad(b, label, ox.Literal("B"))]
    named = [ox.Quad(a, label, ox.Literal("x\ny"), g)]
    assert trig_header() + trig_block(default) + trig_block(named) == trig_bytes(default + named)
    assert trig_block([]) == b""


def test_write_outputs_over_a_build_replaces_the_index(tmp_path: Path) -> None:
    corpus = write(tmp_path / "articles", a=ARTICLE_A)
    out = tmp_path / "out"
    build([corpus], out)
    node = ox.NamedNode("urn:x")
    write_outputs(out, [ox.Quad(node, node, node)], {})  # not an update: a new store and index
    previous = PreviousGraphs.read(out)
    assert previous is not None and list(previous.spans) == [None]
    assert stored(out) == trig_quads(out) == {ox.Quad(node, node, node)}
    assert os.path.isdir(out / STORE_DIR)


def test_build_order_gives_the_same_store(tmp_path: Path) -> None:
    corpus = write(tmp_path / "articles", a=ARTICLE_A, b=ARTICLE_B, c=ARTICLE_C)
    at_once, in_order, reversed_order = tmp_path / "all", tmp_path / "abc", tmp_path / "cba"
    build([corpus], at_once)
    for name in "abc":
        build([corpus / f"{name}.txt"], in_order)
    for name in "cba":
        build([corpus / f"{name}.txt"], reversed_order)
    assert stored(in_order) == stored(reversed_order) == stored(at_once) == trig_quads(at_once)
    for name in OUTPUTS[:3]:
        assert (in_order / name).read_bytes() == (reversed_order / name).read_bytes() == (at_once / name).read_bytes()


def test_a_reader_of_the_previous_store_keeps_it_during_an_update(tmp_path: Path) -> None:
    corpus = write(tmp_path / "articles", a=ARTICLE_A)
    out = tmp_path / "out"
    build([corpus], out)
    reader = open_store(out)  # e.g. `kg serve`, opened before the update
    before = set(reader)
    build([write(corpus, c=ARTICLE_C)], out)
    assert set(reader) == before
    assert any(g.value.endswith("/graph/c") for g in open_store(out).named_graphs())
    assert not any(g.value.endswith("/graph/c") for g in reader.named_graphs())


def test_a_store_that_cannot_be_copied_says_how_to_rebuild(tmp_path: Path, monkeypatch) -> None:
    corpus = write(tmp_path / "articles", a=ARTICLE_A)
    out = tmp_path / "out"
    build([corpus], out)
    before = {name: (out / name).read_bytes() for name in OUTPUTS}

    def broken(source, target):
        raise OSError("Corruption: bad block")

    monkeypatch.setattr(kg.store, "copy_store", broken)
    with pytest.raises(KgError, match="cannot copy the store .*kg build --fresh"):
        build([write(corpus, b=ARTICLE_B)], out)
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    monkeypatch.undo()
    build([corpus], out, fresh=True)
    assert_same_as_fresh(out, corpus, tmp_path)
