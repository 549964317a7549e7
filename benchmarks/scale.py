"""Scale benchmarks of kg: workers, incremental builds, Turtle export, analysis, the page, memory.

One subcommand per question; each prints its measurements, the target and the ratio
measured in the same run, and "holds" or "MISSES".  Every timing is the median of
``--repeat`` runs.  Builds run in child processes (``kg.build.build`` called in a fresh
interpreter, as ``kg build`` does), so model loading is always included, and the child
reports where its time went (phases: reading, extraction, resolution, RDF dataset,
projection, analysis, page, writing...), measured by wrapping the stage functions that
``kg.build`` calls, without a profiler.  Corpora and graphs come from
``benchmarks/synthetic.py`` (seeded: every run measures the same articles).

Run from the repository root (each has ``--help``; the sizes shown are the defaults):

    .venv/bin/python benchmarks/scale.py workers --articles 200          # 2 workers / 1 worker, target >= 1.5
    .venv/bin/python benchmarks/scale.py incremental --articles 1000     # add one: <= 2x alone; unchanged: < 5 %
    .venv/bin/python benchmarks/scale.py export --triples 1000000        # Turtle >= 200k triples/s
    .venv/bin/python benchmarks/scale.py analysis --nodes 100000         # analyse <= 10 % of the NLP time
    .venv/bin/python benchmarks/scale.py page --nodes 10000              # render < 5 s, first draw < 3 s
    .venv/bin/python benchmarks/scale.py memory --articles 10000         # peak RSS and articles/s
    .venv/bin/python benchmarks/scale.py stages --articles 250 500 1000 2000  # the stages after NLP, how they grow
    .venv/bin/python benchmarks/scale.py all --quick                     # every benchmark, small sizes
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402  (benchmarks/synthetic.py)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-extensions", "--no-first-run", "--mute-audio"]
VIEWPORT = {"width": 1200, "height": 800}

TARGETS = {
    "workers": 1.5,        # build time with 1 worker / with 2 workers
    "incremental": 2.0,    # adding one article / building it alone
    "unchanged": 0.05,     # unchanged rebuild / full build
    "turtle": 200_000,     # triples per second
    "analysis": 0.10,      # analyse / NLP time of the corpus
    "render": 5.0,         # seconds
    "first_draw": 3.0,     # seconds
}


# --- helpers ------------------------------------------------------------------------------------


def median(values) -> float:
    return statistics.median(values)


def verdict(ok: bool) -> str:
    return "holds" if ok else "MISSES"


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"python {platform.python_version()}, {os.cpu_count()} CPU(s) ({platform.processor() or platform.machine()}), "
            f"load average {load}")


def source_digest() -> str:
    """Short hash of kg's Python sources and the newest modification time: which code was measured."""
    import hashlib

    files = sorted((ROOT / "kg").rglob("*.py"))
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()[:12]
    newest = max(p.stat().st_mtime for p in files)
    return f"kg sources {digest} (newest file {time.strftime('%H:%M:%S', time.localtime(newest))})"


def header(title: str, args: argparse.Namespace) -> None:
    print(f"== {title} ==")
    print(machine())
    print(source_digest())
    print(f"median of {args.repeat} run(s); started {time.strftime('%Y-%m-%d %H:%M:%S')}")
    print()


def table(rows: list[list], headers: list[str]) -> None:
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(headers, widths)))
    print(line)
    print("-" * len(line))
    for row in cells:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
    print()


def workdir(args: argparse.Namespace, name: str) -> Path:
    base = Path(args.workdir) if args.workdir else Path(tempfile.gettempdir())
    base.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"kg-bench-{name}-", dir=base))


def corpus(folder: Path, n: int, seed: int, fr_share: float = 0.4, start: int = 0) -> Path:
    synthetic.write_corpus(folder, n, seed, fr_share, start)
    return folder


def print_profile(stats: pstats.Stats, limit: int = 25, title: str = "profile") -> None:
    """The functions with the largest cumulative time, one line each."""
    stream = io.StringIO()
    stats.stream = stream
    stats.sort_stats("cumulative").print_stats(limit)
    lines = stream.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    print(f"{title} (cProfile, sorted by cumulative time; cProfile inflates pure-Python code):")
    for line in lines[start:]:
        if line.strip():
            print("   " + line.replace(str(ROOT) + "/", "").replace(sys.prefix + "/lib/", ""))
    print()


# --- builds in child processes -------------------------------------------------------------------

#: Stage functions of a build, timed in the child: (module, attribute, phase name, parent phase).
#: Functions the current kg does not have are skipped.  A parent ending in "*" marks a phase
#: shown for information only (it runs inside several of the phases listed).
PHASES = [
    ("kg.build", "_plan", "read articles + plan", None),
    ("kg.build", "read_corpus", "read articles + plan", None),
    ("kg.build", "load_extraction", "load cached extractions", "read articles + plan"),
    ("kg.build", "run_extraction", "extraction (NLP)", None),
    ("kg.extract", "load_pipeline", "model loading (in process)", "extraction (NLP)"),
    ("kg.build", "resolve", "resolve", None),
    ("kg.resolve", "_merge_short_person_names", "kg.resolve._merge_short_person_names", "resolve"),
    ("kg.resolve", "_merge_translated_titles", "kg.resolve._merge_translated_titles", "resolve"),
    ("kg.build", "project_records", "project (records -> networkx)", None),
    ("kg.build", "analyse", "analyse (networkx)", None),
    ("kg.build", "metrics_quads", "metrics quads", None),
    ("kg.build", "dataset_quads", "rdf quads (pyoxigraph)", None),
    ("kg.build", "named_graphs", "rdf quads (pyoxigraph)", None),
    ("kg.build", "make_report", "report", None),
    ("kg.build", "save_extraction", "save cached extractions", None),
    ("kg.build", "render_page", "render page", None),
    ("kg.store", "PreviousGraphs.read", "read the previous graph.trig + index", None),
    ("kg.store", "StagedOutputs.add", "stage graphs (TriG, store changes)", None),
    ("kg.store", "trig_block", "TriG of graphs made: kg.store.trig_block", "stage graphs (TriG, store changes)"),
    ("kg.store", "PreviousGraphs.changes", "store changes: PreviousGraphs.changes", "stage graphs (TriG, store changes)"),
    ("kg.store", "StagedOutputs.commit", "write outputs", None),
    ("kg.store", "turtle_bytes", "graph.ttl: kg.store.turtle_bytes", "write outputs"),
    ("kg.store", "load_store", "(background thread, overlaps the above) store/ bulk load", "background"),
    ("kg.store", "copy_store", "(background thread) store/ copy (RocksDB checkpoint)", "background"),
    ("kg.store", "update_store", "(background thread) store/ update in place", "background"),
]


#: Peak resident memory (MB, ``ru_maxrss``) of this process when each phase ended, for the memory benchmark.
PEAK_AFTER: dict[str, float] = {}


def _instrument(phases: dict[str, float]) -> None:
    import importlib

    for module_name, attribute, phase, _ in PHASES:
        owner = importlib.import_module(module_name)
        if "." in attribute:  # a method: "Class.method"
            class_name, attribute = attribute.split(".")
            owner = getattr(owner, class_name)
        original = getattr(owner, attribute, None)
        if original is None:
            continue

        def wrapper(*a, __original=original, __phase=phase, **k):
            started = time.perf_counter()
            try:
                return __original(*a, **k)
            finally:
                phases[__phase] = phases.get(__phase, 0.0) + time.perf_counter() - started
                PEAK_AFTER[__phase] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        setattr(owner, attribute, wrapper)


def child_main(spec: dict) -> int:
    """Run one build as the child process (called as ``scale.py _child JSON``); print a JSON result."""
    started = time.perf_counter()
    from kg.build import build

    imported = time.perf_counter() - started
    phases: dict[str, float] = {}
    _instrument(phases)
    profiler = cProfile.Profile() if spec.get("profile") else None
    gc.collect()
    started, started_cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    result = build(spec["inputs"], spec["out"], workers=spec.get("workers", 1), fresh=spec.get("fresh", False))
    if profiler:
        profiler.disable()
        profiler.dump_stats(spec["profile"])
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    phases = dict(phases)  # (result.quads below may make the quads of reused graphs again, untimed)
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    report = result.report
    quads, default_triples = _count_quads(result)
    out = {
        "build_s": seconds, "build_cpu_s": cpu, "import_s": imported, "up_to_date": result.up_to_date,
        "articles": report.get("articles"), "entities": report.get("entities"),
        "relations": report.get("relations"), "mentions": report.get("mentions"),
        "quads": quads, "default_triples": default_triples,
        "phases": phases, "peak_after_mb": PEAK_AFTER, "maxrss_mb": me.ru_maxrss / 1024, "children_maxrss_mb": children.ru_maxrss / 1024,
        "cpu_s": me.ru_utime + me.ru_stime, "children_cpu_s": children.ru_utime + children.ru_stime,
    }
    print("KG-BENCH-RESULT " + json.dumps(out))
    return 0


def _count_quads(result) -> tuple[int | None, int | None]:
    """Quads of a build's graph and triples of its default graph (read from its store when it wrote one:
    an incremental build holds no quads for the graphs it reused)."""
    import pyoxigraph as ox

    if result.up_to_date:
        return None, None
    if result.out_dir is not None:
        store = ox.Store.read_only(str(Path(result.out_dir) / "store"))
        return len(store), sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    quads = result.quads
    return len(quads), sum(1 for q in quads if isinstance(q.graph_name, ox.DefaultGraph))


def run_build(inputs: list[Path], out: Path | None, *, workers: int = 1, fresh: bool = False,
              profile: Path | None = None) -> dict:
    """``kg.build.build`` in a fresh interpreter; its result dict plus ``process_s``, the wall time of the process."""
    spec = {"inputs": [str(p) for p in inputs], "out": str(out) if out else None, "workers": workers,
            "fresh": fresh, "profile": str(profile) if profile else None}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "_child", json.dumps(spec)],
                          capture_output=True, text=True, cwd=ROOT)
    process = time.perf_counter() - started
    line = next((line for line in done.stdout.splitlines() if line.startswith("KG-BENCH-RESULT ")), None)
    if done.returncode != 0 or line is None:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"the build in a child process failed (exit {done.returncode})")
    result = json.loads(line[len("KG-BENCH-RESULT "):])
    result["process_s"] = process
    return result


def phase_rows(results: list[dict], total_key: str = "build_s") -> list[list]:
    """Median seconds of each phase over several child results, and its share of the build.

    The remainders ("rest", "other") are computed run by run, then their median is taken.
    """
    names = []
    for _, _, phase, parent in PHASES:
        if (phase, parent) not in names:
            names.append((phase, parent))
    total = median([r[total_key] for r in results])
    inner_names = [p for _, _, p, par in PHASES if par == "write outputs"]  # not the "*" ones

    def rest(r: dict) -> float:
        return r["phases"].get("write outputs", 0.0) - sum(r["phases"].get(p, 0.0) for p in inner_names)

    def other(r: dict) -> float:
        return r[total_key] - sum(r["phases"].get(p, 0.0) for p, parent in names if parent is None)

    rows = []
    for phase, parent in names:
        values = [r["phases"].get(phase, 0.0) for r in results]
        if not any(values):
            continue
        value = median(values)
        rows.append([("    " if parent else "  ") + phase, f"{value:.2f}", f"{100 * value / total:.1f} %"])
        if phase == "write outputs" and any(r["phases"].get(p) for r in results for p in inner_names):
            value = median([rest(r) for r in results])
            rows.append(["    rest (other files, waiting for the store, swap)", f"{value:.2f}",
                         f"{100 * value / total:.1f} %"])
    value = median([other(r) for r in results])
    rows.append(["  other (planning, checks, pruning the cache)", f"{value:.2f}", f"{100 * value / total:.1f} %"])
    return rows


def print_phases(results: list[dict], title: str) -> None:
    print(f"where the time goes: {title} (median seconds per phase)")
    table(phase_rows(results), ["phase", "s", "share"])


# --- workers --------------------------------------------------------------------------------------


def cmd_workers(args: argparse.Namespace) -> dict:
    header(f"workers: {args.articles} synthetic articles, --workers 1 vs --workers {args.workers}", args)
    folder = workdir(args, "workers")
    articles = corpus(folder / "articles", args.articles, args.seed)
    runs: dict[int, list[dict]] = {1: [], args.workers: []}
    for r in range(args.repeat):
        for workers in (1, args.workers):
            out = folder / f"out-{workers}"
            shutil.rmtree(out, ignore_errors=True)
            result = run_build([articles], out, workers=workers, fresh=True)
            runs[workers].append(result)
            print(f"  run {r + 1}: {workers} worker(s): build {result['build_s']:.1f} s "
                  f"(extraction {result['phases'].get('extraction (NLP)', 0):.1f} s), "
                  f"process {result['process_s']:.1f} s", flush=True)
    print()
    rows = []
    for workers, results in runs.items():
        build_s = median([r["build_s"] for r in results])
        rows.append([f"{workers} worker(s)", f"{build_s:.1f}", f"{args.articles / build_s:.1f}",
                     f"{median([r['phases'].get('extraction (NLP)', 0) for r in results]):.1f}",
                     f"{build_s - median([r['phases'].get('extraction (NLP)', 0) for r in results]):.1f}",
                     f"{median([r['process_s'] for r in results]):.1f}",
                     f"{median([r['cpu_s'] + r['children_cpu_s'] for r in results]):.1f}"])
    table(rows, ["", "build s", "articles/s", "extraction s", "rest s", "process s", "CPU s (all procs)"])
    one, many = (median([r["build_s"] for r in runs[w]]) for w in (1, args.workers))
    ext1, extn = (median([r["phases"].get("extraction (NLP)", 0) for r in runs[w]]) for w in (1, args.workers))
    proc1, procn = (median([r["process_s"] for r in runs[w]]) for w in (1, args.workers))
    serial = one - ext1
    ratio = one / many
    used1 = median([(r.get("build_cpu_s", 0) + r["children_cpu_s"]) / r["build_s"] for r in runs[1]])
    usedn = median([r["children_cpu_s"] / max(r["phases"].get("extraction (NLP)", 0), 1e-9) for r in runs[args.workers]])
    worker_cpu = median([r["children_cpu_s"] for r in runs[args.workers]])
    print(f"cores used: 1-worker build {used1:.2f} on average; the {args.workers} workers during extraction "
          f"{usedn:.2f} (their CPU {worker_cpu:.1f} s over {extn:.1f} s of extraction; {args.workers} would mean "
          f"they had every core they asked for, less means other processes held the cores)")
    ideal = (many - extn) + worker_cpu / args.workers
    print(f"if the workers had had {args.workers} free cores: extraction about {worker_cpu / args.workers:.1f} s, "
          f"build about {ideal:.1f} s, speed-up about {one / ideal:.2f}")
    print(f"speed-up of the extraction stage alone: {ext1 / extn:.2f}")
    print(f"speed-up of the `kg build` process (imports included): {proc1 / procn:.2f}")
    print(f"serial part of a 1-worker build (everything but extraction): {serial:.1f} s = {100 * serial / one:.0f} %; "
          f"best possible speed-up with {args.workers} workers (Amdahl): {one / (serial + ext1 / args.workers):.2f}")
    print(f"build time 1 worker / {args.workers} workers: {one:.1f} / {many:.1f} = {ratio:.2f} "
          f"(target >= {TARGETS['workers']}: {verdict(ratio >= TARGETS['workers'])})")
    print()
    print_phases(runs[1], "1 worker")
    print_phases(runs[args.workers], f"{args.workers} workers")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return {"ratio": ratio}


# --- incremental ----------------------------------------------------------------------------------


def cmd_incremental(args: argparse.Namespace) -> dict:
    header(f"incremental: corpus of {args.articles} synthetic articles, plus one", args)
    folder = workdir(args, "incremental")
    articles = corpus(folder / "articles", args.articles, args.seed)
    extra = synthetic.write_corpus(folder / "extra", 1, args.seed, start=args.articles)[0]
    base = folder / "base"
    full = []
    for r in range(args.repeat_full):
        shutil.rmtree(base, ignore_errors=True)
        full.append(run_build([articles], base, workers=args.workers, fresh=True))
        print(f"  full build {r + 1}: {full[-1]['build_s']:.1f} s (process {full[-1]['process_s']:.1f} s; "
              f"{full[-1]['entities']} entities, {full[-1]['quads']} quads)", flush=True)
    unchanged, added, alone = [], [], []
    for r in range(args.repeat):
        unchanged.append(run_build([articles], base, workers=args.workers))
        assert unchanged[-1]["up_to_date"], "the unchanged rebuild rebuilt something"
        trial = folder / "trial"
        shutil.rmtree(trial, ignore_errors=True)
        shutil.copytree(base, trial)
        added.append(run_build([extra], trial, workers=args.workers))
        assert added[-1]["articles"] == args.articles + 1
        solo = folder / "alone"
        shutil.rmtree(solo, ignore_errors=True)
        alone.append(run_build([extra], solo, workers=args.workers, fresh=True))
        print(f"  run {r + 1}: unchanged {unchanged[-1]['build_s']:.2f} s, add one {added[-1]['build_s']:.1f} s, "
              f"alone {alone[-1]['build_s']:.1f} s", flush=True)
    print()
    m = {name: (median([r["build_s"] for r in rs]), median([r["process_s"] for r in rs]))
         for name, rs in (("full", full), ("unchanged", unchanged), ("added", added), ("alone", alone))}
    table([[f"full build of {args.articles}", f"{m['full'][0]:.2f}", f"{m['full'][1]:.2f}"],
           ["unchanged rebuild", f"{m['unchanged'][0]:.2f}", f"{m['unchanged'][1]:.2f}"],
           [f"add 1 article to {args.articles}", f"{m['added'][0]:.2f}", f"{m['added'][1]:.2f}"],
           ["that article alone, fresh dir", f"{m['alone'][0]:.2f}", f"{m['alone'][1]:.2f}"]],
          ["", "build() s", "process s"])
    add_ratio, add_ratio_process = m["added"][0] / m["alone"][0], m["added"][1] / m["alone"][1]
    unchanged_ratio, unchanged_process = m["unchanged"][0] / m["full"][0], m["unchanged"][1] / m["full"][1]
    print(f"add one / alone: {add_ratio:.2f} by build() time, {add_ratio_process:.2f} by process time "
          f"(target <= {TARGETS['incremental']}: {verdict(add_ratio <= TARGETS['incremental'])})")
    print(f"unchanged / full: {100 * unchanged_ratio:.1f} % by build() time, {100 * unchanged_process:.1f} % by "
          f"process time (target < {100 * TARGETS['unchanged']:.0f} %: {verdict(unchanged_ratio < TARGETS['unchanged'])})")
    print()
    print_phases(full, f"full build of {args.articles}")
    print_phases(added, f"adding one article to {args.articles}")
    print_phases(alone, "one article alone")
    print_phases(unchanged, "unchanged rebuild")
    if args.profile:  # one more run, under cProfile, not counted above
        trial = folder / "trial"
        shutil.rmtree(trial, ignore_errors=True)
        shutil.copytree(base, trial)
        run_build([extra], trial, workers=args.workers, profile=folder / "add-one.prof")
        print_profile(pstats.Stats(str(folder / "add-one.prof")), args.profile_lines, "adding one article")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return {"add_ratio": add_ratio, "unchanged_ratio": unchanged_ratio}


# --- Turtle export --------------------------------------------------------------------------------


def timed(run, repeat: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of ``run()`` over ``repeat`` runs, and its last value."""
    times, cpu, value = [], [], None
    for _ in range(repeat):
        value = None
        gc.collect()
        started, started_cpu = time.perf_counter(), time.process_time()
        value = run()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return median(times), median(cpu), value


def cmd_export(args: argparse.Namespace) -> dict:
    from kg.export import export_graph
    from kg.rdf import entity_quads, to_dataset
    from kg.store import GRAPH_TRIG, GRAPH_TTL, load_store, trig_bytes, turtle_bytes

    header(f"Turtle export of a synthetic graph of about {args.triples:,} triples", args)
    started = time.perf_counter()
    nodes = max(100, int(args.triples / 5.3))
    graph = synthetic.synthetic_graph(nodes, args.seed, evidence=False)
    resolution = synthetic.resolution_from_graph(graph)
    del graph
    made = time.perf_counter() - started
    quads_s, quads_cpu, quads = timed(lambda: entity_quads(resolution), args.repeat)
    triples = len(quads)
    print(f"synthetic graph: {len(resolution.entities):,} entities, {len(resolution.relations):,} relations -> "
          f"{triples:,} triples in the default graph (generated in {made:.0f} s)")
    folder = workdir(args, "export")
    rows = []

    def row(name: str, seconds: float, cpu: float, note: str = "") -> None:
        rows.append([name, f"{seconds:.2f}", f"{cpu:.2f}", f"{triples / seconds:,.0f}", f"{triples / cpu:,.0f}", note])

    rates: dict[str, tuple[float, float]] = {}
    row("kg.rdf.entity_quads", quads_s, quads_cpu, "records -> pyoxigraph quads")
    ttl_s, ttl_cpu, ttl = timed(lambda: turtle_bytes(quads), args.repeat)
    row("kg.store.turtle_bytes", ttl_s, ttl_cpu, "quads -> graph.ttl (pyoxigraph writer)")
    rates["graph.ttl as kg build writes it (entity_quads + turtle_bytes)"] = (quads_s + ttl_s, quads_cpu + ttl_cpu)
    trig_s, trig_cpu, trig = timed(lambda: trig_bytes(quads), args.repeat)
    row("kg.store.trig_bytes", trig_s, trig_cpu, "quads -> graph.trig (a real build adds the named graphs)")
    (folder / GRAPH_TTL).write_bytes(ttl)
    (folder / GRAPH_TRIG).write_bytes(trig)
    del trig
    store_s, store_cpu, _ = timed(lambda: (shutil.rmtree(folder / "store", ignore_errors=True),
                                           load_store(folder / "store", quads)), args.repeat)
    row("kg.store.load_store", store_s, store_cpu, "store/: pyoxigraph bulk load + optimize")
    export_s, export_cpu, (data, count) = timed(lambda: export_graph(folder, "turtle"), args.repeat)
    assert count == triples, (count, triples)
    row("kg.export.export_graph(turtle)", export_s, export_cpu, "parse graph.ttl + write Turtle")
    rates["kg export --format turtle (export_graph)"] = (export_s, export_cpu)
    nt_s, nt_cpu, _ = timed(lambda: export_graph(folder, "nt"), args.repeat)
    row("kg.export.export_graph(nt)", nt_s, nt_cpu, "parse graph.ttl + write N-Triples")
    cli, cli_cpu = [], []
    for _ in range(args.repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([str(Path(sys.executable).with_name("kg")), "export", "--format", "turtle", "--graph",
                        str(folder), "-o", str(folder / "export.ttl")], check=True, cwd=ROOT, capture_output=True)
        cli.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cli_cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    row("`kg export --format turtle -o FILE`", median(cli), median(cli_cpu), "the whole command, imports included")
    rates["`kg export --format turtle -o FILE` (whole command)"] = (median(cli), median(cli_cpu))
    if args.rdflib:  # rdflib's writer, for comparison (what graph.ttl used before)
        dataset_s, dataset_cpu, dataset = timed(lambda: to_dataset(quads), 1)
        rdflib_s, rdflib_cpu, _ = timed(lambda: dataset.default_graph.serialize(format="turtle", encoding="utf-8"), 1)
        row("rdflib: kg.rdf.to_dataset", dataset_s, dataset_cpu, "quads -> rdflib Dataset (once)")
        row("rdflib: Graph.serialize(turtle)", rdflib_s, rdflib_cpu, "rdflib TurtleSerializer (once)")
        rates["rdflib Turtle writer, for comparison"] = (rdflib_s, rdflib_cpu)
        del dataset
    print(f"sizes: graph.ttl {len(ttl) / 1e6:.0f} MB, kg export {len(data) / 1e6:.0f} MB")
    del ttl, data
    print()
    table(rows, ["", "wall s", "CPU s", "triples/s", "triples/CPU s", "what"])
    target = TARGETS["turtle"]
    result = {}
    for name, (seconds, cpu) in rates.items():
        rate, rate_cpu = triples / seconds, triples / cpu
        result[name] = rate
        print(f"{name}: {rate:,.0f} triples/s, {rate_cpu:,.0f} per CPU second "
              f"(target >= {target:,}: {verdict(rate >= target)}; {rate / target:.2f}x the target)")
    print()
    if args.profile:
        for title, run in [("graph.ttl: entity_quads + turtle_bytes", lambda: turtle_bytes(entity_quads(resolution))),
                           ("kg export: export_graph(turtle)", lambda: export_graph(folder, "turtle"))]:
            profiler = cProfile.Profile()
            profiler.enable()
            run()
            profiler.disable()
            print_profile(pstats.Stats(profiler), args.profile_lines, title)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return result


# --- analysis -------------------------------------------------------------------------------------

ANALYSIS_PARTS = [  # (module, attribute, name): the calls analyse() makes
    ("networkx", "pagerank", "nx.pagerank"),
    ("kg.analysis", "_betweenness", "kg.analysis._betweenness (igraph)"),
    ("networkx", "connected_components", "nx.connected_components"),
    ("kg.analysis", "louvain_communities", "kg.analysis.louvain_communities (igraph)"),
    ("networkx:community", "modularity", "nx.community.modularity"),
    ("kg.analysis", "relation_graph", "kg.analysis.relation_graph (x2)"),
    ("kg.analysis", "_numbered", "kg.analysis._numbered (x2)"),
    ("kg.analysis", "summarise", "kg.analysis.summarise"),
]


def cmd_analysis(args: argparse.Namespace) -> dict:
    import importlib

    from kg.analysis import analyse
    from kg.build import read_corpus
    from kg.extract import extract
    from kg.nlp import load_pipeline
    from kg.resolve import resolve

    header(f"analysis of a synthetic graph of {args.nodes:,} entities", args)
    started = time.perf_counter()
    graph = synthetic.synthetic_graph(args.nodes, args.seed, evidence=False)
    figures = synthetic.describe(graph)
    print(f"graph: {figures['nodes']:,} entities, {figures['relation_edges']:,} relation edges, "
          f"{figures['co_mention_edges']:,} coMention edges, from {figures['articles']:,} simulated articles "
          f"(generated in {time.perf_counter() - started:.0f} s); max degree {figures['max_degree']}, "
          f"median {figures['median_degree']}, {figures['degree_1']:,} of degree 1")
    parts: dict[str, list[float]] = {name: [] for _, _, name in ANALYSIS_PARTS}
    originals = []
    for module_name, attribute, name in ANALYSIS_PARTS:
        module_name, _, inner = module_name.partition(":")
        module = importlib.import_module(module_name)
        module = getattr(module, inner) if inner else module
        original = getattr(module, attribute)
        originals.append((module, attribute, original))

        def wrapper(*a, __original=original, __name=name, **k):
            started = time.perf_counter()
            try:
                value = __original(*a, **k)
                if __name == "nx.connected_components":
                    value = list(value)  # a generator: time its consumption here
                return value
            finally:
                parts[__name][-1] += time.perf_counter() - started

        setattr(module, attribute, wrapper)
    times, cpu = [], []
    for r in range(args.repeat):
        for values in parts.values():
            values.append(0.0)
        gc.collect()
        started, started_cpu = time.perf_counter(), time.process_time()
        result = analyse(graph)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        print(f"  run {r + 1}: analyse {times[-1]:.1f} s ({cpu[-1]:.1f} s CPU)", flush=True)
    for module, attribute, original in originals:
        setattr(module, attribute, original)
    analysis_s, analysis_cpu = median(times), median(cpu)
    print(f"  summary: {result['summary']['components']} components, {result['summary']['communities']} "
          f"communities, betweenness {result['summary']['betweenness']}")
    print()
    rows = []
    for _, _, name in ANALYSIS_PARTS:
        values = parts[name]
        if values:
            value = median(values)
            rows.append([name, f"{value:.1f}", f"{100 * value / analysis_s:.0f} %"])
    accounted = sum(float(r[1]) for r in rows)
    rows.append(["rest (degrees, node dicts)", f"{analysis_s - accounted:.1f}",
                 f"{100 * (analysis_s - accounted) / analysis_s:.0f} %"])
    table(rows, ["kg.analysis.analyse", "s", "share"])

    # NLP throughput of the builder on synthetic articles, one process, model loaded
    folder = workdir(args, "analysis")
    corpus(folder, args.sample, args.seed)
    documents = read_corpus([folder])
    for lang in sorted({d.lang for d in documents}):
        load_pipeline(lang)
    extract(documents[:4])
    nlp_times, nlp_cpu = [], []
    for _ in range(args.repeat):
        gc.collect()
        started, started_cpu = time.perf_counter(), time.process_time()
        extractions = extract(documents)
        nlp_times.append(time.perf_counter() - started)
        nlp_cpu.append(time.process_time() - started_cpu)
    per_article = median(nlp_times) / len(documents)
    per_article_cpu = median(nlp_cpu) / len(documents)
    real = len(resolve(extractions).entities)
    ideal = len({k for i in range(args.sample) for k in synthetic.make_article(i, args.seed).entities})
    calibration = real / ideal
    simulated = figures["articles"]
    needed = simulated / calibration
    linear = args.nodes / (real / args.sample)
    nlp_s, nlp_linear_s = needed * per_article, linear * per_article
    print(f"NLP throughput (kg.extract.extract, 1 process, model loaded): {args.sample} synthetic articles in "
          f"{median(nlp_times):.1f} s = {1 / per_article:.1f} articles/s ({1000 * per_article:.0f} ms/article; "
          f"{1000 * per_article_cpu:.0f} ms CPU/article)")
    print(f"entities found by a real build of those {args.sample} articles: {real} (a perfect extraction: "
          f"{ideal}; ratio {calibration:.2f})")
    print(f"articles needed for {args.nodes:,} entities:")
    print(f"  (a) the simulation reached {args.nodes:,} perfect-extraction entities after {simulated:,} articles; "
          f"/ {calibration:.2f} = {needed:,.0f} articles -> NLP {nlp_s / 60:.0f} min on one core")
    print(f"  (b) linear, {real / args.sample:.1f} entities per article as in the {args.sample}-article sample "
          f"(new entities per article fall as a corpus grows, so this underestimates the articles): "
          f"{linear:,.0f} articles -> NLP {nlp_linear_s / 60:.0f} min")
    ratio, ratio_linear = analysis_s / nlp_s, analysis_s / nlp_linear_s
    ratio_cpu = analysis_cpu / (needed * per_article_cpu)
    print()
    print(f"analyse / NLP time: {analysis_s:.1f} s / {nlp_s:.0f} s = {100 * ratio:.1f} % with (a), "
          f"{100 * ratio_linear:.1f} % with the pessimistic (b); by CPU time {100 * ratio_cpu:.1f} % with (a) "
          f"(target <= {100 * TARGETS['analysis']:.0f} %: {verdict(ratio <= TARGETS['analysis'])})")
    print()
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        analyse(graph)
        profiler.disable()
        print_profile(pstats.Stats(profiler), args.profile_lines, "analyse")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return {"analysis_s": analysis_s, "ratio": ratio, "ratio_linear": ratio_linear}


# --- the page -------------------------------------------------------------------------------------

#: Records when window.network is assigned and when it first fires afterDrawing (ms since navigation).
FIRST_DRAW_HOOK = """
(() => {
  let value;
  window.__kgBench = {};
  Object.defineProperty(window, "network", {
    configurable: true,
    get() { return value; },
    set(network) {
      value = network;
      window.__kgBench.network = performance.now();
      network.once("afterDrawing", () => { window.__kgBench.firstDraw = performance.now(); });
    },
  });
})();
"""


def cmd_page(args: argparse.Namespace) -> dict:
    from kg.analysis import analyse
    from kg.viz import DEFAULT_MAX_NODES, render_page, write_page

    header(f"page of a synthetic graph of {args.nodes:,} entities", args)
    started = time.perf_counter()
    graph = synthetic.synthetic_graph(args.nodes, args.seed)
    figures = synthetic.describe(graph)
    made = time.perf_counter() - started
    started = time.perf_counter()
    analysis = analyse(graph)
    print(f"graph: {figures['nodes']:,} entities, {figures['relation_edges']:,} relation edges (generated in "
          f"{made:.0f} s, analysed in {time.perf_counter() - started:.0f} s, not timed below)")
    folder = workdir(args, "page")
    sizes = [DEFAULT_MAX_NODES] + ([] if args.default_only else [args.nodes])
    render, render_cpu, pages = {}, {}, {}
    small = synthetic.synthetic_graph(20, args.seed)
    render_page(small, analyse(small))  # warm-up: template, bundled vis-network read once per process
    for max_nodes in sizes:
        seconds, cpu, html = timed(lambda: render_page(graph, analysis, title=f"Knowledge graph of "
                                                       f"{figures['articles']} article(s)", max_nodes=max_nodes),
                                   args.repeat)
        render[max_nodes], render_cpu[max_nodes] = seconds, cpu
        pages[max_nodes] = write_page(folder / f"graph-{max_nodes}.html", html)
        print(f"  render_page(max_nodes={max_nodes}): {seconds:.2f} s ({cpu:.2f} s CPU), {len(html) / 1e6:.1f} MB",
              flush=True)
    draws = {}
    if CHROMIUM.exists():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            try:
                for max_nodes, path in pages.items():
                    draws[max_nodes] = [first_draw(browser, path, args.timeout) for _ in range(args.repeat)]
                    print(f"  first draw (max_nodes={max_nodes}): "
                          + ", ".join(f"{d['wall']:.2f} s" for d in draws[max_nodes]), flush=True)
            finally:
                browser.close()
    else:
        print(f"  no chromium at {CHROMIUM}: first draw not measured")
    print()
    rows = []
    for max_nodes in sizes:
        drawn = min(max_nodes, figures["nodes"])
        d = draws.get(max_nodes)
        rows.append([f"max_nodes={max_nodes} ({drawn:,} drawn)", f"{render[max_nodes]:.2f}",
                     f"{render_cpu[max_nodes]:.2f}",
                     f"{median([x['wall'] for x in d]):.2f}" if d else "-",
                     f"{median([x['in_page'] for x in d]):.2f}" if d else "-",
                     f"{median([x['network'] for x in d]):.2f}" if d else "-",
                     f"{median([x['ready'] for x in d if x['ready'] is not None]):.2f}"
                     if d and any(x["ready"] is not None for x in d) else "-"])
    table(rows, ["page", "render_page s", "CPU s", "first draw s", "in page s", "network made s", "ready s"])
    print("first draw: from page.goto(file://...) to the first afterDrawing event of window.network (wall clock "
          "in this process); in page: the same event in ms since navigation start (performance.now()); "
          "network made: when window.network was assigned; ready: window.kgGraph.ready (after stabilization)")
    print()
    default = DEFAULT_MAX_NODES
    print(f"render_page, {figures['nodes']:,} entities, as kg build calls it (max_nodes={default}): "
          f"{render[default]:.2f} s (target < {TARGETS['render']} s: {verdict(render[default] < TARGETS['render'])})")
    if draws.get(default):
        draw = median([x["wall"] for x in draws[default]])
        print(f"first draw in headless chromium (max_nodes={default}): {draw:.2f} s "
              f"(target < {TARGETS['first_draw']} s: {verdict(draw < TARGETS['first_draw'])})")
    if len(sizes) > 1:
        every = sizes[-1]
        line = f"with every entity drawn (max_nodes={every}): render_page {render[every]:.2f} s"
        if draws.get(every):
            line += f", first draw {median([x['wall'] for x in draws[every]]):.2f} s"
        print(line + " (for information)")
    print()
    if args.profile:
        for max_nodes in sizes:
            profiler = cProfile.Profile()
            profiler.enable()
            render_page(graph, analysis, max_nodes=max_nodes)
            profiler.disable()
            print_profile(pstats.Stats(profiler), args.profile_lines, f"render_page(max_nodes={max_nodes})")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return {"render": render[default], "first_draw": median([x["wall"] for x in draws[default]])
            if draws.get(default) else None}


def first_draw(browser, path: Path, timeout: float) -> dict:
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    try:
        page = context.new_page()
        page.add_init_script(FIRST_DRAW_HOOK)
        started = time.perf_counter()
        page.goto(path.resolve().as_uri(), wait_until="commit")
        page.wait_for_function("() => window.__kgBench && window.__kgBench.firstDraw !== undefined",
                               timeout=timeout * 1000, polling="raf")
        wall = time.perf_counter() - started
        marks = page.evaluate("() => window.__kgBench")
        try:
            page.wait_for_function("() => window.kgGraph && window.kgGraph.ready", timeout=timeout * 1000)
            ready = page.evaluate("() => performance.now()") / 1000
        except Exception:  # noqa: BLE001 - readiness is for information only
            ready = None
        return {"wall": wall, "in_page": marks["firstDraw"] / 1000, "network": marks["network"] / 1000,
                "ready": ready}
    finally:
        context.close()


# --- memory ---------------------------------------------------------------------------------------


def cmd_memory(args: argparse.Namespace) -> dict:
    header(f"memory: fresh builds of {', '.join(str(n) for n in args.articles)} synthetic articles, "
           f"{args.workers} worker(s)", args)
    folder = workdir(args, "memory")
    largest = max(args.articles)
    articles = corpus(folder / "articles", largest, args.seed)
    rows, results = [], {}
    for n in sorted(args.articles):
        inputs = sorted(articles.glob("*.txt"))[:n] if n < largest else [articles]
        if n < largest:
            subset = folder / f"articles-{n}"
            subset.mkdir(exist_ok=True)
            for path in inputs:
                shutil.copy(path, subset / path.name)
            inputs = [subset]
        runs = []
        for _ in range(args.repeat):
            out = folder / f"out-{n}"
            shutil.rmtree(out, ignore_errors=True)
            runs.append(run_build(inputs, out, workers=args.workers, fresh=True))
            print(f"  {n} articles: build {runs[-1]['build_s']:.0f} s, peak RSS {runs[-1]['maxrss_mb']:.0f} MB",
                  flush=True)
        results[n] = runs
        build_s = median([r["build_s"] for r in runs])
        rss = median([r["maxrss_mb"] for r in runs])
        rows.append([n, f"{runs[0]['entities']:,}", f"{runs[0]['quads']:,}", f"{build_s:.0f}", f"{n / build_s:.2f}",
                     f"{rss:.0f}", f"{median([r['children_maxrss_mb'] for r in runs]):.0f}"])
    print()
    table(rows, ["articles", "entities", "quads", "build s", "articles/s", "peak RSS MB", "worker peak MB"])
    sizes = sorted(results)
    if len(sizes) >= 2:
        a, b = sizes[0], sizes[-1]
        ra, rb = (median([r["maxrss_mb"] for r in results[n]]) for n in (a, b))
        slope = (rb - ra) / (b - a)
        print(f"peak RSS grows by {1024 * slope:.0f} KB per article between {a} and {b} articles; "
              f"a straight line gives {ra + slope * (10_000 - a):,.0f} MB for 10,000 articles")
        ta, tb = (median([r["build_s"] for r in results[n]]) for n in (a, b))
        print(f"build time per article: {ta / a * 1000:.0f} ms at {a}, {tb / b * 1000:.0f} ms at {b}")
        print()
    print_phases(results[sizes[-1]], f"fresh build of {sizes[-1]} articles")
    print("peak resident memory of the build process when each phase ended, in call order (MB; it only grows, "
          "so the phase where it jumps is the one that holds the most)")
    rows = []
    for n in sizes:
        peaks = results[n][0].get("peak_after_mb", {})
        order = sorted(peaks, key=peaks.get)
        previous = 0.0
        for phase in order:
            rows.append([f"{n} articles: {phase}", f"{peaks[phase]:.0f}", f"+{peaks[phase] - previous:.0f}"])
            previous = peaks[phase]
    table(rows, ["phase", "peak MB", "growth"])
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return {n: median([r["maxrss_mb"] for r in rs]) for n, rs in results.items()}


# --- stages after NLP -----------------------------------------------------------------------------


def cmd_stages(args: argparse.Namespace) -> dict:
    """Everything a build does after NLP, on perfect synthetic extractions, at several corpus sizes."""
    import importlib
    import math

    kg_build = importlib.import_module("kg.build")

    sizes = sorted(args.articles)
    header(f"stages after NLP: perfect synthetic extractions of {', '.join(map(str, sizes))} articles", args)
    print("build_graph(documents, cached=every extraction) + render_page + StagedOutputs.commit, in this process, into "
          "a new folder: what a build does besides running spaCy (an incremental one also reuses the article graphs "
          "that did not change and updates the previous store instead of loading a new one)")
    print()
    phases: dict[str, float] = {}
    _instrument(phases)
    folder = workdir(args, "stages")
    results: dict[int, list[dict]] = {}
    for n in sizes:
        documents, extractions = synthetic.synthetic_extractions(n, args.seed)
        cached = {e.document.doc_id: e for e in extractions}
        runs = []
        for _ in range(args.repeat):
            phases.clear()
            gc.collect()
            started = time.perf_counter()
            with kg_build.StagedOutputs(folder / f"out-{n}") as staged:  # as kg.build.build does
                result = kg_build.build_graph(documents, cached=cached, on_graphs=staged.add)
                page = kg_build.render_page(result.projection, result.analysis,
                                            title=kg_build.page_title(result.report))
                staged.commit(result.report, {kg_build.PAGE_HTML: page})
            runs.append({"build_s": time.perf_counter() - started, "phases": dict(phases),
                         "entities": result.report["entities"], "relations": result.report["relations"]})
            del result, page  # (a graph left alive would slow the garbage collector in the next run)
        del documents, extractions, cached
        results[n] = runs
        print(f"  {n} articles: {runs[0]['entities']:,} entities, {runs[0]['relations']:,} relations, "
              f"{median([r['build_s'] for r in runs]):.1f} s", flush=True)
    print()
    tables = {n: {row[0]: float(row[1]) for row in phase_rows(results[n])} for n in sizes}
    names = list(tables[sizes[-1]])
    rows = []
    for name in names:
        values = [tables[n].get(name, 0.0) for n in sizes]
        exponent = ""
        if len(sizes) > 1 and values[0] > 0.05 and values[-1] > 0:
            exponent = f"{math.log(values[-1] / values[0]) / math.log(sizes[-1] / sizes[0]):.2f}"
        rows.append([name, *(f"{v:.2f}" for v in values), exponent])
    totals = [median([r["build_s"] for r in results[n]]) for n in sizes]
    exponent = (f"{math.log(totals[-1] / totals[0]) / math.log(sizes[-1] / sizes[0]):.2f}" if len(sizes) > 1 else "")
    rows.append(["total", *(f"{t:.2f}" for t in totals), exponent])
    table(rows, ["phase (median s)", *(f"{n} art." for n in sizes), "growth exponent"])
    print("growth exponent: t ~ articles^k between the smallest and the largest size (1 = linear, 2 = quadratic)")
    print()
    if args.profile:
        documents, extractions = synthetic.synthetic_extractions(sizes[-1], args.seed)
        profiler = cProfile.Profile()
        profiler.enable()
        kg_build.build_graph(documents, cached={e.document.doc_id: e for e in extractions})
        profiler.disable()
        print_profile(pstats.Stats(profiler), args.profile_lines, f"build_graph, {sizes[-1]} cached articles")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return {n: t for n, t in zip(sizes, totals)}


# --- command line ---------------------------------------------------------------------------------


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Run `scale.py COMMAND --help` for the options of a benchmark.")
    commands = parser.add_subparsers(title="benchmarks", metavar="COMMAND", required=True)

    def command(name: str, help_: str, description: str, function) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_, description=description)
        sub.set_defaults(run=function)
        sub.add_argument("--repeat", type=int, default=3, metavar="K",
                         help="timed runs per measurement; the median is reported (default: 3)")
        sub.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpus or graph (default: 0)")
        sub.add_argument("--workdir", metavar="DIR", help="where to put temporary corpora and builds (default: /tmp)")
        sub.add_argument("--keep", action="store_true", help="keep the temporary files")
        sub.add_argument("--quick", action="store_true", help="small sizes and one run, to check that it works")
        sub.add_argument("--profile", action="store_true", help="also profile one run with cProfile and print it")
        sub.add_argument("--profile-lines", type=int, default=30, metavar="N", help="lines of profile (default: 30)")
        return sub

    sub = command("workers", "end-to-end build time, 1 worker vs N workers (target >= 1.5 with 2)",
                  "Fresh builds (kg.build.build(..., fresh=True, workers=N) in a new interpreter: model loading in "
                  "every worker included) of a synthetic corpus with 1 and with N workers.", cmd_workers)
    sub.add_argument("--articles", type=int, default=200, metavar="N", help="corpus size (default: 200)")
    sub.add_argument("--workers", type=int, default=2, metavar="N", help="workers to compare with 1 (default: 2)")

    sub = command("incremental", "adding one article (<= 2x building it alone); unchanged rebuild (< 5 %%)",
                  "Build a synthetic corpus; then time an unchanged rebuild against the full build, and adding one "
                  "article against building that article alone in a fresh folder (each in a new interpreter).",
                  cmd_incremental)
    sub.add_argument("--articles", type=int, default=1000, metavar="N", help="corpus size (default: 1000)")
    sub.add_argument("--repeat-full", type=int, default=None, metavar="K",
                     help="runs of the full build (default: --repeat)")
    sub.add_argument("--workers", type=int, default=1, metavar="N", help="workers of every build (default: 1)")

    sub = command("export", "Turtle serialization of ~1M triples: graph.ttl and kg export (>= 200k triples/s)",
                  "Time what kg build does to write graph.ttl (kg.rdf.entity_quads + kg.store.turtle_bytes) and "
                  "graph.trig (kg.store.trig_bytes), the store load, and `kg export` (kg.export.export_graph, and "
                  "the whole command) on a synthetic default graph of about --triples triples.", cmd_export)
    sub.add_argument("--triples", type=int, default=1_000_000, metavar="N", help="graph size (default: 1000000)")
    sub.add_argument("--rdflib", action="store_true",
                     help="also time rdflib's Turtle writer (kg.rdf.to_dataset + Graph.serialize), for comparison")

    sub = command("analysis", "kg.analysis.analyse on a 100k-entity graph vs the NLP time of such a corpus (<= 10 %%)",
                  "Time kg.analysis.analyse on a synthetic graph (shaped like kg.analysis.project's), break it down "
                  "by networkx call, and compare it with the NLP time of the articles that would give that many "
                  "entities, from the builder's measured throughput on synthetic articles.", cmd_analysis)
    sub.add_argument("--nodes", type=int, default=100_000, metavar="N", help="graph size (default: 100000)")
    sub.add_argument("--sample", type=int, default=60, metavar="N",
                     help="synthetic articles to measure the NLP throughput on (default: 60)")

    sub = command("page", "render_page of a 10k-entity graph (< 5 s) and its first draw in chromium (< 3 s)",
                  "Time kg.viz.render_page on a synthetic graph, as kg build calls it (default max_nodes) and with "
                  "every entity drawn, then the first draw of each page in headless Debian chromium (Playwright).",
                  cmd_page)
    sub.add_argument("--nodes", type=int, default=10_000, metavar="N", help="graph size (default: 10000)")
    sub.add_argument("--default-only", action="store_true", help="only the default max_nodes, not every entity")
    sub.add_argument("--timeout", type=float, default=120, metavar="S", help="browser timeout (default: 120 s)")

    sub = command("memory", "peak memory (ru_maxrss) and articles/s of fresh builds",
                  "Fresh builds of synthetic corpora in a child process; prints the child's peak resident memory "
                  "(ru_maxrss), its workers' peak, and articles/s.  With several sizes, the growth per article.",
                  cmd_memory)
    sub.add_argument("--articles", type=int, nargs="+", default=[10_000], metavar="N",
                     help="corpus sizes (default: 10000)")
    sub.add_argument("--workers", type=int, default=1, metavar="N", help="workers (default: 1)")

    sub = command("stages", "the stages after NLP on perfect synthetic extractions, at several sizes",
                  "Time build_graph (resolve, RDF dataset, projection, analysis...), render_page and write_outputs "
                  "on perfect synthetic extractions (no spaCy), at several corpus sizes, and how each grows.",
                  cmd_stages)
    sub.add_argument("--articles", type=int, nargs="+", default=[250, 500, 1000, 2000], metavar="N",
                     help="corpus sizes (default: 250 500 1000 2000)")

    sub = command("all", "every benchmark (use --quick for small sizes)", "Run every benchmark in turn.", None)
    sub.set_defaults(run=cmd_all)
    return parser


QUICK = {
    "workers": {"articles": 24, "repeat": 1},
    "incremental": {"articles": 20, "repeat": 1, "repeat_full": 1},
    "export": {"triples": 50_000, "repeat": 1},
    "analysis": {"nodes": 3_000, "repeat": 1, "sample": 12},
    "page": {"nodes": 1_000, "repeat": 1},
    "memory": {"articles": [20, 40], "repeat": 1},
    "stages": {"articles": [20, 40], "repeat": 1},
}
DEFAULTS = {
    "workers": {"articles": 200, "workers": 2},
    "incremental": {"articles": 1000, "repeat_full": None, "workers": 1},
    "export": {"triples": 1_000_000, "rdflib": False},
    "analysis": {"nodes": 100_000, "sample": 60},
    "page": {"nodes": 10_000, "default_only": False, "timeout": 120},
    "memory": {"articles": [10_000], "workers": 1},
    "stages": {"articles": [250, 500, 1000, 2000]},
}
COMMANDS = {"workers": cmd_workers, "incremental": cmd_incremental, "export": cmd_export, "analysis": cmd_analysis,
            "page": cmd_page, "memory": cmd_memory, "stages": cmd_stages}


def cmd_all(args: argparse.Namespace) -> dict:
    results = {}
    for name, function in COMMANDS.items():
        sub = argparse.Namespace(**vars(args))
        for key, value in DEFAULTS[name].items():
            setattr(sub, key, value)
        if args.quick:
            for key, value in QUICK[name].items():
                setattr(sub, key, value)
        if getattr(sub, "repeat_full", 0) is None:
            sub.repeat_full = sub.repeat
        results[name] = function(sub)
    return results


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        return child_main(json.loads(argv[1]))
    args = make_parser().parse_args(argv)
    if args.run is not cmd_all:
        name = next(n for n, f in COMMANDS.items() if f is args.run)
        if args.quick:
            for key, value in QUICK[name].items():
                setattr(args, key, value)
        if getattr(args, "repeat_full", 0) is None:
            args.repeat_full = args.repeat
    if args.repeat < 1:
        raise SystemExit("--repeat must be at least 1")
    args.run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
