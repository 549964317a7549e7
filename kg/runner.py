"""Run read-only SPARQL queries in worker processes that are killed when they run too long.

pyoxigraph cannot interrupt a query from Python, so each query runs in a worker process
holding its own copy of the store (loaded from an N-Quads snapshot of the store it is given).
The caller waits at most ``timeout`` seconds for the encoded answer; past that the worker is
killed, a fresh one takes its place, and :class:`~kg.errors.QueryTimeout` is raised.
Workers are forked from multiprocessing's fork server (a clean, single-threaded process;
spawned where there is none), never from the threads of a server.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import shutil
import signal
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import QueryError, QuerySyntaxError, QueryTimeout
from .results import Encoded, encode

log = logging.getLogger(__name__)
STARTUP_SECONDS = 120.0  #: how long a new worker may take to load its copy of the store


class PoolBusy(QueryError):
    """Every worker stayed busy for the whole time limit."""


@dataclass(frozen=True, slots=True)
class Request:
    """One query and what its answer may be written in.

    ``default_graph`` and ``named_graphs`` are None for the union of every graph (the
    default), else the graphs of the query's dataset: an IRI, or None for the store's default graph.
    """

    query: str
    result_type: str | None
    graph_type: str | None
    default_graph: tuple[str | None, ...] | None = None
    named_graphs: tuple[str, ...] | None = None


class QueryPool:
    """``workers`` processes answering :class:`Request` objects with a time limit and a row cap.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("o")))
    >>> with QueryPool(store, workers=1, timeout=5) as pool:
    ...     pool.run(Request("SELECT ?o WHERE { ?s ?p ?o }", "text/csv", None)).body
    b'o\\r\\no\\r\\n'
    """

    def __init__(self, store: ox.Store, *, workers: int = 2, timeout: float = 10.0, max_rows: int = 10_000,
                 prefixes: Mapping[str, str] | None = None, text_prefixes: Mapping[str, str] | None = None):
        if workers < 1:
            raise QueryError(f"workers must be at least 1, not {workers}")
        if not timeout > 0:
            raise QueryError(f"the time limit must be a positive number of seconds, not {timeout}")
        if max_rows < 1:
            raise QueryError(f"the row cap must be at least 1, not {max_rows}")
        self.timeout, self.max_rows, self.workers = float(timeout), int(max_rows), workers
        self._folder = Path(tempfile.mkdtemp(prefix="kg-serve-"))
        snapshot = self._folder / "snapshot.nq"
        try:
            store.dump(str(snapshot), format=ox.RdfFormat.N_QUADS)
        except OSError as exc:
            shutil.rmtree(self._folder, ignore_errors=True)
            raise QueryError(f"cannot copy the store for the query workers: {exc}") from None
        self._args = (str(snapshot), dict(prefixes or {}), dict(text_prefixes or {}), self.max_rows)
        methods = multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            self._context.set_forkserver_preload([__name__])
        self._lock = threading.Lock()
        self._closed = False
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        try:
            started = [self._new_worker() for _ in range(workers)]
            for worker in started:
                worker.wait_ready()
                self._idle.put(worker)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def run(self, request: Request) -> Encoded:
        """The encoded answer to ``request``; raises QueryError subclasses (QueryTimeout, QuerySyntaxError, ...)."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise PoolBusy(f"all {self.workers} query workers stayed busy for {self.timeout:g} s: "
                           "try again later") from None
        try:
            try:
                worker.wait_ready()
            except QueryError:
                worker = self._replace(worker)
                raise
            worker.conn.send(request)
            if not worker.conn.poll(self.timeout):
                log.warning("a query exceeded the %g s time limit: its worker is stopped and replaced", self.timeout)
                worker = self._replace(worker)
                raise QueryTimeout(f"query exceeded the {self.timeout:g} s time limit and was stopped: "
                                   "make it more selective (or raise --timeout)")
            status, payload = worker.conn.recv()
        except (EOFError, OSError) as exc:
            log.warning("a query worker stopped unexpectedly (%s): starting a fresh one", exc or type(exc).__name__)
            worker = self._replace(worker)
            raise QueryError("the query worker stopped unexpectedly (out of memory?): "
                             "make the query more selective") from None
        finally:
            self._release(worker)
        if status == "error":
            raise payload
        return payload

    def close(self) -> None:
        """Stop every worker and delete the snapshot."""
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.stop()
        shutil.rmtree(self._folder, ignore_errors=True)

    def _new_worker(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise QueryError("the query pool is closed")
            worker = _Worker(self._context, self._args)
            self._all.add(worker)
            return worker

    def _replace(self, worker: _Worker) -> _Worker | None:
        worker.stop()
        with self._lock:
            self._all.discard(worker)
        try:
            return self._new_worker()
        except QueryError:
            return None

    def _release(self, worker: _Worker | None) -> None:
        if worker is None:
            return
        with self._lock:
            closed = self._closed
        if closed:
            worker.stop()
        else:
            self._idle.put(worker)


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context, args: tuple):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve_queries, args=(child, *args), daemon=True,
                                       name="kg-query-worker")
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self) -> None:
        if self.ready:
            return
        if not self.conn.poll(STARTUP_SECONDS):
            raise QueryError(f"a query worker did not start within {STARTUP_SECONDS:g} s")
        try:
            status, payload = self.conn.recv()
        except (EOFError, OSError):
            status, payload = "failed", "a query worker stopped while starting (see the messages above)"
        if status != "ready":
            raise QueryError(payload)
        self.ready = True

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def _serve_queries(conn, snapshot: str, prefixes: dict, text_prefixes: dict, max_rows: int) -> None:
    """Worker process: load the snapshot, then answer requests until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent, which stops us
    try:
        store = ox.Store()
        store.bulk_load(path=snapshot, format=ox.RdfFormat.N_QUADS)
    except (OSError, SyntaxError, ValueError) as exc:
        conn.send(("failed", f"a query worker cannot load the store: {exc}"))
        return
    conn.send(("ready", len(store)))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", answer(store, request, prefixes, text_prefixes, max_rows)))
        except QueryError as exc:
            conn.send(("error", exc))


def answer(store: ox.Store, request: Request, prefixes: Mapping[str, str], text_prefixes: Mapping[str, str],
           max_rows: int) -> Encoded:
    """Run ``request`` on ``store`` in this process and encode the answer (no time limit)."""
    options: dict = {"prefixes": dict(prefixes)}
    if request.default_graph is None and request.named_graphs is None:
        options["use_default_graph_as_union"] = True
    else:
        options["default_graph"] = [ox.DefaultGraph() if g is None else ox.NamedNode(g)
                                    for g in request.default_graph or ()]
        options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs or ()]
    try:
        result = store.query(request.query, **options)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"invalid SPARQL query: {' '.join(str(exc).split())[:300]}") from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(f"the query failed: {' '.join(str(exc).split())[:300]}") from None
    return encode(result, request.result_type, request.graph_type, max_rows, text_prefixes)
