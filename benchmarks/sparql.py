"""Named SPARQL queries on the embedded pyoxigraph store against rdflib's in-memory Dataset.

It generates a synthetic graph of about ``--triples`` statements under the kg ontology
(persons, films, series, organizations, franchises, places; actedIn, directed, wrote,
produced, distributedBy, partOfFranchise, employedBy, basedIn; labels and other
spellings; one named graph per article with the article, its mentions and its relation
assertions; an analysis graph with degree, PageRank and betweenness), loads it into an
on-disk pyoxigraph store (bulk loader, then compaction, as ``kg build`` does) and into an rdflib
``Dataset(default_union=True)``, and times every named query of ``kg/queries`` with the
same parameters on both: the text is prepared once by ``kg.query.prepare_named``, results
are fully read.  After one untimed warm-up run per engine, each figure is the median of
``--repeat`` runs.  Run from the repository root:

    .venv/bin/python benchmarks/sparql.py                      # one million triples
    .venv/bin/python benchmarks/sparql.py --triples 50000 --repeat 3
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import Dataset

from kg.query import prepare_named, run_query, run_store_query
from kg.resources import query_names

KG = "https://w3id.org/kg-news/ontology#"
KGID = "https://w3id.org/kg-news/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
TARGET = 10.0
#: share of each class among the entities
CLASSES = {"Person": 0.60, "Film": 0.20, "TVSeries": 0.07, "Organization": 0.08, "Franchise": 0.02, "Place": 0.03}
SYLLABLES = ("ka", "lo", "mi", "ra", "ve", "no", "shi", "ta", "del", "mor", "an", "zu", "bel", "cor", "fi", "ga",
             "hu", "jo", "lin", "pa", "qui", "ro", "sen", "tor", "ul", "vin", "wa", "xe", "yo", "ber")
TRIPLES_PER_ENTITY = 115  # about: an entity brings its own triples, its relations, their provenance, its metrics


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Time kg's named SPARQL queries on the embedded pyoxigraph "
                                                 "store and on rdflib, on a synthetic graph.")
    parser.add_argument("--triples", type=int, default=1_000_000, metavar="N",
                        help="approximate size of the synthetic graph (default: 1000000)")
    parser.add_argument("--repeat", type=int, default=5, metavar="K",
                        help="timed runs per query and engine; the median is reported (default: 5)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the generator (default: 7)")
    args = parser.parse_args(argv)
    if args.triples < 1000 or args.repeat < 1:
        parser.error("--triples must be at least 1000 and --repeat at least 1")
    return args


# --- the synthetic graph ------------------------------------------------------------------------


def name(rng: random.Random, words: int) -> str:
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
                    for _ in range(words))


def generate(n_triples: int, seed: int) -> tuple[str, dict[str, dict[str, str]]]:
    """N-Quads of a synthetic kg graph of about ``n_triples`` statements, and parameters for each named query."""
    rng = random.Random(seed)
    n_entities = max(60, n_triples // TRIPLES_PER_ENTITY)
    entities: dict[str, list[str]] = {cls: [] for cls in CLASSES}
    labels: dict[str, str] = {}
    lines: list[str] = []
    iri = lambda key: f"<{KGID}{key}>"  # noqa: E731
    lit = lambda text: str(ox.Literal(text))  # noqa: E731
    for cls, share in CLASSES.items():
        for k in range(max(2, int(n_entities * share))):
            key = f"{cls.lower()}/{k}"
            label = name(rng, 2 if cls == "Person" else rng.randint(1, 3)) + f" {k}"
            entities[cls].append(key)
            labels[key] = label
            lines.append(f"{iri(key)} <{RDF}type> <{KG}{cls}> .")
            lines.append(f"{iri(key)} <{RDFS}label> {lit(label)} .")
            if rng.random() < 0.3:
                lines.append(f"{iri(key)} <{SKOS}altLabel> {lit(label.upper())} .")
    people, orgs = entities["Person"], entities["Organization"]
    # popularity follows a power law, so that some people and companies have many works
    people_weights = [1 / (i + 1) ** 0.8 for i in range(len(people))]
    org_weights = [1 / (i + 1) for i in range(len(orgs))]
    relations: list[tuple[str, str, str]] = []
    for work in entities["Film"] + entities["TVSeries"]:
        cast = set(rng.choices(people, people_weights, k=rng.randint(3, 12)))
        relations += [(p, "actedIn", work) for p in sorted(cast)]
        relations.append((rng.choices(people, people_weights)[0], "directed", work))
        for prop in ("wrote", "produced"):
            if rng.random() < 0.5:
                relations.append((rng.choices(people, people_weights)[0], prop, work))
        relations.append((work, "distributedBy", rng.choices(orgs, org_weights)[0]))
        if rng.random() < 0.2:
            relations.append((work, "partOfFranchise", rng.choice(entities["Franchise"])))
    for person in people:
        if rng.random() < 0.2:
            relations.append((person, "employedBy", rng.choices(orgs, org_weights)[0]))
    for org in orgs:
        relations.append((org, "basedIn", rng.choice(entities["Place"])))
    relations = sorted(set(relations))
    lines += [f"{iri(s)} <{KG}{p}> {iri(o)} ." for s, p, o in relations]
    # provenance: articles of about four relation assertions, with the mentions they rest on
    rng.shuffle(relations)
    all_keys = list(labels)
    for a in range(0, len(relations), 4):
        doc = f"doc{a // 4:06d}"
        article, graph = f"<{KGID}article/{doc}>", f"<{KGID}graph/{doc}>"
        quad = lambda s, p, o: lines.append(f"{s} <{p}> {o} {graph} .")  # noqa: E731
        quad(article, f"{RDF}type", f"<{KG}Article>")
        quad(article, f"{DCTERMS}title", lit(f"News {doc}"))
        quad(article, f"{DCTERMS}language", lit(rng.choice(("en", "fr"))))
        quad(article, f"{KG}sourceFile", lit(f"corpus/{doc}.txt"))
        quad(article, f"{KG}contentHash", lit(f"{rng.getrandbits(128):032x}"))
        offset = 0
        batch = relations[a:a + 4]
        extra = rng.sample(all_keys, 2)
        mentions = {}
        for key in [k for s, _, o in batch for k in (s, o)] + extra:
            start, end = offset, offset + len(labels[key])
            offset = end + 40
            node = f"<{KGID}article/{doc}/mention/{start}-{end}>"
            mentions.setdefault(key, node)
            sentence = lit(f"In this story {labels[key]} appears once again.")
            quad(node, f"{RDF}type", f"<{KG}Mention>")
            quad(node, f"{KG}refersTo", iri(key))
            quad(node, f"{KG}inArticle", article)
            quad(node, f"{KG}surfaceText", lit(labels[key]))
            _span(quad, node, start, end, sentence, rng)
        for s, p, o in batch:
            node = f"<{KGID}article/{doc}/assertion/{p}/{s.replace('/', '-')}/{o.replace('/', '-')}>"
            sentence = lit(f"{labels[s]} {p} {labels[o]}, the article says.")
            quad(node, f"{RDF}type", f"<{KG}RelationAssertion>")
            quad(node, f"{RDF}subject", iri(s))
            quad(node, f"{RDF}predicate", f"<{KG}{p}>")
            quad(node, f"{RDF}object", iri(o))
            quad(node, f"{KG}inArticle", article)
            quad(node, f"{KG}subjectMention", mentions[s])
            quad(node, f"{KG}objectMention", mentions[o])
            _span(quad, node, 0, 80, sentence, rng)
    # the analysis graph: degree and a rough PageRank / betweenness
    degree = Counter(k for s, _, o in relations for k in (s, o))
    analysis = f"<{KGID}graph/analysis>"
    total = sum(degree.values()) or 1
    for key in labels:
        d = degree.get(key, 0)
        lines.append(f'{iri(key)} <{KG}degree> "{d}"^^<{XSD}integer> {analysis} .')
        lines.append(f'{iri(key)} <{KG}pageRank> "{(d + 1) / total:.6f}"^^<{XSD}decimal> {analysis} .')
        lines.append(f'{iri(key)} <{KG}betweenness> "{rng.random() * d / total:.6f}"^^<{XSD}decimal> {analysis} .')
    # parameters: the work with the biggest cast, the busiest person and company, in other cases
    cast = Counter(o for s, p, o in relations if p == "actedIn")
    works = Counter(s for s, p, o in relations if p in ("actedIn", "directed", "wrote", "produced"))
    distributors = Counter(o for s, p, o in relations if p == "distributedBy")
    person = labels[works.most_common(1)[0][0]]
    params = {
        "cast": {"work": labels[cast.most_common(1)[0][0]].lower()},
        "works-of": {"person": person.upper()},
        "distributed-by": {"company": labels[distributors.most_common(1)[0][0]].lower()},
        "employment": {},
        "central": {"class": "Person"},
        "evidence": {"subject": person.lower(), "property": "actedIn"},
    }
    return "\n".join(lines) + "\n", params


def _span(quad, node: str, start: int, end: int, sentence: str, rng: random.Random) -> None:
    quad(node, f"{KG}startOffset", f'"{start}"^^<{XSD}integer>')
    quad(node, f"{KG}endOffset", f'"{end}"^^<{XSD}integer>')
    quad(node, f"{KG}sentence", sentence)
    quad(node, f"{KG}extractedBy", str(ox.Literal(rng.choice(("en.cast", "en.org.work", "fr.performances.de")))))
    quad(node, f"{KG}confidence", f'"{rng.choice(("0.8", "0.85", "0.9"))}"^^<{XSD}decimal>')


# --- timing -------------------------------------------------------------------------------------


def timed(run) -> tuple[float, float, object]:
    """Wall-clock and CPU seconds of ``run()`` (CPU time is steadier on a shared machine), and its value."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    value = run()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def median_time(run, repeat: int) -> tuple[float, float, int]:
    """Median wall-clock and CPU seconds over ``repeat`` runs after one warm-up run, and the row count."""
    _, _, count = timed(run)  # warm-up: caches, lazy imports, query parser
    runs = [timed(run) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), count


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"Python {platform.python_version()}, pyoxigraph {ox.__version__}, rdflib {rdflib.__version__}, "
          f"{platform.machine()}", file=sys.stderr)
    start = time.perf_counter()
    nquads, params = generate(args.triples, args.seed)
    print(f"generated {nquads.count(chr(10)):,} quads in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="kg-sparql-bench-") as folder:
        path = str(Path(folder) / "store")
        writer = ox.Store(path)  # as `kg build` and `kg query` do: bulk load, compact, close, reopen read-only
        load_store, _, _ = timed(lambda: (writer.bulk_load(nquads.encode("utf-8"), ox.RdfFormat.N_QUADS),
                                          writer.optimize()))
        del writer
        store = ox.Store.read_only(path)
        dataset = Dataset(default_union=True)
        load_rdflib, _, _ = timed(lambda: dataset.parse(data=nquads, format="nquads"))
        print(f"loaded {len(store):,} quads: pyoxigraph bulk load {load_store:.1f} s, rdflib parse {load_rdflib:.1f} s",
              file=sys.stderr)
        del nquads
        rows = []
        for name in query_names():
            text = prepare_named(name, params[name])
            t_store, c_store, n_store = median_time(lambda: sum(1 for _ in run_store_query(store, text)), args.repeat)
            t_rdflib, c_rdflib, n_rdflib = median_time(lambda: sum(1 for _ in run_query(dataset, text)), args.repeat)
            if n_store != n_rdflib:
                print(f"warning: {name}: {n_store} rows from pyoxigraph, {n_rdflib} from rdflib", file=sys.stderr)
            rows.append((name, n_store, t_store, t_rdflib, t_rdflib / t_store, c_rdflib / max(c_store, 1e-6)))
            print(f"  {name}: {t_store * 1000:.1f} ms vs {t_rdflib * 1000:.1f} ms", file=sys.stderr)
        size = len(store)
    print(report(rows, size, args))
    return 0


def report(rows: list[tuple], size: int, args: argparse.Namespace) -> str:
    header = f"{'query':<16}{'rows':>7}{'pyoxigraph ms':>15}{'rdflib ms':>12}{'ratio':>9}{'cpu ratio':>11}"
    lines = [f"{size:,} quads, median of {args.repeat} runs", "", header, "-" * len(header)]
    for name, count, t_store, t_rdflib, ratio, cpu_ratio in rows:
        lines.append(f"{name:<16}{count:>7}{t_store * 1000:>15.1f}{t_rdflib * 1000:>12.1f}{ratio:>8.0f}x"
                     f"{cpu_ratio:>10.0f}x")
    median, cpu_median = statistics.median(r[4] for r in rows), statistics.median(r[5] for r in rows)
    lines += ["-" * len(header), "",
              f"median ratio rdflib/pyoxigraph: {median:.0f}x (target >= {TARGET:.0f}x: "
              f"{'met' if median >= TARGET else 'NOT met'}; by CPU time: {cpu_median:.0f}x)"]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
