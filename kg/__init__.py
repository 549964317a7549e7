"""kg: build a provenance-rich RDF knowledge graph from English and French film news.

>>> from kg import build, run_query            # doctest: +SKIP
>>> result = build(["seeds"], out_dir="out")   # doctest: +SKIP
"""

__version__ = "0.1.0"

from .build import BuildResult, build  # noqa: E402
from .errors import KgError  # noqa: E402
from .query import format_result, run_query  # noqa: E402
from .store import load_dataset  # noqa: E402

__all__ = ["BuildResult", "KgError", "build", "format_result", "load_dataset", "run_query", "__version__"]
