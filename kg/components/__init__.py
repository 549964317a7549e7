"""spaCy components of kg, registered with ``@Language.factory`` on import.

Each component reads its rules from data files through :mod:`kg.resources`, declares
what it requires and assigns, and writes its results to ``doc.ents`` or ``doc._``.
"""

from . import entities, quotes, relations  # noqa: F401  (registration side effect)
