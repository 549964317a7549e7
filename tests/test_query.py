"""``kg query`` on the embedded store: named queries, bound parameters, result formats, errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, SKOS, XSD, Literal

from kg.cli import main
from kg.errors import QueryError
from kg.namespaces import KG, KGID
from kg.query import (QUERY_PREFIXES, bind_values, named_queries, named_query, parse_params, prepare_named,
                      query_graph, run_query, run_store_query)
from kg.rdf import new_dataset, sorted_quads
from kg.resources import query_names
from kg.store import GRAPH_TRIG, load_dataset, open_store, write_outputs

CAST = {"Adriana Barraza", "Boyd Holdbrook", "Christian Slater", "Christopher McDonald", "Pedro Pascal",
        "Priyanka Chopra Jonas", "Vivien Blair"}
NAMED = {"cast", "works-of", "distributed-by", "employment", "central", "evidence"}
#: parameters for a run of every named query on the seed graph
SEED_PARAMS = {
    "cast": {"work": "We Can Be Heroes"},
    "works-of": {"person": "Robert Rodriguez"},
    "distributed-by": {"company": "Netflix"},
    "employment": {},
    "central": {"class": "Person"},
    "evidence": {"property": "actedIn"},
}
NUMBERS = {str(XSD.decimal), str(XSD.integer), str(XSD.double)}
INJECTIONS = [
    'We Can Be Heroes" } UNION { ?p kg:actedIn ?w . ?w rdfs:label ?title . ?p rdfs:label ?actor } #',
    '"} . ?s ?p ?o . FILTER(true) #',
    "We Can Be Heroes\\",
    "We Can Be Heroes\\u0022 ) || true #",
    "x' }\n} SELECT * WHERE { ?s ?p ?o",
    "}",
]


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code: int, err: str, *fragments: str) -> None:
    assert code == 1
    lines = err.strip("\n").split("\n")
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, err)


def rows(graph_dir: Path, name: str, **params: str) -> list[dict[str, str]]:
    """Rows of a named query as {variable: value} (values of IRIs in full)."""
    text = query_graph(graph_dir, name=name, params=params, fmt="json")
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(text)["results"]["bindings"]]


@pytest.fixture(scope="module")
def odd_graph(tmp_path_factory) -> Path:
    """A graph whose labels hold quotes, braces and backslashes; no analysis graph."""
    dataset = new_dataset()
    default = dataset.default_graph
    film, person = KGID["film/odd"], KGID["person/odd"]
    default.add((film, RDF.type, KG.Film))
    default.add((film, RDFS.label, Literal('Say "Hi" } \\u0022 \\ Again')))
    default.add((film, SKOS.altLabel, Literal("L'Été")))
    default.add((person, RDF.type, KG.Person))
    default.add((person, RDFS.label, Literal("Ann O'Neil")))
    default.add((person, KG.actedIn, film))
    out = tmp_path_factory.mktemp("odd")
    write_outputs(out, sorted_quads(dataset), {})
    return out


# --- named queries ------------------------------------------------------------------------------


def test_named_queries_are_the_rq_files_with_a_header() -> None:
    assert set(query_names()) == NAMED
    for query in named_queries():
        assert query.description and query.description[0].isupper(), query.name
        assert query.text.startswith("# "), query.name
        assert set(SEED_PARAMS[query.name]) <= {p.name for p in query.params}
    assert [(p.name, p.required) for p in named_query("cast").params] == [("work", True)]
    assert [(p.name, p.required) for p in named_query("evidence").params] == [
        ("subject", False), ("property", False), ("object", False)]
    assert named_query("employment").params == ()


@pytest.mark.parametrize("spelling", ["We Can Be Heroes", "we can be heroes", "WE CAN BE HEROES",
                                      "Nous pouvons être des héros"])
def test_cast_of_a_work_by_any_spelling(built_dir: Path, spelling: str) -> None:
    found = rows(built_dir, "cast", work=spelling)
    assert {r["actor"] for r in found} == CAST
    assert {r["title"] for r in found} == {"We Can Be Heroes"}


def test_works_of_a_person_by_role(built_dir: Path) -> None:
    found = {(r["role"], r["title"]) for r in rows(built_dir, "works-of", person="robert rodríguez")}
    assert (str(KG.directed), "We Can Be Heroes") in found
    assert {role for role, _ in found} <= {str(KG[p]) for p in ("directed", "wrote", "produced", "actedIn")}
    acted = rows(built_dir, "works-of", person="Pedro Pascal")
    assert [(r["role"], r["title"], r["type"]) for r in acted] == [(str(KG.actedIn), "We Can Be Heroes", str(KG.Film))]


def test_distributed_by(built_dir: Path) -> None:
    found = rows(built_dir, "distributed-by", company="NETFLIX")
    assert {r["distributor"] for r in found} == {"Netflix"}
    assert "We Can Be Heroes" in {r["title"] for r in found}
    assert rows(built_dir, "distributed-by", company="Pedro Pascal") == []


def test_employment(built_dir: Path) -> None:
    assert {(r["person"], r["organization"]) for r in rows(built_dir, "employment")} == {("Ted Sarandos", "Netflix")}


def test_central_entities_come_from_the_analysis(built_dir: Path) -> None:
    found = rows(built_dir, "central")
    assert 0 < len(found) <= 20
    ranks = [float(r["pageRank"]) for r in found]
    assert ranks == sorted(ranks, reverse=True)
    assert all("degree" in r and "betweenness" in r for r in found)
    people = rows(built_dir, "central", **{"class": "person"})
    assert people and {r["type"] for r in people} == {str(KG.Person)}
    assert {r["label"] for r in rows(built_dir, "central", **{"class": "kg:Film"})} >= {"We Can Be Heroes"}
    assert rows(built_dir, "central", **{"class": "Nothing"}) == []


def test_central_is_empty_without_an_analysis(odd_graph: Path) -> None:
    assert rows(odd_graph, "central") == []


def test_evidence_of_a_fact(built_dir: Path) -> None:
    found = rows(built_dir, "evidence", subject="pedro pascal", property="kg:actedIn", object="We Can Be Heroes")
    assert len(found) >= 1
    for r in found:
        assert "Pedro Pascal" in r["sentence"]
        assert r["article"].startswith(str(KGID["article/"]))
        assert r["rule"] and 0 < float(r["confidence"]) <= 1
    acted = rows(built_dir, "evidence", property="ACTEDIN")
    assert {r["from"] for r in acted} == CAST and {r["relation"] for r in acted} == {str(KG.actedIn)}
    everything = rows(built_dir, "evidence")
    assert len(everything) > len(acted)
    assert rows(built_dir, "evidence", subject="Pedro Pascal", property="directed") == []
    assert rows(built_dir, "evidence", subject="Nobody Known") == []  # an unknown name is no wildcard
    by_object = rows(built_dir, "evidence", object="netflix")
    assert by_object and {r["to"] for r in by_object} == {"Netflix"}


@pytest.mark.parametrize("name", sorted(NAMED))
def test_store_and_rdflib_agree_on_every_named_query(built_dir: Path, name: str) -> None:
    text = prepare_named(name, SEED_PARAMS[name])
    solutions = run_store_query(open_store(built_dir), text)
    variables = [v.value for v in solutions.variables]
    store_rows = sorted((tuple(_value(s[v]) for v in variables) for s in solutions), key=repr)
    rdflib_result = run_query(load_dataset(built_dir), text)
    assert [str(v) for v in rdflib_result.vars] == variables
    rdflib_rows = sorted((tuple(_value(row[v]) for v in variables) for row in rdflib_result), key=repr)
    assert store_rows == rdflib_rows
    assert store_rows


def _value(term):
    """A term of either engine as a comparable value (numbers by value: the store canonicalizes them)."""
    if term is None:
        return None
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        value, datatype = term.value, term.datatype.value if isinstance(term, ox.Literal) else None
    else:
        value, datatype = str(term), str(term.datatype) if getattr(term, "datatype", None) else None
    return float(value) if datatype in NUMBERS else value


# --- parameters are RDF terms -------------------------------------------------------------------


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_text_is_only_a_literal(built_dir: Path, value: str) -> None:
    assert rows(built_dir, "cast", work=value) == []
    assert rows(built_dir, "evidence", subject=value, object=value) == []


def test_odd_characters_match_exactly(odd_graph: Path) -> None:
    assert [r["actor"] for r in rows(odd_graph, "cast", work='say "hi" } \\u0022 \\ again')] == ["Ann O'Neil"]
    assert [r["actor"] for r in rows(odd_graph, "cast", work="l'été")] == ["Ann O'Neil"]
    assert [r["title"] for r in rows(odd_graph, "works-of", person="ANN O'NEIL")] == ['Say "Hi" } \\u0022 \\ Again']


def test_bind_values_serializes_terms_into_every_where_group() -> None:
    query = "# a comment { WHERE {\nSELECT ?x WHERE { ?x ?p ?v { SELECT ?x where{ ?x ?q ?v } } }"
    assert bind_values(query, {"v": 'a"b\nc'}) == (
        '# a comment { WHERE {\nSELECT ?x WHERE { VALUES ?v { "a\\"b\\nc" } ?x ?p ?v '
        '{ SELECT ?x where{ VALUES ?v { "a\\"b\\nc" } ?x ?q ?v } } }')
    with pytest.raises(QueryError, match="no `WHERE {` group"):
        bind_values("SELECT ?x { ?x ?p ?v }", {"v": "1"})
    with pytest.raises(QueryError, match="bad value for parameter 'v'"):
        bind_values("SELECT ?x WHERE { ?x ?p ?v }", {"v": "lone \ud800 surrogate"})


@pytest.mark.parametrize("params, message", [
    ({"nope": "x"}, "named query 'cast' has no parameter 'nope': its parameters are work"),
    ({}, "named query 'cast' needs --param work=VALUE"),
])
def test_param_errors(params: dict, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        prepare_named("cast", params)


def test_parse_params() -> None:
    assert parse_params(["a=1", "b=x=y", "c="]) == {"a": "1", "b": "x=y", "c": ""}
    for bad in ("novalue", "=x", "two words=1", "?a=1"):
        with pytest.raises(QueryError, match="--param NAME=VALUE"):
            parse_params([bad])
    with pytest.raises(QueryError, match="'a' given twice"):
        parse_params(["a=1", "a=2"])


# --- the command line ---------------------------------------------------------------------------


def test_cli_named_query_table(capsys, built_dir: Path) -> None:
    code, out, err = run(capsys, "query", "--name", "cast", "--param", "work=we can be heroes", "--graph", built_dir)
    assert code == 0, err
    lines = out.rstrip("\n").split("\n")
    assert lines[0].split() == ["title", "actor"]
    assert {line.split("  ")[-1].strip() for line in lines[2:-1]} == CAST
    assert lines[-1] == "(7 rows)"


def test_cli_table_shows_prefixed_names(capsys, built_dir: Path) -> None:
    code, out, err = run(capsys, "query", "--name", "works-of", "--param", "person=Pedro Pascal", "--graph", built_dir)
    assert code == 0, err
    assert "kg:actedIn" in out and "kg:Film" in out and "https://" not in out


def test_cli_list(capsys) -> None:
    code, out, err = run(capsys, "query", "--list")
    assert code == 0, err
    for query in named_queries():
        assert f"{query.name}  " in out and query.description in out
        for p in query.params:
            assert f"--param {p.name}=" in out


def test_cli_ad_hoc_query_with_param_and_predeclared_prefixes(capsys, built_dir: Path) -> None:
    query = ("SELECT ?type WHERE { ?e rdfs:label ?name ; rdf:type ?type . "
             "FILTER (?type != schema:Thing && DATATYPE(?name) = xsd:string) }")
    code, out, err = run(capsys, "query", query, "--param", "name=Netflix", "--graph", built_dir, "--format", "csv")
    assert code == 0, err
    assert out.splitlines() == ["type", str(KG.Organization)]
    assert {"kg", "kgid", "rdf", "rdfs", "skos", "dcterms", "xsd", "schema"} <= set(QUERY_PREFIXES)


def test_cli_uses_the_store_not_the_trig_file(capsys, built_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(built_dir / "store", tmp_path / "store")
    assert not (tmp_path / GRAPH_TRIG).exists()
    code, out, err = run(capsys, "query", "--name", "employment", "--graph", tmp_path, "--format", "tsv")
    assert code == 0, err
    assert out == '?person\t?organization\n"Ted Sarandos"\t"Netflix"\n'


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_cli_select_formats_are_w3c_results(capsys, built_dir: Path, fmt: str) -> None:
    code, out, err = run(capsys, "query", "--name", "cast", "--param", "work=We Can Be Heroes",
                         "--graph", built_dir, "--format", fmt)
    assert code == 0, err
    if fmt == "csv":
        assert out.startswith("title,actor\r\n")  # RFC 4180 line ends, as the W3C format says
        table = list(csv.reader(io.StringIO(out)))
        actors = {row[1] for row in table[1:]}
    else:
        parsed = ox.parse_query_results(out, {"tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON,
                                              "xml": ox.QueryResultsFormat.XML}[fmt])
        assert [v.value for v in parsed.variables] == ["title", "actor"]
        actors = {s["actor"].value for s in parsed}
    assert actors == CAST
    if fmt == "xml":
        assert ET.fromstring(out).tag == "{http://www.w3.org/2005/sparql-results#}sparql"


@pytest.mark.parametrize("fmt, expected", [("table", "true"), ("csv", "true"), ("json", '{"head":{},"boolean":true}')])
def test_cli_ask(capsys, built_dir: Path, fmt: str, expected: str) -> None:
    code, out, err = run(capsys, "query", "ASK { ?p kg:employedBy ?o }", "--graph", built_dir, "--format", fmt)
    assert code == 0, err
    assert out.strip() == expected
    code, out, _ = run(capsys, "query", "ASK { ?p kg:employedBy ?o }", "--graph", built_dir, "--format", "xml")
    assert bool(ox.parse_query_results(out, ox.QueryResultsFormat.XML)) is True


@pytest.mark.parametrize("fmt, rdf_format", [("table", ox.RdfFormat.TURTLE), ("turtle", ox.RdfFormat.TURTLE),
                                             ("json", ox.RdfFormat.JSON_LD), ("jsonld", ox.RdfFormat.JSON_LD)])
def test_cli_construct_formats(capsys, built_dir: Path, fmt: str, rdf_format) -> None:
    query = "CONSTRUCT { ?p kg:actedIn ?f } WHERE { ?p kg:actedIn ?f }"
    code, out, err = run(capsys, "query", query, "--graph", built_dir, "--format", fmt)
    assert code == 0, err
    triples = {q.triple for q in ox.parse(out, format=rdf_format)}
    assert len(triples) == len(CAST)
    assert {t.predicate.value for t in triples} == {str(KG.actedIn)}
    code, again, _ = run(capsys, "query", query, "--graph", built_dir, "--format", fmt)
    assert again == out  # sorted, so the same bytes every time


@pytest.mark.parametrize("argv, fragments", [
    (["--name", "nope"], ["no named query 'nope'", "kg query --list"]),
    (["--name", "cast", "--param", "film=Up"], ["no parameter 'film'", "work"]),
    (["--name", "cast"], ["needs --param work="]),
    (["--name", "cast", "--param", "work"], ["bad parameter 'work'", "NAME=VALUE"]),
    (["--name", "cast", "--param", "work=A", "--param", "work=B"], ["'work' given twice"]),
    (["SELECT ?x WHERE { ?x ?p ?o }", "--name", "cast"], ["either a query", "not both"]),
    ([], ["either a query", "--name"]),
    (["SELECT ?x WHERE { ?x ?p ?o }", "--param", "y=1"], ["no variable ?y"]),
    (["--name", "employment", "--format", "turtle"], ["'turtle' is for CONSTRUCT"]),
    (["CONSTRUCT WHERE { ?s kg:actedIn ?o }", "--format", "csv"], ["'csv' is for SELECT and ASK"]),
    (["SELECT ?x WHERE { ?x ?p }"], ["invalid SPARQL query"]),
], ids=["unknown-name", "unknown-param", "missing-param", "param-without-value", "param-twice", "both", "neither",
        "param-not-in-query", "turtle-for-select", "csv-for-construct", "malformed"])
def test_cli_errors_are_one_line(capsys, built_dir: Path, argv: list[str], fragments: list[str]) -> None:
    code, out, err = run(capsys, "query", *argv, "--graph", built_dir)
    assert_one_line_error(code, err, *fragments)
    assert out == ""


def test_cli_unknown_format_is_a_usage_error(capsys, built_dir: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["query", "--name", "employment", "--graph", str(built_dir), "--format", "yaml"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'yaml'" in capsys.readouterr().err
