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
                    "per article) and DIR/report.json (counts). Outputs are replaced atomically.")
    build.add_argument("inputs", nargs="*", default=["seeds"], metavar="INPUT",
                       help="article files or folders (default: seeds/)")
    build.add_argument("--out", default="out", metavar="DIR", help="output folder (default: out/)")
    build.add_argument("--lang", choices=("en", "fr"), help="language of every article (default: detected per article)")
    build.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    build.set_defaults(run=run_build)

    query = commands.add_parser(
        "query", help="run a SPARQL query on the built graph",
        description="Run a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query over the union of the graph's "
                    "graphs. Prefixes kg:, kgid:, rdfs:, skos: and dcterms: are predeclared.")
    query.add_argument("query", metavar="QUERY", help="SPARQL text, or the path of a .rq file")
    query.add_argument("--graph", default="out", metavar="DIR", help="folder of a built graph (default: out/)")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table",
                       help="output format (default: table; CONSTRUCT gives Turtle, or JSON-LD with json)")
    query.set_defaults(run=run_query)

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

    validate = commands.add_parser(
        "validate", help="check the built graph against the SHACL shapes",
        description="Validate the union of the built graph's graphs against ontology/shapes.ttl (pyshacl).")
    validate.add_argument("--graph", default="out", metavar="DIR", help="folder of a built graph (default: out/)")
    validate.set_defaults(run=run_validate)
    return parser


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
        result = build(args.inputs, Path(args.out), args.lang, progress=None if args.quiet else progress)
    finally:
        if bar is not None:
            bar.close()
    if not args.quiet:
        print(summary(result.report, args.out))
    return 0


def summary(report: dict, out: str) -> str:
    classes = ", ".join(f"{n} {c}" for c, n in report["entities_by_class"].items()) or "none"
    props = ", ".join(f"{n} {p}" for p, n in report["relations_by_property"].items()) or "none"
    lines = [f"built {out}/graph.ttl, graph.trig, report.json from {report['articles']} article(s)",
             f"  entities:  {report['entities']} ({classes})",
             f"  relations: {report['relations']} ({props})"]
    lines += [f"  warning: {w}" for w in report["warnings"]]
    return "\n".join(lines)


def run_query(args) -> int:
    from .query import format_result, read_query, run_query as execute
    from .store import load_dataset

    text = read_query(args.query)
    dataset = load_dataset(Path(args.graph))
    result = execute(dataset, text)
    print(format_result(result, args.format, dataset.namespace_manager))
    return 0


def run_evaluate(args) -> int:
    from .evaluate import evaluate, format_table, load_gold
    from .store import load_dataset

    gold = load_gold(args.gold)
    scores = evaluate(load_dataset(Path(args.graph)), gold)
    print(json.dumps(scores, indent=2, ensure_ascii=False) if args.json else format_table(scores))
    return 0


def run_validate(args) -> int:
    from .validate import validate_graph
    from .store import load_dataset

    conforms, text = validate_graph(load_dataset(Path(args.graph)))
    print("conforms: the graph satisfies every SHACL shape" if conforms else text)
    return 0 if conforms else EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
