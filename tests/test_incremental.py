"""Incremental builds (manifest + cache), parallel workers and the Dask executor."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from rdflib import RDFS

from kg.build import build
from kg.cli import main
from kg.errors import KgError
from kg.store import load_dataset

build_module = importlib.import_module("kg.build")  # the module: ``kg.build`` the attribute is the function
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
FR, EN = sorted(SEEDS.glob("*.txt"))

ARTICLE_A = "Director Ana Lopez directed the film “The Long Night”, starring Tom Reed.\n"
ARTICLE_B = "Tom Reed also stars in the series “Blue Harbor”, produced by Mia Chen.\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    return folder


@pytest.fixture
def extracted(monkeypatch) -> list[list[str]]:
    """Records the ids of the documents each build sends to spaCy."""
    calls: list[list[str]] = []
    real = build_module.run_extraction

    def spy(documents, **kwargs):
        calls.append([d.doc_id for d in documents])
        return real(documents, **kwargs)

    monkeypatch.setattr(build_module, "run_extraction", spy)
    return calls


def files(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.trig", "report.json", "manifest.json")}


def test_build_order_does_not_matter(tmp_path: Path) -> None:
    at_once, a_then_b, b_then_a = tmp_path / "both", tmp_path / "ab", tmp_path / "ba"
    build([FR, EN], at_once)
    build([FR], a_then_b)
    build([EN], a_then_b)
    build([EN], b_then_a)
    build([FR], b_then_a)
    assert files(a_then_b) == files(at_once) == files(b_then_a)


def test_unchanged_rebuild_does_no_nlp_and_rewrites_nothing(corpus: Path, tmp_path: Path, extracted) -> None:
    out = tmp_path / "out"
    first = build([corpus], out)
    before = {p: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()}
    result = build([corpus], out)
    assert result.up_to_date and result.resolution is None
    assert extracted == [["a", "b"]]  # only the first build read articles
    assert {p: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()} == before
    assert result.changes["unchanged"] == sorted(p.as_posix() for p in corpus.iterdir())
    # the graph is still there for the caller: read back from the outputs, on first use
    assert len(result.dataset) == len(first.dataset) and result.analysis == first.analysis


def test_only_new_and_changed_articles_are_read(corpus: Path, tmp_path: Path, extracted) -> None:
    out = tmp_path / "out"
    build([corpus / "a.txt"], out)
    build([corpus / "b.txt"], out)  # a stays in the corpus, only b is read
    (corpus / "a.txt").write_text(ARTICLE_A.replace("Tom Reed", "Sam Price"), encoding="utf-8")
    result = build([corpus], out)
    assert extracted == [["a"], ["b"], ["a"]]
    assert result.changes["changed"] == [(corpus / "a.txt").as_posix()]
    labels = {str(o) for o in result.dataset.objects(None, RDFS.label)}
    assert "Sam Price" in labels and "Tom Reed" in labels  # Tom Reed is still in b


def test_removed_article_takes_its_graph_and_its_own_entities(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    (corpus / "a.txt").unlink()
    result = build([corpus], out)
    assert result.changes["removed"] == [(corpus / "a.txt").as_posix()]
    dataset = load_dataset(out)
    labels = {str(o) for o in dataset.objects(None, RDFS.label)}
    assert "Ana Lopez" not in labels and "The Long Night" not in labels  # only a mentioned them
    assert "Tom Reed" in labels  # b mentions him too
    graphs = {str(g.identifier) for g in dataset.graphs()}
    assert not any(g.endswith("/graph/a") for g in graphs) and any(g.endswith("/graph/b") for g in graphs)
    alone = tmp_path / "alone"
    build([corpus], alone)
    assert files(out) == files(alone)
    assert len(list((out / "cache").iterdir())) == 1  # the removed article's cache file is gone


def test_changed_rules_read_everything_again(corpus: Path, tmp_path: Path, extracted, monkeypatch) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    monkeypatch.setattr(build_module, "fingerprint", lambda: "other rules")
    result = build([corpus], out)
    assert not result.up_to_date and extracted == [["a", "b"], ["a", "b"]]


def test_corrupt_cache_file_is_read_again(corpus: Path, tmp_path: Path, extracted) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    for path in (out / "cache").iterdir():
        path.write_text("{not json", encoding="utf-8")
    result = build([corpus], out)
    assert extracted == [["a", "b"], ["a", "b"]]
    assert result.report["entities"] > 0


def test_fresh_forgets_the_earlier_build(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    result = build([corpus / "b.txt"], out, fresh=True)
    assert result.report["articles"] == 1
    assert [a["path"] for a in json.loads((out / "manifest.json").read_text())["articles"]] == [
        (corpus / "b.txt").as_posix()]


def test_failed_build_keeps_manifest_and_outputs(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    before = files(out)
    (corpus / "c.txt").write_bytes(b"\x00\x01binary")
    with pytest.raises(KgError):
        build([corpus], out)
    assert files(out) == before


def test_two_workers_give_the_serial_graph(tmp_path: Path) -> None:
    build([SEEDS], tmp_path / "serial", fresh=True)
    build([SEEDS], tmp_path / "parallel", workers=2, fresh=True)
    assert files(tmp_path / "parallel") == files(tmp_path / "serial")


def test_dask_local_cluster_gives_the_serial_graph(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    build([SEEDS], tmp_path / "serial")
    build([SEEDS], tmp_path / "dask", executor="dask", workers=2)
    assert files(tmp_path / "dask") == files(tmp_path / "serial")


def test_cli_reports_up_to_date_and_bad_executor_options(corpus: Path, tmp_path: Path, capsys) -> None:
    out = str(tmp_path / "out")
    assert main(["build", str(corpus), "--out", out, "-q"]) == 0
    assert main(["build", str(corpus), "--out", out]) == 0
    assert "is up to date: 2 article(s) unchanged" in capsys.readouterr().out
    assert main(["build", str(corpus), "--out", out, "--scheduler", "tcp://127.0.0.1:1"]) == 1
    assert main(["build", str(corpus), "--out", out, "--fresh", "--workers", "0"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["kg: error: --scheduler needs --executor dask", "kg: error: --workers must be at least 1, not 0"]


def test_invented_articles_yield_the_entities_these_tests_rely_on(corpus: Path) -> None:
    result = build([corpus], None)
    labels = {str(o) for o in result.dataset.objects(None, RDFS.label)}
    assert {"Ana Lopez", "The Long Night", "Tom Reed"} <= labels


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """Paths of the articles each build parses with ``read_document`` (rather than only hashing their text)."""
    calls: list[str] = []
    real = build_module.read_document

    def spy(path, lang=None):
        calls.append(Path(path).name)
        return real(path, lang)

    monkeypatch.setattr(build_module, "read_document", spy)
    return calls


def test_articles_not_named_again_are_hashed_not_parsed(corpus: Path, tmp_path: Path, extracted, parsed) -> None:
    out, more = tmp_path / "out", tmp_path / "more"
    build([corpus], out)
    more.mkdir()
    (more / "c.txt").write_text(ARTICLE_A.replace("Ana Lopez", "Paul Martin"), encoding="utf-8")
    parsed.clear()
    result = build([more], out)
    assert parsed == ["c.txt"] and extracted[-1] == ["c"]
    assert result.changes["unchanged"] == sorted(p.as_posix() for p in corpus.iterdir())
    alone = tmp_path / "alone"
    build([corpus, more], alone)
    assert files(out) == files(alone)


def test_same_text_in_other_bytes_is_unchanged_and_an_edit_is_seen(corpus: Path, tmp_path: Path, extracted) -> None:
    out, more = tmp_path / "out", tmp_path / "more"
    build([corpus], out)
    more.mkdir()
    (more / "c.txt").write_text(ARTICLE_B.replace("Mia Chen", "Paul Martin"), encoding="utf-8")
    (corpus / "a.txt").write_bytes(b"\xef\xbb\xbf" + ARTICLE_A.replace("\n", "\r\n").encode("utf-8"))  # BOM, CRLF
    (corpus / "b.txt").write_text(ARTICLE_B.replace("Mia Chen", "Sam Price"), encoding="utf-8")
    result = build([more], out)
    assert extracted[-1] == ["b", "c"]
    assert result.changes["unchanged"] == [(corpus / "a.txt").as_posix()]
    assert result.changes["changed"] == [(corpus / "b.txt").as_posix()]
    alone = tmp_path / "alone"
    build([corpus, more], alone)
    assert files(out) == files(alone)


def test_an_article_read_in_another_language_is_read_again(corpus: Path, tmp_path: Path, extracted) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    result = build([corpus / "a.txt"], out, lang="fr")
    assert extracted[-1] == ["a"] and result.changes["changed"] == [(corpus / "a.txt").as_posix()]
    result = build([corpus / "b.txt"], out)  # a, not named, keeps French: unchanged
    assert result.up_to_date and len(extracted) == 2
    assert {a["path"]: a["lang"] for a in json.loads((out / "manifest.json").read_text())["articles"]} == {
        (corpus / "a.txt").as_posix(): "fr", (corpus / "b.txt").as_posix(): "en"}


def test_a_cache_file_of_another_text_is_not_used(corpus: Path, tmp_path: Path, extracted) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    for path in (out / "cache").iterdir():  # valid records, but not of the article's text
        data = json.loads(path.read_text(encoding="utf-8"))
        data["document"]["text"] += " "
        path.write_text(json.dumps(data), encoding="utf-8")
    result = build([corpus / "a.txt"], out)
    assert extracted[-1] == ["a", "b"] and not result.up_to_date
