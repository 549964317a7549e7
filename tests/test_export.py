"""``kg export``: every RDF syntax parses strictly, equals the built graph, and is deterministic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.cli import main
from kg.export import EXPORT_FORMATS, export_graph, format_for

RDF_FORMATS = {name: rdf_format for name, (rdf_format, _) in EXPORT_FORMATS.items()}
RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}


def run(capsys, *argv) -> tuple[int, bytes, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out.encode("utf-8"), captured.err


def canonical(quads) -> set[ox.Quad]:
    """Quads as a store keeps them (numeric literals in canonical form)."""
    store = ox.Store()
    store.extend(quads)
    return set(store)


@pytest.fixture(scope="module")
def built_quads(built_dir: Path) -> set[ox.Quad]:
    return canonical(ox.parse(path=str(built_dir / "graph.trig"), format=ox.RdfFormat.TRIG))


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_every_format_parses_strictly_and_equals_the_built_graph(capsys, built_dir: Path, built_quads, fmt) -> None:
    code, data, err = run(capsys, "export", "--format", fmt, "--graph", built_dir)
    assert code == 0, err
    parsed = canonical(ox.parse(data, format=RDF_FORMATS[fmt]))  # pyoxigraph's parsers are strict
    if fmt in ("turtle", "nt"):  # triple formats: the default graph, what graph.ttl holds
        expected = {q for q in built_quads if isinstance(q.graph_name, ox.DefaultGraph)}
        assert parsed == expected
        assert isomorphic(Graph().parse(data=data, format=RDFLIB_FORMATS[fmt]),
                          Graph().parse(built_dir / "graph.ttl", format="turtle"))
    else:  # quad formats and JSON-LD: every graph
        assert parsed == built_quads
        assert {q.graph_name for q in parsed} > {ox.DefaultGraph()}
        dataset = Dataset()
        dataset.parse(data=data, format=RDFLIB_FORMATS[fmt])
        assert sum(len(g) for g in dataset.graphs()) == len(built_quads)  # rdflib reads it too


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_export_is_deterministic(built_dir: Path, fmt: str) -> None:
    first, count = export_graph(built_dir, fmt)
    assert export_graph(built_dir, fmt) == (first, count)
    assert count > 0


def test_export_in_another_process_gives_the_same_bytes(built_dir: Path, tmp_path: Path) -> None:
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "kg", "export", "--graph", str(built_dir), "-o",
                        str(tmp_path / f"graph-{seed}.trig")], check=True, env=env, capture_output=True, timeout=120)
    assert (tmp_path / "graph-1.trig").read_bytes() == (tmp_path / "graph-2.trig").read_bytes()
    assert (tmp_path / "graph-1.trig").read_bytes() == export_graph(built_dir, "trig")[0]


def test_turtle_is_grouped_by_subject_with_prefixes(built_dir: Path) -> None:
    text = export_graph(built_dir, "turtle")[0].decode("utf-8")
    assert "@prefix kg: <https://w3id.org/kg-news/ontology#> ." in text
    assert " a kg:Film ;" in text
    subjects = [line.split(" ")[0] for line in text.splitlines() if line.startswith("<")]
    assert subjects == sorted(subjects) and len(subjects) == len(set(subjects))


def test_output_file_is_written_atomically(capsys, built_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "graph.nq"
    target.write_text("old content", encoding="utf-8")
    code, out, err = run(capsys, "export", "-o", target, "--graph", built_dir)  # format from the extension
    assert code == 0, err
    assert out.decode().startswith(f"wrote {target}: ") and "quads (nq)" in out.decode()
    assert target.read_bytes() == export_graph(built_dir, "nq")[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nq"]  # no temporary file left
    # a failed export leaves the previous file as it was
    code, _, err = run(capsys, "export", "-o", target, "--graph", tmp_path / "no-graph")
    assert code == 1 and err.startswith("kg: error: no graph in") and len(err.strip().splitlines()) == 1
    assert target.read_bytes() == export_graph(built_dir, "nq")[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nq"]


def test_output_into_a_missing_folder(capsys, built_dir: Path, tmp_path: Path) -> None:
    code, out, err = run(capsys, "export", "-o", tmp_path / "nope" / "g.ttl", "--graph", built_dir)
    assert code == 1 and out == b""
    assert err.startswith("kg: error: cannot write") and "nope" in err and len(err.strip().splitlines()) == 1


def test_format_for() -> None:
    assert format_for(Path("x.ttl")) == "turtle" and format_for(Path("x.JSONLD")) == "jsonld"
    assert format_for(Path("x.nt"), "trig") == "trig"
    assert format_for(None) == "turtle"


def test_unknown_format_is_a_usage_error(capsys, built_dir: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--format", "rdfxml", "--graph", str(built_dir)])
    assert exit_info.value.code == 2
    assert "invalid choice: 'rdfxml'" in capsys.readouterr().err
