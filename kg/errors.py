"""The project's exceptions: the library raises them, the CLI turns them into one line."""


class KgError(Exception):
    """Base class of every error kg reports to users."""


class InputError(KgError):
    """An article or input path cannot be read (missing, binary, not UTF-8, empty)."""


class GraphNotFoundError(KgError):
    """No built graph where one was expected."""


class QueryError(KgError):
    """A SPARQL query is malformed or cannot be run."""


class EvaluationError(KgError):
    """Gold files are malformed or do not match the graph."""


class ResourceError(KgError):
    """A bundled data file (patterns, cue words, ontology) is missing or invalid."""
