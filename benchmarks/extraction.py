"""Throughput of the kg extraction stage against the plain spaCy model it is built on.

For the same texts (the seed articles, boilerplate masked, repeated ``--copies`` times,
or ``--synthetic N`` generated articles, see ``benchmarks/synthetic.py``) it times, per
language and overall:

* builder: ``kg.extract.extract(documents)``, the whole NLP stage of a build
  (masking, the kg pipeline with its rule components, conversion to records);
* raw: ``nlp.pipe(texts)`` with the unmodified statistical model
  (``kg.nlp.raw_pipeline``) on the already-masked texts, same batch size.

Both pipelines are loaded and warmed up before any timing; every figure is the median
over ``--repeat`` runs, builder and raw runs alternating.  The headline figure is the
words/s of the builder divided by the words/s of the raw model (target >= 0.85).  Run from
the repository root:

    .venv/bin/python benchmarks/extraction.py --repeat 3
    .venv/bin/python benchmarks/extraction.py --synthetic 100 --repeat 3
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import spacy

from kg.corpus import collect_paths, mask_boilerplate, read_document
from kg.extract import BATCH_SIZE, extract
from kg.nlp import load_pipeline, model_name, raw_pipeline
from kg.records import Document

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.85


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Compare the throughput of kg's extraction (kg.extract.extract) with the raw "
                    "spaCy model (nlp.pipe) on the same masked seed texts.")
    parser.add_argument("--repeat", type=int, default=5, metavar="N",
                        help="timed runs per measurement; the median is reported (default: 5)")
    parser.add_argument("--copies", type=int, default=None, metavar="K",
                        help="repeat the sample texts K times to make a bigger sample "
                             "(default: 20 for the seeds, 1 with --synthetic)")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds", metavar="DIR",
                        help="folder of articles to use (default: the repository's seeds/)")
    parser.add_argument("--synthetic", type=int, default=None, metavar="N",
                        help="use N synthetic articles (benchmarks/synthetic.py) instead of --seeds")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the synthetic corpus (default: 0)")
    parser.add_argument("--fr-share", type=float, default=0.4, metavar="P",
                        help="share of French articles in the synthetic corpus (default: 0.4)")
    args = parser.parse_args(argv)
    if args.copies is None:
        args.copies = 1 if args.synthetic else 20
    if args.repeat < 1 or args.copies < 1 or (args.synthetic is not None and args.synthetic < 1):
        parser.error("--repeat, --copies and --synthetic must be at least 1")
    return args


def load_documents(seeds: Path, copies: int) -> list[Document]:
    """The seed articles, each repeated ``copies`` times under distinct ids."""
    originals = [read_document(path) for path in collect_paths([seeds])]
    return [replace(d, doc_id=f"{d.doc_id}-{k}") for k in range(copies) for d in originals]


def masked(documents: list[Document]) -> list[str]:
    return [mask_boilerplate(d.text)[0] for d in documents]


def timed(run) -> tuple[float, float]:
    """Wall-clock and CPU seconds of ``run()`` (CPU time is steadier on a shared machine)."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def run_raw(pipelines: dict, groups: dict[str, list[str]]) -> None:
    for lang in sorted(groups):
        for _ in pipelines[lang].pipe(groups[lang], batch_size=BATCH_SIZE):
            pass


def measure(documents: list[Document], pipelines: dict, repeat: int) -> dict[str, float]:
    """Median wall and CPU seconds of builder and raw over ``repeat`` alternating runs."""
    groups: dict[str, list[str]] = {}
    for document, text in zip(documents, masked(documents)):
        groups.setdefault(document.lang, []).append(text)
    runs: dict[str, list[float]] = {"builder": [], "raw": [], "builder_cpu": [], "raw_cpu": []}
    for _ in range(repeat):
        for name, run in (("builder", lambda: extract(documents)), ("raw", lambda: run_raw(pipelines, groups))):
            wall, cpu = timed(run)
            runs[name].append(wall)
            runs[f"{name}_cpu"].append(cpu)
    return {name: statistics.median(values) for name, values in runs.items()}


def synthetic_documents(n: int, seed: int, fr_share: float, copies: int) -> list[Document]:
    """``n`` synthetic articles (written to a temporary folder and read back as a build reads them)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from synthetic import write_corpus

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as folder:
        write_corpus(folder, n, seed, fr_share)
        return load_documents(Path(folder), copies)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.synthetic:
        documents = synthetic_documents(args.synthetic, args.seed, args.fr_share, args.copies)
    else:
        documents = load_documents(args.seeds, args.copies)
    langs = sorted({d.lang for d in documents})

    pipelines = {}
    for lang in langs:  # load and warm up both pipelines before timing
        sample = [d for d in documents if d.lang == lang][:4]
        extract(sample)
        pipelines[lang] = raw_pipeline(lang)
        list(pipelines[lang].pipe(masked(sample), batch_size=BATCH_SIZE))

    print(f"python {platform.python_version()}, spaCy {spacy.__version__}, {os.cpu_count()} CPU(s); "
          f"models: {', '.join(f'{lang}={model_name(lang)}' for lang in langs)}")
    originals = len(documents) // args.copies
    kind = f"synthetic article(s) (seed {args.seed})" if args.synthetic else "seed article(s)"
    print(f"sample: {originals} {kind} x {args.copies} copies = {len(documents)} documents; "
          f"median of {args.repeat} run(s); batch size {BATCH_SIZE}")
    print(f"kg pipeline ({langs[0]}): {' > '.join(load_pipeline(langs[0]).pipe_names)}")
    print()

    header = (f"{'lang':<6}{'docs':>5}{'words':>7}{'builder doc/s':>15}{'raw doc/s':>11}"
              f"{'builder w/s':>13}{'raw w/s':>9}{'ratio':>7}{'cpu ratio':>11}")
    print(header)
    print("-" * len(header))
    overall = (0.0, 0.0)
    speeds = (0.0, 0.0)
    for lang in [*langs, "all"]:
        subset = documents if lang == "all" else [d for d in documents if d.lang == lang]
        words = sum(len(text.split()) for text in masked(subset))
        t = measure(subset, pipelines, args.repeat)
        # builder/raw throughput = raw seconds / builder seconds
        ratio, cpu_ratio = t["raw"] / t["builder"], t["raw_cpu"] / t["builder_cpu"]
        if lang == "all":
            overall = (ratio, cpu_ratio)
            speeds = (words / t["builder"], words / t["raw"])
            print("-" * len(header))
        print(f"{lang:<6}{len(subset):>5}{words:>7}{len(subset) / t['builder']:>15.1f}{len(subset) / t['raw']:>11.1f}"
              f"{words / t['builder']:>13.0f}{words / t['raw']:>9.0f}{ratio:>7.2f}{cpu_ratio:>11.2f}")
    print()
    verdict = "holds" if overall[0] >= TARGET else "MISSES"
    print(f"words/s builder/raw: {speeds[0]:,.0f} / {speeds[1]:,.0f} = {overall[0]:.2f} "
          f"(target >= {TARGET:.2f}: {verdict}; by CPU time: {overall[1]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
