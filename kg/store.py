"""Write the built graph to disk atomically, and load it back.

All outputs of a build are first written into a temporary folder beside the target and
then moved into place, so a failed build leaves the previous outputs untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from rdflib import Dataset
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .errors import GraphNotFoundError, KgError
from .rdf import PREFIXES, entity_graph, new_dataset

GRAPH_TTL = "graph.ttl"
GRAPH_TRIG = "graph.trig"
REPORT_JSON = "report.json"


def write_outputs(out_dir: Path, dataset: Dataset, report: dict) -> list[Path]:
    """Write ``graph.ttl``, ``graph.trig`` and ``report.json`` into ``out_dir`` atomically."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KgError(f"cannot create output folder {out_dir}: {exc.strerror}") from None
    staging = Path(tempfile.mkdtemp(prefix=".kg-build-", dir=out_dir))
    try:
        entity_graph(dataset).serialize(staging / GRAPH_TTL, format="turtle", encoding="utf-8")
        (staging / GRAPH_TRIG).write_text(trig_text(dataset), encoding="utf-8")
        (staging / REPORT_JSON).write_text(json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False) + "\n",
                                           encoding="utf-8")
        written = []
        for name in (GRAPH_TTL, GRAPH_TRIG, REPORT_JSON):
            os.replace(staging / name, out_dir / name)
            written.append(out_dir / name)
        return written
    except OSError as exc:
        raise KgError(f"cannot write outputs to {out_dir}: {exc.strerror}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def trig_text(dataset: Dataset) -> str:
    """TriG of the dataset with graphs in a fixed order: default graph first, then named graphs by IRI.

    rdflib's TriG writer orders graphs by hash, which changes from one process to the next.
    """
    prefixes = sorted(dataset.namespace_manager.namespaces())
    used = [(p, ns) for p, ns in prefixes if p in {"rdf", *PREFIXES}]
    lines = [f"@prefix {p}: <{ns}> ." for p, ns in used] + [""]
    named = sorted((g for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID),
                   key=lambda g: str(g.identifier))
    for graph in [dataset.default_graph, *named]:
        if len(graph) == 0:
            continue
        body = graph.serialize(format="turtle")
        body = "\n".join(line for line in body.splitlines() if not line.startswith("@prefix")).strip("\n")
        opening = "{" if graph.identifier == DATASET_DEFAULT_GRAPH_ID else f"<{graph.identifier}> {{"
        lines += [opening, body, "}", ""]  # not re-indented: a multi-line literal must stay as it is
    return "\n".join(lines)


def load_dataset(graph_dir: Path) -> Dataset:
    """The Dataset saved by ``kg build`` in ``graph_dir`` (queries see the union of graphs)."""
    path = Path(graph_dir) / GRAPH_TRIG
    if not path.exists():
        raise GraphNotFoundError(f"no graph in {graph_dir}: run `kg build --out {graph_dir}` first")
    dataset = new_dataset()
    try:
        dataset.parse(path, format="trig")
    except Exception as exc:  # rdflib raises many parser exception types
        raise GraphNotFoundError(f"{path} is not a readable TriG file: {exc}") from None
    return dataset


def load_report(graph_dir: Path) -> dict:
    path = Path(graph_dir) / REPORT_JSON
    if not path.exists():
        raise GraphNotFoundError(f"no report in {graph_dir}: run `kg build --out {graph_dir}` first")
    return json.loads(path.read_text(encoding="utf-8"))
