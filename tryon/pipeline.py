"""The try-on pipeline: the one module that chains the stages.

decode → person analysis → item preparation → fit → compose → generator.
:class:`TryOnEngine` holds the models (one MediaPipe graph, one ONNX Runtime session for the
try-on generator) and is cheap to call repeatedly; it is not thread-safe — use one engine per
thread (the analyzer inside is locked, the rest is pure). Inside one call the person analysis
(MediaPipe, on the calling thread) and the item preparation (cut-out, the catalog classifier,
keypoints, on the engine's one helper thread) run at the same time: they share no data, and
MediaPipe, ONNX Runtime, OpenCV and numpy release the GIL; the helper thread then fits the
item while the calling thread works out the photo's part of the scene (the try-on region).
Person analyses and prepared items are cached by pixel content (:mod:`tryon.cache`), so a
photo tried with several items runs MediaPipe once. A photo (or product picture) over
``work_pixels`` (2 MP) is worked on as a scaled-down copy and the edit is put back into the
full-size photo (:mod:`tryon.imaging.resolution`): a 48 MP photo costs about what a 2 MP one
does.
numpy's BLAS runs on the calling thread only inside a call (:mod:`tryon.cpu`): its workers,
woken by a matrix product, would spin on a core the generator needs.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tryon.body.person import PersonAnalysis, PersonAnalyzer
from tryon.cache import ContentCache, content_key
from tryon.catalog.classifier import check_item, check_person_photo, classify_item
from tryon.compositing import Composite
from tryon.cpu import one_blas_thread
from tryon.errors import ErrorCode, TryOnError
from tryon.generator.runtime import DEFAULT_MODEL, MODEL_ENV, PROVIDER_CHOICES, TryOnGenerator
from tryon.imaging.cutout import cut_out
from tryon.imaging.decode import DecodedImage, DecodeLimits, ImageInput, check_decoded, decode_image
from tryon.imaging.resolution import MIN_WORK_PIXELS, WORK_MAX_PIXELS, full_size, working_copy
from tryon.kinds import KIND_CHOICES, Kind
from tryon.kinds.base import Fitting, KindStrategy
from tryon.kinds.registry import detect_kind, parse_kind, strategy_for
from tryon.result import TryOnResult, draw_pose

__all__ = ["CACHE_SIZE", "KINDS", "NO_MODEL_WARNING", "ImageSource", "TryOnEngine",
           "TryOnResult", "draw_pose"]

KINDS = KIND_CHOICES
NO_MODEL_WARNING = "no try-on model installed; showing the coarse composite"
CACHE_SIZE = 8
KIND_TRUSTED = 0.6  # the classifier's confidence from which its kind beats the shape rules
UPPER_BODY = {Kind.TOP, Kind.DRESS}  # kinds the cut-out's shape tells apart best ...
# ... unless the classifier is this sure: wide dresses with sleeves (1.6-2.0 times as tall as
# wide) have a top's shape, and a midi dress was put on as a top. Every dress in the catalog
# it is sure of scores 0.99-1.0; no top in ../shared scores over 0.05 as a dress.
UPPER_BODY_TRUSTED = 0.95
ImageSource = ImageInput | DecodedImage


@dataclass
class _Clock:
    timings_ms: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.timings_ms[name] = round((time.perf_counter() - start) * 1000, 2)


class TryOnEngine:
    """Runs try-ons. Create once, call :meth:`run` many times, :meth:`close` at the end.

    ``limits``: the :class:`~tryon.imaging.decode.DecodeLimits` every photo and product picture
    must pass (files, bytes, arrays and PIL images alike).
    ``refine``: run the try-on generator after compose. ``model_path`` (else ``$TRYON_MODEL``)
    names the model; a named model that is missing raises :class:`TryOnError`
    (``refiner_unavailable``); without one the default ``models/generator.onnx`` is used, and
    when that is not installed the coarse composite is returned with a warning.
    ``provider``: "auto", "cpu", "cuda" or "tensorrt" (see
    :func:`tryon.generator.runtime.select_providers`).
    ``cache_size``: person analyses and prepared items kept (each; 0 turns the caches off),
    keyed by the decoded pixels: the same photo with another item skips MediaPipe.
    ``work_pixels``: the most pixels a photo or product picture is worked on at (default
    2 MP, at least 256×256); bigger ones are scaled down for the work and the result is put
    back at the photo's full size (:mod:`tryon.imaging.resolution`).
    An argument of the wrong type or value raises :class:`TryOnError` (``bad_argument``).

    Closing is final: after :meth:`close` (or the end of a ``with`` block) :meth:`run`,
    :meth:`run_coarse`, :meth:`refine_batch` and ``with`` raise :class:`TryOnError`
    (``bad_argument``, "this TryOnEngine is closed; create a new one"); :meth:`close`
    itself may be called again.
    """

    def __init__(self, limits: DecodeLimits = DecodeLimits(), refine: bool = True,
                 provider: str = "auto", model_path: str | Path | None = None,
                 cache_size: int = CACHE_SIZE, work_pixels: int = WORK_MAX_PIXELS) -> None:
        _check_engine_arguments(limits, refine, provider, model_path, cache_size, work_pixels)
        self._limits = limits
        self._provider = provider
        self._work_pixels = work_pixels
        self._model_path = _refiner_model(model_path) if refine else None
        self._missing_model = bool(refine) and self._model_path is None
        self._analyzer: PersonAnalyzer | None = None
        self._refiner: TryOnGenerator | None = None
        self._closed = False
        self.person_cache: ContentCache[PersonAnalysis] = ContentCache(cache_size)
        self.item_cache: ContentCache[tuple[Kind, Any]] = ContentCache(cache_size)
        # One helper thread: the item is prepared there while MediaPipe analyses the person,
        # then fitted while this thread works out the photo's part of the scene. Only that
        # thread touches item_cache while a run is in flight.
        self._item_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tryon-item")

    def close(self) -> None:
        """Release MediaPipe and the generator's session; the engine refuses work after."""
        self._closed = True
        self._item_worker.shutdown(wait=True)
        if self._analyzer is not None:
            self._analyzer.close()
            self._analyzer = None
        if self._refiner is not None:
            self._refiner.close()
            self._refiner = None
        self.clear_caches()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called (the engine then refuses work)."""
        return self._closed

    def _check_open(self) -> None:
        if self._closed:
            raise TryOnError(ErrorCode.BAD_ARGUMENT,
                             "this TryOnEngine is closed; create a new one")

    def clear_caches(self) -> None:
        """Forget cached person analyses and prepared items (e.g. to time a new photo)."""
        self.person_cache.clear()
        self.item_cache.clear()

    def __enter__(self) -> TryOnEngine:
        self._check_open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def model_path(self) -> Path | None:
        """The try-on model this engine was asked to use (None: no generator)."""
        return self._model_path

    @property
    def limits(self) -> DecodeLimits:
        """The decoding limits applied to photos and product pictures."""
        return self._limits

    @property
    def work_pixels(self) -> int:
        """The most pixels a photo or product picture is worked on at."""
        return self._work_pixels

    @property
    def analyzer(self) -> PersonAnalyzer:
        self._check_open()
        if self._analyzer is None:
            self._analyzer = PersonAnalyzer()
        return self._analyzer

    @property
    def refiner(self) -> TryOnGenerator | None:
        """The try-on generator's session (loaded on first use); None when not used."""
        return None if self._model_path is None else self._open_refiner(self._model_path)

    def _open_refiner(self, path: Path) -> TryOnGenerator:
        self._check_open()
        if self._refiner is None:
            self._refiner = TryOnGenerator(path, self._provider)
        return self._refiner

    def run(self, person: ImageSource, item: ImageSource, kind: str = "auto") -> TryOnResult:
        """Put ``item`` (a product photo) on the person in ``person`` (a photo).

        Each is a file path (``str``/``os.PathLike``), encoded bytes (``bytes``,
        ``bytearray``, ``memoryview``), a numpy uint8 array ((H, W, 3) RGB, (H, W, 4) RGBA or
        (H, W) grey), a ``PIL.Image.Image`` or a :class:`~tryon.imaging.decode.DecodedImage`;
        anything else raises ``bad_argument``. Arrays, PIL images and DecodedImages pass the
        engine's ``limits`` like files (a DecodedImage whose fields are not what
        :func:`~tryon.imaging.decode.decode_image` gives: ``bad_argument``, see
        :func:`~tryon.imaging.decode.check_decoded`). Raises :class:`TryOnError` for bad input.
        """
        result = self.run_coarse(person, item, kind)
        return self.refine_batch([result])[0] if self._model_path is not None else result

    def run_coarse(self, person: ImageSource, item: ImageSource,
                   kind: str = "auto") -> TryOnResult:
        """:meth:`run` up to the coarse composite and the generator's scene (``image`` is
        ``coarse``); :meth:`refine_batch` finishes several of them in one model call. numpy's
        BLAS runs on one thread meanwhile (:func:`tryon.cpu.one_blas_thread`)."""
        with one_blas_thread():
            return self._run_coarse(person, item, kind)

    def _run_coarse(self, person: ImageSource, item: ImageSource, kind: str) -> TryOnResult:
        """:meth:`run_coarse`'s work."""
        self._check_open()
        started = time.perf_counter()
        wanted = parse_kind(kind)
        clock = _Clock()
        with clock.stage("decode"):
            photo = _decode(person, self._limits, "person photo")
            product = working_copy(_decode(item, self._limits, "item photo"),
                                   self._work_pixels)
            work = working_copy(photo, self._work_pixels)
        rgb = work.rgb
        item_job = self._item_worker.submit(self._timed_item, product, wanted, str(kind))
        try:
            with clock.stage("person"):
                analysis = self.person_cache.get_or_compute(
                    content_key(rgb), lambda: self._analyze_person(rgb))
        except BaseException:
            wait_for([item_job])  # the person's error wins; the item cache is left settled
            raise
        # The item is fitted on the helper thread as soon as it is prepared (the helper runs
        # one job at a time, in order), while this thread works out what the scene needs from
        # the photo alone: with two cores the fit no longer waits for the photo's part.
        fit_job = self._item_worker.submit(self._timed_fit, item_job, rgb, analysis)
        if wanted is None:  # "auto": the photo's part depends on the kind the item shows
            wait_for([item_job])
        known = wanted if wanted is not None else _kind_or_none(item_job)
        early_part = (None if known is None or fit_job.done()
                      else _photo_part_or_none(strategy_for(known), rgb, analysis))
        (chosen, prepared), clock.timings_ms["item"] = item_job.result()
        strategy = strategy_for(chosen)
        warnings = _decode_warnings(photo, "person photo") + _decode_warnings(
            product, "item photo") + analysis.warnings
        fitting, clock.timings_ms["fit"] = fit_job.result()
        with clock.stage("compose"):
            # Computed at most once: on first use by the scene (a kind painted over its
            # composite), by the result (--no-refine, --layers, eval), or here for a kind the
            # generator does not paint (the composite is its picture).
            composer: Callable[[], Composite] = functools.cache(functools.partial(
                strategy.compose, rgb, analysis, fitting.fitted))
            photo_part = (early_part if early_part is not None
                          else strategy.photo_part(rgb, analysis))
            scene = strategy.scene(rgb, analysis, fitting.fitted, composer, photo_part)
            if scene is None:
                composer()
        warnings += fitting.warnings
        if self._missing_model:
            warnings += (NO_MODEL_WARNING,)
        # Wall time: "person" and "item" overlap, so the stages add up to more than this.
        clock.timings_ms["total"] = round((time.perf_counter() - started) * 1000, 2)
        return TryOnResult(kind=chosen, photo=photo.rgb, person=analysis, item=prepared,
                           fitted=fitting.fitted, composer=composer,
                           timings_ms=clock.timings_ms, warnings=warnings, providers=None,
                           scene=scene, work_photo=None if work is photo else rgb)

    def _analyze_person(self, rgb: np.ndarray) -> PersonAnalysis:
        """The person in ``rgb`` ((H, W, 3) uint8 RGB), refused with ``no_person`` when the
        photo is a product's (:func:`~tryon.catalog.classifier.check_person_photo`)."""
        analysis = self.analyzer.analyze(rgb)
        check_person_photo(rgb, analysis.pose)
        return analysis

    def _timed_item(self, product: DecodedImage, wanted: Kind | None,
                    tag: str) -> tuple[tuple[Kind, Any], float]:
        """The prepared item (from the cache or :func:`_prepare_item`) and the ms it took; run
        on the engine's item thread."""
        start = time.perf_counter()
        prepared = self.item_cache.get_or_compute(
            content_key(product.rgb, product.alpha, tag=tag),
            lambda: _prepare_item(product, wanted))
        return prepared, round((time.perf_counter() - start) * 1000, 2)

    @staticmethod
    def _timed_fit(item_job: Future[tuple[tuple[Kind, Any], float]], rgb: np.ndarray,
                   analysis: PersonAnalysis) -> tuple[Fitting, float]:
        """The prepared item (``item_job``'s, done: it ran before on the same thread; its
        error is raised again) fitted to the person, and the ms the fit took; run on the
        engine's item thread."""
        (chosen, prepared), _ = item_job.result()
        start = time.perf_counter()
        fitting = strategy_for(chosen).fit(rgb, analysis, prepared)
        return fitting, round((time.perf_counter() - start) * 1000, 2)

    def refine_batch(self, results: Sequence[TryOnResult]) -> list[TryOnResult]:
        """Finish results from :meth:`run_coarse` with the try-on generator, in one model call
        (the crops are stacked on the batch axis). Each result's ``refine`` timing is its
        share of the call (the first call also loads the model). Without a model, or for kinds
        the model was not trained for (:attr:`TryOnGenerator.kinds`), the results come back
        as they are. A result worked on at a reduced size gets its picture put back at the
        photo's full size (:func:`tryon.imaging.resolution.full_size`, part of ``refine``)."""
        with one_blas_thread():
            return self._refine_batch(results)

    def _refine_batch(self, results: Sequence[TryOnResult]) -> list[TryOnResult]:
        """:meth:`refine_batch`'s work."""
        self._check_open()
        if self._model_path is None or not results:
            return list(results)
        start = time.perf_counter()
        refiner = self._open_refiner(self._model_path)
        # A model paints only the kinds it was trained for (the default one: tops, and the
        # dress's upper body); the others keep their composite, their final picture.
        def painted(result: TryOnResult) -> bool:
            return result.scene is not None and strategy_for(result.kind).painter in refiner.kinds

        chosen = [r for r in results if painted(r)]
        if not chosen:
            return list(results)
        images = iter(refiner.run_many([r.scene for r in chosen if r.scene is not None]))
        share = round((time.perf_counter() - start) * 1000 / len(chosen), 2)
        refined = []
        for result in results:
            if not painted(result):
                refined.append(result)
                continue
            restore_start = time.perf_counter()
            image = next(images)
            if result.work_photo is not None:
                image = full_size(result.photo, result.work_photo, image)
            restore_ms = (time.perf_counter() - restore_start) * 1000
            timings = {name: ms for name, ms in result.timings_ms.items() if name != "total"}
            timings["refine"] = round(share + restore_ms, 2)
            timings["total"] = round(result.timings_ms["total"] + timings["refine"], 2)
            refined.append(dataclasses.replace(result, painted=image, timings_ms=timings,
                                               providers=refiner.providers))
        return refined


def _prepare_item(product: DecodedImage, kind: Kind | None) -> tuple[Kind, Any]:
    """(kind, prepared item): cut out, told apart from what is not a product (a person, a
    scene, an object: ``unsupported_item``), ``kind`` None ("auto") resolved, the item
    prepared by its kind's strategy.

    The catalog model's classifier (:func:`tryon.catalog.classify_item`) decides: under
    "auto" a photo it takes for no product is refused, and its kind is used when it is at
    least :data:`KIND_TRUSTED` sure, else the cut-out's shape decides
    (:func:`~tryon.kinds.registry.detect_kind`), which also tells a top from a dress unless
    the classifier is :data:`UPPER_BODY_TRUSTED` sure; with a
    kind given, only a photo it is
    :data:`~tryon.catalog.classifier.NOT_A_PRODUCT_REFUSED` sure is no product is refused, and
    one it is as sure is another kind, unlike the one given (or like it, but with the
    cut-out's shape agreeing with the classifier: trousers given as a dress), is refused with
    ``item_kind_mismatch`` (:func:`~tryon.catalog.classifier.check_item`)."""
    try:
        alpha = cut_out(product.rgb, product.alpha)
    except TryOnError as exc:  # nothing to cut out: a scene or a person is said so
        check_item(classify_item(product.rgb, product.alpha), None)  # no product at all?
        raise exc from None
    guess = classify_item(product.rgb, product.alpha, mask=alpha)
    check_item(guess, kind, shape=lambda: detect_kind(alpha))
    if kind is None:
        shape_kind = detect_kind(alpha)
        sure = guess.kind is not None and guess.confidence >= KIND_TRUSTED
        if {guess.kind, shape_kind} <= UPPER_BODY and guess.confidence < UPPER_BODY_TRUSTED:
            # The silhouette tells a dress from a top (length, waist, skirt) better than a
            # classifier that saw few dresses, unless that is very sure.
            kind = shape_kind
        else:
            kind = guess.kind if sure and guess.kind is not None else shape_kind
    return kind, strategy_for(kind).prepare(product.rgb, alpha)


def _kind_or_none(item_job: Future[tuple[tuple[Kind, Any], float]]) -> Kind | None:
    """The kind of a finished ``item_job``'s item; None when it failed (its error is raised
    where its result is taken)."""
    return None if item_job.exception() is not None else item_job.result()[0][0]


def _photo_part_or_none(strategy: KindStrategy, rgb: np.ndarray,
                        analysis: PersonAnalysis) -> Any:
    """``strategy.photo_part`` worked out ahead; None when it fails, so that the stage
    that needs it works it out again in its turn and reports its error in the usual order
    (an unsuitable item or pose first)."""
    try:
        return strategy.photo_part(rgb, analysis)
    except (TryOnError, ValueError, IndexError):
        return None


def _refiner_model(model_path: str | Path | None) -> Path | None:
    """The model to refine with: ``model_path`` or ``$TRYON_MODEL`` (must exist), else the
    default model when it is installed, else None."""
    named = model_path if model_path is not None else os.environ.get(MODEL_ENV) or None
    if named is not None:
        path = Path(named)
        if not path.is_file():
            problem = "is a directory, not a model file" if path.is_dir() else "does not exist"
            raise TryOnError(ErrorCode.REFINER_UNAVAILABLE, f"try-on model {path} {problem}")
        return path
    return DEFAULT_MODEL if DEFAULT_MODEL.is_file() else None


def _decode(source: ImageSource, limits: DecodeLimits, what: str) -> DecodedImage:
    """``source`` decoded (see :meth:`TryOnEngine.run` for what it may be); errors name
    ``what`` ("person photo", "item photo"); a :class:`DecodedImage` is checked, not copied."""
    try:
        if isinstance(source, DecodedImage):
            check_decoded(source, limits)
            return source
        return decode_image(source, limits)
    except TryOnError as exc:
        raise TryOnError(exc.code, f"{what}: {exc.message}") from None


def _decode_warnings(image: DecodedImage, what: str) -> tuple[str, ...]:
    """The decoder's notes about ``image`` (e.g. a damaged EXIF block), naming ``what``."""
    return tuple(f"{what}: {note}" for note in image.warnings)


def _check_engine_arguments(limits: object, refine: object, provider: object,
                            model_path: object, cache_size: object, work_pixels: object) -> None:
    """``bad_argument`` for a :class:`TryOnEngine` argument of the wrong type or value."""
    problem = None
    if not isinstance(limits, DecodeLimits):
        problem = f"limits must be a DecodeLimits, got {type(limits).__name__}"
    elif not isinstance(refine, (bool, np.bool_)):
        problem = f"refine must be True or False, got {refine!r}"
    elif not isinstance(provider, str) or provider not in PROVIDER_CHOICES:
        problem = f"unknown provider {provider!r}; use one of " + ", ".join(PROVIDER_CHOICES)
    elif model_path is not None and not isinstance(model_path, (str, os.PathLike)):
        problem = f"model_path must be a path or None, got {type(model_path).__name__}"
    elif not _is_int(cache_size) or cache_size < 0:
        problem = f"cache_size must be an int >= 0, got {cache_size!r}"
    elif not _is_int(work_pixels) or work_pixels < MIN_WORK_PIXELS:
        problem = f"work_pixels must be an int >= {MIN_WORK_PIXELS}, got {work_pixels!r}"
    if problem is not None:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, problem)


def _is_int(value: object) -> bool:
    """True for an int (numpy ints too), never for a bool."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
