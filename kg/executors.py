"""Where extraction runs: in this process, in local worker processes, or on a Dask cluster.

Every executor sends workers batches of :class:`~kg.records.Document` and gets back plain
:class:`~kg.records.Extraction` records (small and picklable, never spaCy Docs), and
returns them in input order, so every executor gives the same graph as a serial build.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from .errors import KgError
from .extract import extract
from .records import Document, Extraction

log = logging.getLogger(__name__)

EXECUTORS = ("local", "dask")
#: Articles per task: large enough to amortise the hand-off, small enough to balance workers.
BATCH = 8

OnDone = Callable[[Document], None]


def run_extraction(documents: Sequence[Document], *, workers: int = 1, executor: str = "local",
                   scheduler: str | None = None, on_done: OnDone | None = None) -> list[Extraction]:
    """Extract every document with ``workers`` processes (``local``) or on Dask (``dask``).

    ``scheduler`` is the address of a running Dask scheduler (``tcp://host:8786``); without
    it, ``dask`` starts a local cluster of ``workers`` processes for this build.
    """
    check_options(workers, executor, scheduler)
    if not documents:
        return []
    if executor == "dask":
        return _on_dask(documents, workers, scheduler, on_done)
    if workers == 1 or len(documents) == 1:
        return extract(documents, on_done=on_done)
    return _in_processes(documents, workers, on_done)


def check_options(workers: int, executor: str, scheduler: str | None) -> None:
    """Refuse executor settings that cannot work, before any work starts."""
    if executor not in EXECUTORS:
        raise KgError(f"unknown executor {executor!r}: choose one of {', '.join(EXECUTORS)}")
    if workers < 1:
        raise KgError(f"--workers must be at least 1, not {workers}")
    if scheduler and executor != "dask":
        raise KgError("--scheduler needs --executor dask")


def batches(documents: Sequence[Document], size: int = BATCH) -> list[list[Document]]:
    """Consecutive batches of documents, each of one language (a worker loads one pipeline per batch).

    >>> docs = [Document(str(i), "", "", lang, "", "") for i, lang in enumerate("en en fr en".split())]
    >>> [[d.doc_id for d in b] for b in batches(docs, size=2)]
    [['0', '1'], ['3'], ['2']]
    """
    out: list[list[Document]] = []
    for lang in sorted({d.lang for d in documents}):
        same = [d for d in documents if d.lang == lang]
        out += [same[i:i + size] for i in range(0, len(same), size)]
    return out


def _extract_batch(documents: list[Document]) -> list[Extraction]:
    return extract(documents)


def _collect(documents: Sequence[Document], finished, on_done: OnDone | None) -> list[Extraction]:
    """Batch results as their futures finish, reported to ``on_done``, then in input order.

    ``finished`` yields futures (concurrent or Dask) as they complete; document ids are
    unique within a build.
    """
    by_id: dict[str, Extraction] = {}
    for future in finished:
        for extraction in future.result():
            by_id[extraction.document.doc_id] = extraction
            if on_done is not None:
                on_done(extraction.document)
    return [by_id[d.doc_id] for d in documents]


def _in_processes(documents: Sequence[Document], workers: int, on_done: OnDone | None) -> list[Extraction]:
    parts = batches(documents)
    with ProcessPoolExecutor(max_workers=min(workers, len(parts))) as pool:
        futures = [pool.submit(_extract_batch, part) for part in parts]
        return _collect(documents, as_completed(futures), on_done)


def _on_dask(documents: Sequence[Document], workers: int, scheduler: str | None,
             on_done: OnDone | None) -> list[Extraction]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed as dask_completed
    except ImportError:
        raise KgError("the dask executor needs dask.distributed: pip install 'dask[distributed]'") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="10s")
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, host="127.0.0.1")
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise KgError(f"cannot reach the Dask scheduler {scheduler or '(local)'}: {exc}") from None
    try:
        log.info("extracting %d articles on Dask (%s)", len(documents), client.scheduler.address)
        futures = client.map(_extract_batch, batches(documents), pure=False)
        return _collect(documents, dask_completed(futures), on_done)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
