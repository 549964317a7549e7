"""Tests of the ``kg`` command line, run in-process through :func:`kg.cli.main` (one real subprocess)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from kg.cli import main
from kg.namespaces import KG

OUTPUTS = ("graph.ttl", "graph.trig", "report.json")
CAST = {
    "Adriana Barraza", "Boyd Holdbrook", "Christian Slater", "Christopher McDonald", "Pedro Pascal",
    "Priyanka Chopra Jonas", "Vivien Blair",
}
CAST_QUERY = ('SELECT ?name WHERE { ?p kg:actedIn ?f . ?f rdfs:label "We Can Be Heroes" . '
              "?p rdfs:label ?name }")
ARTICLE = (
    "Director Maria Lindqvist has cast Tom Harlow in her new film The Silent Harbor.\n"
    "The film will be released by Netflix in the spring, the company said on Tuesday.\n"
    "Harlow previously starred in Northern Lights, which Lindqvist also directed.\n"
)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``kg ARGV`` in this process: (exit code, stdout, stderr)."""
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code: int, err: str, *fragments: str) -> None:
    assert code == 1
    lines = err.strip("\n").split("\n")
    assert len(lines) == 1, err
    assert lines[0].startswith("kg: error: "), err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, err)


def article_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def load_trig(out_dir: Path) -> Dataset:
    dataset = Dataset(default_union=True)
    dataset.parse(out_dir / "graph.trig", format="trig")
    return dataset


@pytest.fixture
def previous_build(built_dir: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """An --out folder holding the outputs of an earlier build, and their bytes."""
    out = tmp_path / "out"
    out.mkdir()
    for name in OUTPUTS:
        shutil.copyfile(built_dir / name, out / name)
    return out, {name: (out / name).read_bytes() for name in OUTPUTS}


# --- help ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("argv, options", [
    ([], ["build", "query", "export", "evaluate", "validate", "--version", "--verbose"]),
    (["build"], ["--out", "--lang", "--quiet", "INPUT"]),
    (["query"], ["--graph", "--format", "QUERY", "--name", "--param", "--list"]),
    (["export"], ["--graph", "--format", "--output"]),
    (["evaluate"], ["--gold", "--graph", "--json"]),
    (["validate"], ["--graph"]),
], ids=["kg", "build", "query", "export", "evaluate", "validate"])
def test_help(capsys, argv: list[str], options: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: kg")
    for option in options:
        assert option in out, option


def test_usage_error_exits_2(capsys, built_dir: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["query", "ASK {}", "--graph", str(built_dir), "--format", "yaml"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


# --- build: bad input ---------------------------------------------------------------------------


def _missing(d: Path) -> list[Path]:
    return [d / "no-such-folder"]


def _empty_folder(d: Path) -> list[Path]:
    (d / "empty").mkdir()
    return [d / "empty"]


def _only_pdf(d: Path) -> list[Path]:
    (d / "pdfs").mkdir()
    (d / "pdfs" / "article.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    return [d / "pdfs"]


def _binary(d: Path) -> list[Path]:
    (d / "x.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" * 4)
    return [d / "x.txt"]


def _latin1(d: Path) -> list[Path]:
    (d / "latin.txt").write_bytes("caf\xe9 cr\xe8me, un film de Jean Dupont.\n".encode("latin-1"))
    return [d / "latin.txt"]


def _whitespace_only(d: Path) -> list[Path]:
    (d / "blank.txt").write_text("  \n\n\t \n", encoding="utf-8")
    return [d / "blank.txt"]


def _unsupported_suffix(d: Path) -> list[Path]:
    (d / "article.docx").write_text(ARTICLE, encoding="utf-8")
    return [d / "article.docx"]


@pytest.mark.parametrize("make_input, fragments", [
    (_missing, ["no such file or folder", "no-such-folder"]),
    (_empty_folder, ["holds no .txt or .md article"]),
    (_only_pdf, ["holds no .txt or .md article"]),
    (_binary, ["x.txt", "binary"]),
    (_latin1, ["latin.txt", "not UTF-8"]),
    (_whitespace_only, ["nothing to build", "blank.txt"]),
    (_unsupported_suffix, ["article.docx", "not an article"]),
], ids=["missing", "empty-folder", "only-pdf", "binary", "latin-1", "whitespace-only", "unsupported-suffix"])
def test_bad_input_is_one_line_and_keeps_previous_outputs(capsys, tmp_path: Path, previous_build,
                                                          make_input, fragments) -> None:
    out, before = previous_build
    inputs = make_input(tmp_path)
    code, stdout, err = run(capsys, "build", *inputs, "--out", out)
    assert_one_line_error(code, err, *fragments)
    assert stdout == ""
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)  # no staging folder left


# --- build: edge cases that succeed -------------------------------------------------------------


def test_empty_article_among_good_ones(capsys, tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    code, stdout, err = run(capsys, "build", corpus, "--out", tmp_path / "out")
    assert code == 0, err
    assert "warning:" in stdout and "empty.txt" in stdout
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["articles"] == 2
    docs = {d["id"]: d for d in report["documents"]}
    assert docs["empty"]["entities"] == docs["empty"]["mentions"] == docs["empty"]["relations"] == 0
    assert docs["good"]["entities"] > 0
    assert len(report["warnings"]) == 1
    assert "empty.txt" in report["warnings"][0] and "empty" in report["warnings"][0]
    # the empty article is still recorded as an article of the graph
    dataset = load_trig(tmp_path / "out")
    sources = {Path(str(o)).name for o in dataset.objects(None, KG.sourceFile)}
    assert sources == {"good.txt", "empty.txt"}


def test_bom_and_crlf_article_keeps_offsets(capsys, tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    code, _, err = run(capsys, "build", path, "--out", tmp_path / "out", "-q")
    assert code == 0, err
    text = article_text(path)
    assert not text.startswith("\ufeff") and "\r" not in text
    dataset = load_trig(tmp_path / "out")
    mentions = list(dataset.subjects(RDF.type, KG.Mention))
    assert mentions
    starts = []
    for mention in mentions:
        start = dataset.value(mention, KG.startOffset).toPython()
        end = dataset.value(mention, KG.endOffset).toPython()
        assert text[start:end] == str(dataset.value(mention, KG.surfaceText)), mention
        starts.append(start)
    # at least one mention after a CRLF line break, where an offset error would show
    assert max(starts) > text.index("\n")
    assert "Netflix" in {str(dataset.value(m, KG.surfaceText)) for m in mentions}


def test_lang_option_overrides_detection(capsys, tmp_path: Path) -> None:
    path = tmp_path / "english.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    languages = {}
    for lang in (None, "fr"):
        out = tmp_path / f"out-{lang}"
        code, _, err = run(capsys, "build", path, "--out", out, "-q", *(["--lang", lang] if lang else []))
        assert code == 0, err
        dataset = load_trig(out)
        languages[lang] = {str(o) for o in dataset.objects(None, DCTERMS.language)}
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        assert report["languages"] == {next(iter(languages[lang])): 1}
    assert languages == {None: {"en"}, "fr": {"fr"}}


# --- query --------------------------------------------------------------------------------------


def test_query_table(capsys, built_dir: Path) -> None:
    code, out, err = run(capsys, "query", CAST_QUERY, "--graph", built_dir)
    assert code == 0, err
    lines = out.rstrip("\n").split("\n")
    assert lines[0].strip() == "name"
    assert set(lines[1]) == {"-"}
    assert {line.strip() for line in lines[2:-1]} == CAST
    assert lines[-1] == "(7 rows)"


def test_query_csv(capsys, built_dir: Path) -> None:
    code, out, err = run(capsys, "query", CAST_QUERY, "--graph", built_dir, "--format", "csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["name"]
    assert sorted(r[0] for r in rows[1:]) == sorted(CAST)


def test_query_json_is_w3c_sparql_results(capsys, built_dir: Path) -> None:
    code, out, err = run(capsys, "query", CAST_QUERY, "--graph", built_dir, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["head"]["vars"] == ["name"]
    bindings = data["results"]["bindings"]
    assert len(bindings) == 7
    assert all(b["name"]["type"] == "literal" for b in bindings)
    assert {b["name"]["value"] for b in bindings} == CAST


@pytest.mark.parametrize("query, expected", [
    ("ASK { ?p kg:actedIn ?f }", "true"),
    ('ASK { ?p kg:actedIn ?f . ?p rdfs:label "Netflix" }', "false"),
])
def test_query_ask(capsys, built_dir: Path, query: str, expected: str) -> None:
    code, out, err = run(capsys, "query", query, "--graph", built_dir)
    assert code == 0, err
    assert out.strip() == expected


def test_query_ask_json(capsys, built_dir: Path) -> None:
    code, out, _ = run(capsys, "query", "ASK { ?p kg:actedIn ?f }", "--graph", built_dir, "--format", "json")
    assert code == 0
    assert json.loads(out)["boolean"] is True


def test_query_construct_prints_turtle(capsys, built_dir: Path) -> None:
    query = "CONSTRUCT { ?p kg:actedIn ?f } WHERE { ?p kg:actedIn ?f }"
    code, out, err = run(capsys, "query", query, "--graph", built_dir)
    assert code == 0, err
    graph = Graph().parse(data=out, format="turtle")
    assert len(graph) == 7
    assert set(graph.predicates()) == {KG.actedIn}
    assert len(list(ox.parse(out, format=ox.RdfFormat.TURTLE))) == 7


def test_query_from_rq_file(capsys, built_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "cast.rq"
    path.write_text(CAST_QUERY.replace(" . ", " .\n") + "\nORDER BY ?name\n", encoding="utf-8")
    code, out, err = run(capsys, "query", path, "--graph", built_dir, "--format", "csv")
    assert code == 0, err
    assert out.strip().splitlines() == ["name", *sorted(CAST)]  # W3C CSV results end lines with CRLF


def test_query_missing_rq_file(capsys, built_dir: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, "query", tmp_path / "nope.rq", "--graph", built_dir)
    assert_one_line_error(code, err, "nope.rq")


@pytest.mark.parametrize("query", ["SELEC ?x WHERE { ?x ?p ?o }", "SELECT ?x WHERE {\n  ?x ?p \n"])
def test_malformed_query(capsys, built_dir: Path, query: str) -> None:
    code, out, err = run(capsys, "query", query, "--graph", built_dir)
    assert_one_line_error(code, err, "kg: error: invalid SPARQL query")
    assert out == ""


def test_query_without_a_graph(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "query", "ASK { ?s ?p ?o }", "--graph", tmp_path)
    assert_one_line_error(code, err, "kg build", str(tmp_path))


# --- evaluate and validate ----------------------------------------------------------------------


def test_evaluate_table(capsys, repo_root: Path, built_dir: Path) -> None:
    code, out, err = run(capsys, "evaluate", "--gold", repo_root / "tests" / "gold", "--graph", built_dir)
    assert code == 0, err
    lines = out.split("\n")
    assert any(line.startswith("overall") for line in lines)
    assert any(line.startswith("000_4f5cd6d7d63a4b50") for line in lines)
    assert "merges: 4/4" in out


def test_evaluate_json(capsys, repo_root: Path, built_dir: Path) -> None:
    code, out, err = run(capsys, "evaluate", "--gold", repo_root / "tests" / "gold", "--graph", built_dir, "--json")
    assert code == 0, err
    scores = json.loads(out)
    assert scores["overall"]["entities"]["f1"] >= 0.95
    assert scores["overall"]["relations"]["f1"] >= 0.9
    assert scores["merges"]["single"] == scores["merges"]["total"] == 4
    assert len(scores["documents"]) == 2


@pytest.mark.parametrize("content", ['{"doc": "000_4f5cd6d7d63a4b50.txt", "entities": [', '{"doc": 3}', "[]"],
                         ids=["truncated", "bad-doc", "not-an-object"])
def test_evaluate_malformed_gold(capsys, built_dir: Path, tmp_path: Path, content: str) -> None:
    (tmp_path / "bad.gold.json").write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "evaluate", "--gold", tmp_path, "--graph", built_dir)
    assert_one_line_error(code, err, "bad.gold.json")
    assert out == ""


def test_validate(capsys, built_dir: Path) -> None:
    code, out, err = run(capsys, "validate", "--graph", built_dir)
    assert code == 0, err
    assert "conforms" in out


def test_validate_reports_a_broken_graph(capsys, built_dir: Path, tmp_path: Path) -> None:
    dataset = load_trig(built_dir)
    film = URIRef("https://w3id.org/kg-news/id/film/we-can-be-heroes")
    dataset.graph(URIRef("urn:x-rdflib:default")).add((film, KG.actedIn, Literal("not an entity")))
    dataset.serialize(tmp_path / "graph.trig", format="trig")
    code, out, _ = run(capsys, "validate", "--graph", tmp_path)
    assert code == 1
    assert "conforms: the graph" not in out and "Conforms: False" in out


# --- a real process -----------------------------------------------------------------------------


def test_real_process_error_has_no_traceback(tmp_path: Path, repo_root: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "kg", "build", "/nonexistent"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert len(proc.stderr.strip("\n").split("\n")) == 1, proc.stderr
    assert proc.stderr.startswith("kg: error: ") and "/nonexistent" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_real_process_malformed_query(built_dir: Path, tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "kg", "query", "SELECT WHERE {", "--graph", str(built_dir)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.startswith("kg: error: invalid SPARQL query")
    assert len(proc.stderr.strip("\n").split("\n")) == 1, proc.stderr
    assert "Traceback" not in proc.stderr


# --- documentation (README.md is written separately; this passes once it documents every command)


def test_every_command_is_in_the_readme(repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    for command in ("kg build", "kg query", "kg export", "kg evaluate", "kg validate"):
        assert command in readme, command
