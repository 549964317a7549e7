"""The one accessor for bundled data: patterns, cue words, domain lists, ontology, queries.

Data lives in files beside the code (``kg/data``, ``kg/patterns``, ``kg/queries``)
and the ontology in ``ontology/`` (shipped inside the wheel as ``kg/ontology``).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from .errors import ResourceError

PACKAGE_DIR = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for path in candidates:
        if path.exists():
            return path
    raise ResourceError(f"bundled file not found: {candidates[0].name} (is the package installed?)")


def ontology_dir() -> Path:
    """Folder holding ``kg.ttl`` and ``shapes.ttl`` (source checkout or installed wheel)."""
    return _first_existing(PACKAGE_DIR / "ontology", PACKAGE_DIR.parent / "ontology")


def ontology_path() -> Path:
    return ontology_dir() / "kg.ttl"


def shapes_path() -> Path:
    return ontology_dir() / "shapes.ttl"


@cache
def data(name: str):
    """Parsed JSON of ``kg/data/<name>.json``."""
    path = PACKAGE_DIR / "data" / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResourceError(f"bundled data file missing: {path}") from None
    except json.JSONDecodeError as exc:
        raise ResourceError(f"bundled data file {path} is not valid JSON: {exc}") from None


@cache
def patterns(name: str) -> tuple[dict, ...]:
    """Records of ``kg/patterns/<name>.jsonl``, one JSON object a line (``//`` lines are comments)."""
    path = PACKAGE_DIR / "patterns" / f"{name}.jsonl"
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ResourceError(f"bundled pattern file missing: {path}") from None
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ResourceError(f"{path}:{number}: not valid JSON: {exc}") from None
    return tuple(records)


def query_path(name: str) -> Path:
    """Path of the named SPARQL query ``kg/queries/<name>.rq``."""
    return PACKAGE_DIR / "queries" / f"{name}.rq"


def query_names() -> list[str]:
    return sorted(p.stem for p in (PACKAGE_DIR / "queries").glob("*.rq"))


@cache
def ontology_signatures() -> tuple[dict[str, tuple[str, str]], dict[str, frozenset[str]]]:
    """Domain and range of each relation property, and the superclasses of each class.

    Read from ``ontology/kg.ttl`` so that the ontology stays the single source of truth.
    """
    from rdflib import OWL, RDF, RDFS, Graph

    from .namespaces import KG, RELATION_PROPERTIES

    graph = Graph().parse(ontology_path(), format="turtle")
    local = lambda iri: str(iri).removeprefix(str(KG._NS))  # noqa: E731
    signatures = {}
    for prop in RELATION_PROPERTIES:
        iri = KG[prop]
        domain, range_ = graph.value(iri, RDFS.domain), graph.value(iri, RDFS.range)
        if domain is None or range_ is None:
            raise ResourceError(f"ontology: property {prop} lacks a domain or range")
        signatures[prop] = (local(domain), local(range_))
    supers: dict[str, frozenset[str]] = {}
    for cls in graph.subjects(RDF.type, OWL.Class):
        if not str(cls).startswith(str(KG._NS)):
            continue
        ancestors = {local(c) for c in graph.transitive_objects(cls, RDFS.subClassOf)}
        supers[local(cls)] = frozenset(a for a in ancestors if not a.startswith("http"))
    return signatures, supers
