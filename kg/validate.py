"""SHACL validation of a built graph against ``ontology/shapes.ttl``."""

from __future__ import annotations

from rdflib import Dataset, Graph

from . import resources


def validate_graph(dataset: Dataset) -> tuple[bool, str]:
    """(conforms, report text) for the union of all graphs, with the ontology for subclasses."""
    import pyshacl

    data = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        data.add((s, p, o))
    shapes = Graph().parse(resources.shapes_path(), format="turtle")
    ontology = Graph().parse(resources.ontology_path(), format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                         advanced=True)
    return bool(conforms), text
