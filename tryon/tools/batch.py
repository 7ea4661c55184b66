"""Batch try-on: every person photo × every item, for catalogs.

Order: person by person, every item on each (the person's pose and segmentation are computed
once and reused from the engine's cache; prepared items are cached across persons while they
fit in it). Decoding runs in a thread pool ahead of the try-ons (items once at the start,
persons a few ahead); the refinement model runs on groups of ``batch_size`` coarse
composites in one call; results are handed to ``on_result`` (the CLI writes PNGs there, in
the same pool). A pair that fails is recorded with its error code and the run goes on.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.decode import DecodedImage, decode_image
from tryon.pipeline import ImageSource, TryOnEngine, TryOnResult

__all__ = ["BATCH_SIZE", "RESULT_SUFFIX", "SEPARATOR", "BatchFailure", "BatchReport",
           "input_names", "list_inputs", "result_names", "run_batch"]

BATCH_SIZE = 8
SEPARATOR = "__"  # <person>__<item>.png
RESULT_SUFFIX = ".png"
FIRST_REPEAT = 2  # the second pair wanting a name gets <name>-2.png
LOOKAHEAD = 2  # person photos decoded ahead of the one being tried on
Named = tuple[str, ImageSource]
ResultSink = Callable[[str, str, TryOnResult], None]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BatchFailure:
    """One person × item pair that produced no result: ``code`` is the error code's value."""

    person: str
    item: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.person} × {self.item}: {self.code}: {self.message}"


@dataclass(frozen=True)
class BatchReport:
    """``pairs``: person × item pairs tried; ``done``: results produced; ``seconds``: wall
    time of the whole run (decoding, try-ons, refinement, ``on_result``)."""

    pairs: int
    done: int
    failures: tuple[BatchFailure, ...]
    seconds: float

    @property
    def per_second(self) -> float:
        """Results per second of wall time."""
        return self.done / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, object]:
        return {"pairs": self.pairs, "done": self.done, "seconds": round(self.seconds, 3),
                "per_second": round(self.per_second, 3),
                "failures": [{"person": f.person, "item": f.item, "code": f.code,
                              "message": f.message} for f in self.failures]}


def list_inputs(folder: str | Path, what: str) -> list[Path]:
    """Every non-hidden file in ``folder``, sorted by name: regular files and links to them,
    and broken links (a file that is not an image or a broken link becomes a listed failure,
    not a silent skip); sub-folders are left out. ``bad_argument`` when ``folder`` is not a
    folder or holds no file; ``what`` names it in the message."""
    path = Path(folder)
    if not path.is_dir():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{what} folder {path} does not exist")
    files = sorted(p for p in path.iterdir()
                   if not p.name.startswith(".") and (p.is_file() or _broken_link(p)))
    if not files:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{what} folder {path} holds no file")
    return files


def input_names(paths: Sequence[Path]) -> list[tuple[str, Path]]:
    """``(name, path)`` for each input: the file's stem, or its whole name where stems clash
    (``x.jpg`` and ``x.png`` are named ``x.jpg`` and ``x.png``; case is ignored), so that
    the names of one folder differ."""
    names = [path.stem for path in paths]
    while True:
        counts = Counter(name.casefold() for name in names)
        clashing = [index for index, name in enumerate(names)
                    if counts[name.casefold()] > 1 and name != paths[index].name]
        if not clashing:
            return list(zip(names, paths, strict=True))
        for index in clashing:
            names[index] = paths[index].name


def result_names(persons: Sequence[str], items: Sequence[str]) -> dict[tuple[str, str], str]:
    """The file name of each ``(person, item)`` result: ``<person>__<item>.png``. Where two
    pairs would get the same name (person ``a`` with item ``b__c`` and person ``a__b`` with
    item ``c``; names equal but for case), the first in run order (persons, then items, as
    given) keeps it and the others get ``-2``, ``-3``, ... before ``.png``: the lowest
    number that no other pair's name uses."""
    plain = {(person, item): f"{person}{SEPARATOR}{item}" for person in persons for item in items}
    taken = {name.casefold() for name in plain.values()}
    seen: set[str] = set()
    names: dict[tuple[str, str], str] = {}
    for pair, name in plain.items():
        unique = name
        if name.casefold() in seen:
            repeat = FIRST_REPEAT
            while f"{name}-{repeat}".casefold() in taken:
                repeat += 1
            unique = f"{name}-{repeat}"
            taken.add(unique.casefold())
        seen.add(name.casefold())
        names[pair] = unique + RESULT_SUFFIX
    return names


def _broken_link(path: Path) -> bool:
    """A symbolic link whose target is missing (or a loop of links)."""
    return path.is_symlink() and not path.exists()


def run_batch(engine: TryOnEngine, persons: Sequence[Named], items: Sequence[Named], *,
              kind: str = "auto", batch_size: int = BATCH_SIZE, workers: int = 2,
              on_result: ResultSink | None = None, progress: Progress | None = None,
              pool: ThreadPoolExecutor | None = None) -> BatchReport:
    """Try every item of ``items`` on every photo of ``persons`` (``(name, source)`` pairs).

    ``batch_size``: coarse composites refined per model call (≥ 1). ``workers``: decoding
    threads (ignored when ``pool`` is given; ``on_result`` may submit work to ``pool``).
    ``progress(done, total)`` is called after every pair. Errors of one pair (bad photo,
    no person, feet not visible, ...) are collected in the report; other exceptions stop
    the run.
    """
    if batch_size < 1:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"batch size must be >= 1, got {batch_size}")
    start = time.perf_counter()
    state = _Run(engine, len(persons) * len(items), batch_size, on_result, progress)
    own_pool = pool is None
    executor = pool or ThreadPoolExecutor(max_workers=max(1, workers),
                                          thread_name_prefix="tryon-decode")
    try:
        item_jobs = [executor.submit(_decode, engine, source) for _, source in items]
        person_jobs: dict[int, Future[DecodedImage]] = {}
        for index, (person, _) in enumerate(persons):
            for ahead in range(index, min(len(persons), index + LOOKAHEAD + 1)):
                if ahead not in person_jobs:
                    person_jobs[ahead] = executor.submit(_decode, engine, persons[ahead][1])
            photo = person_jobs.pop(index)
            for (item, _), product in zip(items, item_jobs, strict=True):
                state.try_on(person, item, photo, product, kind)
        state.flush()
    finally:
        if own_pool:
            executor.shutdown(wait=True)
    return BatchReport(pairs=state.total, done=state.done, failures=tuple(state.failures),
                       seconds=time.perf_counter() - start)


class _Run:
    """The running state of one :func:`run_batch`: pending coarse results and counts."""

    def __init__(self, engine: TryOnEngine, total: int, batch_size: int,
                 on_result: ResultSink | None, progress: Progress | None) -> None:
        self.engine = engine
        self.total = total
        self.batch_size = batch_size
        self.on_result = on_result
        self.progress = progress
        self.done = 0
        self.finished = 0
        self.failures: list[BatchFailure] = []
        self.pending: list[tuple[str, str, TryOnResult]] = []

    def try_on(self, person: str, item: str, photo: Future[DecodedImage],
               product: Future[DecodedImage], kind: str) -> None:
        try:
            result = self.engine.run_coarse(_source(photo, "person photo"),
                                            _source(product, "item photo"), kind)
        except TryOnError as exc:
            self._fail(person, item, exc)
            return
        self.pending.append((person, item, result))
        if len(self.pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Refine the pending results in one call and hand them on."""
        pending, self.pending = self.pending, []
        if not pending:
            return
        try:
            refined = self.engine.refine_batch([result for _, _, result in pending])
        except TryOnError as exc:
            for person, item, _ in pending:
                self._fail(person, item, exc)
            return
        for (person, item, _), result in zip(pending, refined, strict=True):
            if self.on_result is not None:
                try:
                    self.on_result(person, item, result)
                except TryOnError as exc:
                    self._fail(person, item, exc)
                    continue
            self.done += 1
            self._tick()

    def _fail(self, person: str, item: str, exc: TryOnError) -> None:
        self.failures.append(BatchFailure(person, item, exc.code.value, exc.message))
        self._tick()

    def _tick(self) -> None:
        self.finished += 1
        if self.progress is not None:
            self.progress(self.finished, self.total)


def _decode(engine: TryOnEngine, source: ImageSource) -> DecodedImage:
    if isinstance(source, DecodedImage):
        return source
    if isinstance(source, (str, Path)) and _broken_link(Path(source)):
        raise TryOnError(ErrorCode.BAD_IMAGE, f"{Path(source).name} is a broken link (to "
                         f"{os.readlink(source)})")
    return decode_image(source, engine.limits)


def _source(job: Future[DecodedImage], what: str) -> DecodedImage:
    """The decoded picture, or the decoding error with ``what`` in front."""
    try:
        return job.result()
    except TryOnError as exc:
        raise TryOnError(exc.code, f"{what}: {exc.message}") from None
