"""The project's exceptions: the library raises them, the CLI turns them into one line."""


class KgError(Exception):
    """Base class of every error kg reports to users."""


class InputError(KgError):
    """An article or input path cannot be read (missing, binary, not UTF-8, empty)."""


class GraphNotFoundError(KgError):
    """No built graph where one was expected."""


class QueryError(KgError):
    """A SPARQL query is malformed or cannot be run."""


class QuerySyntaxError(QueryError):
    """A query is not valid SPARQL."""


class QueryRefused(QueryError):
    """A read-only endpoint refuses a query (SERVICE, a graph it does not hold)."""


class UpdateRefused(QueryRefused):
    """A read-only endpoint refuses SPARQL Update."""


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped."""


class PushError(KgError):
    """A remote SPARQL store cannot be reached or refuses the graph."""


class EvaluationError(KgError):
    """Gold files are malformed or do not match the graph."""


class ResourceError(KgError):
    """A bundled data file (patterns, cue words, ontology) is missing or invalid."""


class EntityNotFoundError(KgError):
    """No entity, or more than one, answers to a name."""


class NoPathError(KgError):
    """Two entities are not connected by any chain of relations."""
