"""The ``kg`` command: parse arguments, call one library function, print the outcome.

Library functions raise :class:`~kg.errors.KgError`; only this module turns them into a
one-line message on stderr and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from . import __version__
from .errors import KgError

EXIT_ERROR = 1
EXIT_USAGE = 2


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING if not args.verbose else logging.INFO,
                        format="kg: %(message)s", stream=sys.stderr)
    try:
        return args.run(args) or 0
    except KgError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Build a knowledge graph (RDF, with provenance) from English and French film-news articles, "
                    "then query and evaluate it.",
        epilog="Run `kg COMMAND --help` for the options of a command.")
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what is happening")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    build = commands.add_parser(
        "build", help="build the graph from articles",
        description="Read .txt/.md articles (UTF-8), extract entities and relations with spaCy, and write "
                    "DIR/graph.ttl (entities and relations), DIR/graph.trig (plus one named graph of provenance "
                    "per article), DIR/report.json (counts), DIR/graph.html (an interactive page of the graph) and "
                    "DIR/store/ (the same graphs in an embedded SPARQL store). Outputs are replaced atomically. "
                    "Builds are incremental: articles built before into DIR stay in the graph, INPUTs are added, "
                    "and only new or changed articles are read by spaCy (DIR/manifest.json, DIR/cache/); an "
                    "article whose file was deleted leaves the graph. --fresh starts over from INPUTs alone.")
    build.add_argument("inputs", nargs="*", default=["seeds"], metavar="INPUT",
                       help="article files or folders (default: seeds/)")
    build.add_argument("--out", default="out", metavar="DIR", help="output folder (default: out/)")
    build.add_argument("--lang", choices=("en", "fr"), help="language of every article (default: detected per article)")
    build.add_argument("--fresh", action="store_true",
                       help="forget the earlier build in DIR: the graph holds INPUTs only, all read again")
    build.add_argument("--workers", type=int, default=1, metavar="N",
                       help="worker processes for extraction (default: 1; about one per CPU core)")
    build.add_argument("--executor", choices=("local", "dask"), default="local",
                       help="where extraction runs: local processes, or a Dask cluster (default: local)")
    build.add_argument("--scheduler", metavar="ADDRESS",
                       help="Dask scheduler address (tcp://host:8786); without it --executor dask starts a "
                            "local cluster of --workers processes")
    build.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    build.set_defaults(run=run_build)

    query = commands.add_parser(
        "query", help="run a SPARQL query on the built graph",
        description="Run a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query, or a named query, over the union "
                    "of the graph's graphs in its embedded store (DIR/store/). Prefixes kg:, kgid:, rdf:, rdfs:, "
                    "skos:, dcterms:, xsd: and schema: are predeclared.",
        epilog='example: kg query --name cast --param work="The Long Night"')
    query.add_argument("query", metavar="QUERY", nargs="?", help="SPARQL text, or the path of a .rq file")
    query.add_argument("--name", metavar="NAME", help="run the named query NAME instead (see --list)")
    query.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                       help="bind ?KEY to the string VALUE, an RDF literal, never SPARQL (once per KEY)")
    query.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    query.add_argument("--graph", default="out", metavar="DIR", help="folder of a built graph (default: out/)")
    query.add_argument("--format", choices=("table", "csv", "tsv", "json", "xml", "turtle", "jsonld"),
                       default="table",
                       help="table (default), or the W3C SPARQL results formats csv, tsv, json, xml; a CONSTRUCT or "
                            "DESCRIBE result is Turtle (table, turtle) or JSON-LD (json, jsonld)")
    query.set_defaults(run=run_query)

    export = commands.add_parser(
        "export", help="write the built graph in an RDF syntax",
        description="Serialize the built graph, sorted so the output is deterministic. turtle and nt hold the "
                    "default graph (entities and relations, as graph.ttl); nq, trig and jsonld hold every graph "
                    "(plus the provenance of each article).")
    export.add_argument("--format", choices=("turtle", "nt", "nq", "trig", "jsonld"),
                        help="RDF syntax (default: from the extension of --output, else turtle)")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE atomically (default: stdout)")
    export.add_argument("--graph", default="out", metavar="DIR", help="folder of a built graph (default: out/)")
    export.set_defaults(run=run_export)

    evaluate = commands.add_parser(
        "evaluate", help="score the built graph against gold annotations",
        description="Entity precision/recall/F1, type accuracy, duplicate nodes and relation P/R/F1 per "
                    "article, against gold files (see tests/gold/); a corpus.merge.json file checks "
                    "cross-article merges.")
    evaluate.add_argument("--gold", nargs="+", required=True, metavar="FILE",
                          help="gold .json files or folders of them")
    evaluate.add_argument("--graph", default="out", metavar="DIR", help="folder of a built graph (default: out/)")
    evaluate.add_argument("--json", action="store_true", help="print the full scores as JSON")
    evaluate.set_defaults(run=run_evaluate)

    train = commands.add_parser(
        "train-relations", help="fit the relation model on gold annotations",
        description="Fit the learned fallback of relation extraction (kg/components/relation_model.py) on gold "
                    "files: every pair of entities the pipeline proposes in a gold article is an example, "
                    "positive when the gold states its relation in that sentence.  The model scores the "
                    "pairs no rule relates; the builder reads it from kg/data/relation_model.json.")
    train.add_argument("gold", nargs="+", metavar="GOLD", help="gold .json files or folders of them")
    train.add_argument("--docs", nargs="*", default=[], metavar="DIR",
                       help="folders holding the articles, when they are not beside the gold files")
    train.add_argument("--out", default=None, metavar="FILE",
                       help="where to write the model (default: the builder's kg/data/relation_model.json)")
    train.add_argument("--threshold", type=float, default=0.4,
                       help="probability a pair must reach to be related (default: 0.4)")
    train.add_argument("--l2", type=float, default=1.0, help="L2 regularisation strength (default: 1.0)")
    train.set_defaults(run=run_train)

    validate = commands.add_parser(
        "validate", help="check the built graph against the SHACL shapes",
        description="Validate the union of the built graph's graphs against ontology/shapes.ttl (pyshacl).")
    validate.add_argument("--graph", default="out", metavar="DIR", help="folder of a built graph (default: out/)")
    validate.set_defaults(run=run_validate)

    path = commands.add_parser(
        "path", help="explain how two entities connect",
        description="Print the shortest chain of relations between two entities, followed in either "
                    "direction, with the sentence that states every hop. Entities are named by any spelling "
                    "seen in the articles (case, accents and punctuation ignored; a surname works when it "
                    "names one entity).",
        epilog='example: kg path "Ana López" "The Long Night"')
    path.add_argument("source", metavar="A", help="name of the first entity")
    path.add_argument("target", metavar="B", help="name of the second entity")
    path.add_argument("--graph", default="out", metavar="DIR", help="folder of a built graph (default: out/)")
    path.set_defaults(run=run_path)

    viz = commands.add_parser(
        "viz", help="write the interactive page of the graph",
        description="Write a self-contained HTML page of the entities and relations (vis-network inlined: it "
                    "opens from disk with no network): nodes coloured by class and sized by PageRank, evidence "
                    "sentences on hover, a search box and a class filter. Beyond --max-nodes entities, only the "
                    "most central are drawn. `kg build` writes the same page as DIR/graph.html.")
    viz.add_argument("--graph", default="out", metavar="DIR", help="folder of a built graph (default: out/)")
    viz.add_argument("-o", "--output", metavar="FILE", help="page to write (default: DIR/graph.html)")
    viz.add_argument("--max-nodes", type=_positive, default=500, metavar="N",
                     help="draw at most N entities, the most central (default: 500)")
    viz.set_defaults(run=run_viz)

    serve = commands.add_parser(
        "serve", help="serve the graph over the SPARQL 1.1 Protocol, with a query page",
        description="Answer SPARQL queries at http://HOST:PORT/sparql (SPARQL 1.1 Protocol: GET ?query=, POST "
                    "form or application/sparql-query; results as JSON, XML, CSV, TSV, Turtle, N-Triples, "
                    "JSON-LD or RDF/XML by Accept header or format=) and a query page at http://HOST:PORT/. "
                    "Read-only: updates, SERVICE and graphs the store does not hold are refused; every query "
                    "has a time limit and a row cap. Ctrl-C stops the server.",
        epilog="example: curl 'http://127.0.0.1:7878/sparql' --data-urlencode 'query=ASK { ?s ?p ?o }'")
    serve.add_argument("--graph", default="out", metavar="DIR", help="folder of a built graph (default: out/)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=7878, help="port to listen on (default: 7878; 0 picks a free one)")
    serve.add_argument("--timeout", type=_seconds, default=10.0, metavar="SECONDS",
                       help="time limit of each query; a slower query is stopped (default: 10)")
    serve.add_argument("--max-rows", type=_positive, default=10_000, metavar="N",
                       help="row cap: longer results are cut and flagged X-Kg-Truncated (default: 10000)")
    serve.add_argument("--workers", type=_positive, default=2, metavar="N",
                       help="query worker processes, i.e. queries run at once (default: 2)")
    serve.set_defaults(run=run_serve)

    push = commands.add_parser(
        "push", help="send the graph to a remote SPARQL store (Graph Store Protocol)",
        description="PUT each graph to a SPARQL 1.1 Graph Store HTTP Protocol endpoint: every article's "
                    "provenance graph under its IRI, and the entities and relations into the named graph "
                    "https://w3id.org/kg-news/id/entities. PUT replaces a graph, so pushing again duplicates "
                    "nothing.",
        epilog="--endpoint is the store's Graph Store URL: Oxigraph http://HOST:7878/store, Fuseki "
               "http://HOST:3030/DATASET/data, GraphDB http://HOST:7200/repositories/REPO/rdf-graphs/service, "
               "Virtuoso http://HOST:8890/sparql-graph-crud")
    push.add_argument("--endpoint", required=True, metavar="URL", help="Graph Store Protocol URL of the store")
    push.add_argument("--graph", default="out", metavar="DIR", help="folder of a built graph (default: out/)")
    push.add_argument("--auth", metavar="USER:PASSWORD",
                      help="HTTP Basic credentials; give USER alone to be asked for the password")
    push.add_argument("-q", "--quiet", action="store_true", help="no progress lines, only the summary")
    push.set_defaults(run=run_push)
    return parser


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, not {text!r}")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, not {text!r}")
    return value


def run_build(args) -> int:
    from .build import build

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(total=total, desc="kg build", unit="article", file=sys.stderr, leave=False, disable=None)
        bar.update(done - bar.n)

    try:
        result = build(args.inputs, Path(args.out), args.lang, progress=None if args.quiet else progress,
                       workers=args.workers, executor=args.executor, scheduler=args.scheduler, fresh=args.fresh)
    finally:
        if bar is not None:
            bar.close()
    if not args.quiet:
        if result.up_to_date:
            print(f"{args.out} is up to date: {result.report['articles']} article(s) unchanged, nothing rebuilt")
        else:
            print(summary(result.report, args.out, result.changes))
    return 0


def summary(report: dict, out: str, changes: dict | None = None) -> str:
    classes = ", ".join(f"{n} {c}" for c, n in report["entities_by_class"].items()) or "none"
    props = ", ".join(f"{n} {p}" for p, n in report["relations_by_property"].items()) or "none"
    lines = [f"built {out}/graph.ttl, graph.trig, report.json, graph.html from {report['articles']} article(s)",
             f"  entities:  {report['entities']} ({classes})",
             f"  relations: {report['relations']} ({props})"]
    if changes and (changes.get("unchanged") or changes.get("removed")):
        lines.append("  articles:  " + ", ".join(f"{len(changes[k])} {k}" for k in ("new", "changed", "removed", "unchanged"))
                     + " (unchanged ones were not read again)")
    analysis = report.get("analysis")
    if analysis:
        central = ", ".join(f"{c['label']} ({c['class']}, {c['pagerank']:.3f})" for c in analysis["most_central"][:3])
        lines += [f"  analysis:  {analysis['components']} component(s), largest {analysis['largest_component']} "
                  f"entities; {analysis['communities']} communities (modularity {analysis['modularity']:.2f})",
                  f"  most central (PageRank): {central or 'none'}"]
    lines += [f"  warning: {w}" for w in report["warnings"]]
    return "\n".join(lines)


def run_query(args) -> int:
    from .query import describe_named_queries, parse_params, query_graph

    if args.list:
        print(describe_named_queries())
        return 0
    text = query_graph(Path(args.graph), args.query, name=args.name, params=parse_params(args.param),
                       fmt=args.format)
    sys.stdout.write(text)
    return 0


def run_export(args) -> int:
    from .export import export_graph, format_for, write_atomically

    output = Path(args.output) if args.output else None
    fmt = format_for(output, args.format)
    data, count = export_graph(Path(args.graph), fmt)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomically(output, data)
        print(f"wrote {output}: {count} {'triples' if fmt in ('turtle', 'nt') else 'quads'} ({fmt})")
    return 0


def run_evaluate(args) -> int:
    from .evaluate import evaluate, format_table, load_gold
    from .store import load_dataset

    gold = load_gold(args.gold)
    scores = evaluate(load_dataset(Path(args.graph)), gold)
    print(json.dumps(scores, indent=2, ensure_ascii=False) if args.json else format_table(scores))
    return 0


def run_train(args) -> int:
    from .errors import InputError
    from .train import MODEL_PATH, train

    if not 0.0 < args.threshold < 1.0:
        raise InputError(f"--threshold must lie between 0 and 1, not {args.threshold}")
    out = Path(args.out) if args.out else MODEL_PATH
    done = []
    model = train(args.gold, out, [Path(d) for d in args.docs],
                  on_done=lambda doc: (done.append(doc), print(f"  read {doc}", file=sys.stderr)),
                  threshold=args.threshold, l2=args.l2)
    counts = model.meta["examples"]
    print(f"trained on {len(done)} articles: {sum(p for p, _ in counts.values())} positive and "
          f"{sum(n for _, n in counts.values())} negative pairs, {sum(map(len, model.weights.values()))} "
          f"weights for {len(model.weights)} properties -> {out}")
    return 0


def run_validate(args) -> int:
    from .validate import validate_graph
    from .store import load_dataset

    conforms, text = validate_graph(load_dataset(Path(args.graph)))
    print("conforms: the graph satisfies every SHACL shape" if conforms else text)
    return 0 if conforms else EXIT_ERROR


def run_path(args) -> int:
    from .analysis import project
    from .paths import find_entity, format_path, shortest_path
    from .store import load_dataset

    projection = project(load_dataset(Path(args.graph)))
    source, target = find_entity(projection, args.source), find_entity(projection, args.target)
    print(format_path(projection, shortest_path(projection, source, target)))
    return 0


def run_viz(args) -> int:
    from .analysis import analyse, project
    from .store import load_dataset, load_report
    from .viz import PAGE_HTML, page_title, render_page, write_page

    graph = Path(args.graph)
    projection = project(load_dataset(graph), co_mentions=True)
    html = render_page(projection, analyse(projection), title=page_title(load_report(graph)), max_nodes=args.max_nodes)
    print(f"wrote {write_page(Path(args.output) if args.output else graph / PAGE_HTML, html)}")
    return 0


def run_serve(args) -> int:
    from .serve import make_server, serve_until_stopped
    from .store import open_store

    server = make_server(open_store(Path(args.graph)), args.host, args.port, timeout=args.timeout,
                         max_rows=args.max_rows, workers=args.workers)
    logging.getLogger("kg.serve").setLevel(logging.INFO)
    print(f"kg: serving {args.graph} at {server.url} (SPARQL endpoint {server.url}sparql); "
          "Ctrl-C stops", file=sys.stderr, flush=True)
    serve_until_stopped(server)
    print("kg: server stopped", file=sys.stderr)
    return 0


def run_push(args) -> int:
    from .push import push
    from .store import open_store

    auth = args.auth
    if auth is not None and ":" not in auth:
        import getpass

        auth = f"{auth}:{getpass.getpass(f'password for {auth} at {args.endpoint}: ')}"

    def progress(done: int, total: int, iri: str, triples: int) -> None:
        print(f"  [{done}/{total}] {iri}: {triples} triples", file=sys.stderr, flush=True)

    result = push(open_store(Path(args.graph)), args.endpoint, auth=auth, progress=None if args.quiet else progress)
    print(f"pushed {result.graphs} graphs, {result.triples} triples to {result.endpoint}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
