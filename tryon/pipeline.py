"""The try-on pipeline: the one module that chains the stages.

decode → person analysis → item preparation → fit → compose → generator.
:class:`TryOnEngine` holds the models (one MediaPipe graph, one ONNX Runtime session for the
try-on generator) and is cheap to call repeatedly; it is not thread-safe — use one engine per
thread (the analyzer inside is locked, the rest is pure). Person analyses and prepared items
are cached by pixel content (:mod:`tryon.cache`), so a photo tried with several items runs
MediaPipe once. A photo (or product picture) over ``work_pixels`` (2 MP) is worked on as a
scaled-down copy and the edit is put back into the full-size photo
(:mod:`tryon.resolution`): a 48 MP photo costs about what a 2 MP one does.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from tryon.cache import ContentCache, content_key
from tryon.compose import Composite, compose_top, feather
from tryon.compose_shoes import compose_shoes
from tryon.cutout import cut_out
from tryon.decode import DecodedImage, DecodeLimits, ImageInput, check_decoded, decode_image
from tryon.errors import ErrorCode, TryOnError
from tryon.feet import FittedShoe, find_feet, fit_shoe
from tryon.fit import FittedTop, body_frame, fit_top, torso_silhouette
from tryon.garment import PreparedGarment, prepare_garment
from tryon.generator import DEFAULT_MODEL, MODEL_ENV, PROVIDER_CHOICES, Scene, TryOnGenerator
from tryon.landmarks import SKELETON_EDGES
from tryon.old_shoes import foot_regions, without_other_legs
from tryon.person import PersonAnalysis, PersonAnalyzer
from tryon.regions import HANDS, Region, skin_colour
from tryon.resolution import MIN_WORK_PIXELS, WORK_MAX_PIXELS, full_size, working_copy
from tryon.shoe import PreparedShoe, looks_like_shoes, prepare_shoes
from tryon.top_region import top_region

__all__ = ["CACHE_SIZE", "KINDS", "NO_MODEL_WARNING", "ImageSource", "TryOnEngine",
           "TryOnResult"]

KINDS = ("auto", "top", "bottom", "dress", "shoes")
NO_MODEL_WARNING = "no try-on model installed; showing the coarse composite"
CACHE_SIZE = 8
ImageSource = ImageInput | DecodedImage
PreparedItem = PreparedGarment | tuple[PreparedShoe, ...]


@dataclass(frozen=True)
class TryOnResult:
    """One try-on. ``image``: (H, W, 3) uint8 RGB result, same size as the person photo:
    the generator's picture when it ran (``painted``), else the hand-made composite;
    ``coarse``: the hand-composed picture (``composite.image``), the result without the
    generator; ``composite`` is computed on first use (``composer``), so a try-on that the
    generator paints does not pay for it; ``kind``: "top" or "shoes"; ``item``/``fitted``:
    the prepared garment and its warped layers for a top, the prepared shoes and one fitted
    shoe per visible foot for shoes; ``scene``: what the generator is given (tops; None for
    shoes); ``providers``: the ONNX Runtime providers the generator used, None when it did
    not run.

    Sizes: ``photo``, ``image`` and ``coarse`` are the full-size photo (H, W). The analysis,
    the fit, ``scene``, ``composite`` and :meth:`layers` are in the pixels of ``working``:
    the photo itself, or for a photo over the engine's ``work_pixels`` its scaled-down copy
    ``work_photo`` (then ``image`` and ``coarse`` are the working pictures' edits upsampled
    into the full-size photo, every pixel away from the edit the photo's own)."""

    kind: str
    photo: np.ndarray
    person: PersonAnalysis
    item: PreparedItem
    fitted: FittedTop | tuple[FittedShoe, ...]
    composer: Callable[[], Composite] = field(repr=False, compare=False)
    timings_ms: dict[str, float]
    warnings: tuple[str, ...]
    providers: tuple[str, ...] | None
    scene: Scene | None = None
    painted: np.ndarray | None = field(default=None, repr=False)
    work_photo: np.ndarray | None = field(default=None, repr=False)

    @property
    def working(self) -> np.ndarray:
        """(h, w, 3) uint8 RGB: the photo the engine analysed and painted (``photo`` itself
        unless it was scaled down to the engine's ``work_pixels``)."""
        return self.photo if self.work_photo is None else self.work_photo

    @functools.cached_property
    def composite(self) -> Composite:
        """The hand-made composite (computed once, on first use), in ``working`` pixels."""
        return self.composer()

    @functools.cached_property
    def coarse(self) -> np.ndarray:
        """(H, W, 3) uint8 RGB: the hand-made composite's picture at the photo's full size."""
        if self.work_photo is None:
            return self.composite.image
        return full_size(self.photo, self.work_photo, self.composite.image)

    @property
    def image(self) -> np.ndarray:
        """(H, W, 3) uint8 RGB: the result shown to the shopper."""
        return self.painted if self.painted is not None else self.coarse

    @property
    def refined(self) -> bool:
        """Whether the try-on generator ran (``image`` is then its picture: the photo outside
        the try-on region, the generator's composition inside)."""
        return self.providers is not None

    def layers(self) -> dict[str, np.ndarray]:
        """Intermediate pictures by file stem, all at the ``working`` size (h, w): RGB/RGBA
        uint8 or (h, w) uint8 masks; "refined" only when the generator ran. For tops
        ``repaint_mask`` is the generator's try-on region, ``skin_hint`` the bare skin it was
        shown and ``agnostic`` the photo as the generator sees it (the region grey but for
        the hint)."""
        working = self.working
        layers = {
            "person_mask": (self.person.mask * 255 + 0.5).astype(np.uint8),
            "regions": self.person.regions.colourised(),
            "warped_item": self._warped_item(),
            "item_mask": (self.composite.item_mask * 255 + 0.5).astype(np.uint8),
            "repaint_mask": self.composite.repaint.astype(np.uint8) * 255,
            "agnostic": self.composite.agnostic,
            "coarse": self.composite.image,
            "pose": draw_pose(working, self.person, self._targets()),
        }
        if self.scene is not None:
            hidden = self.scene.region & ~self.scene.hint
            agnostic = working.copy()
            agnostic[hidden] = 128
            layers.update(repaint_mask=self.scene.region.astype(np.uint8) * 255,
                          skin_hint=self.scene.hint.astype(np.uint8) * 255, agnostic=agnostic)
        if self.refined:
            height, width = working.shape[:2]
            layers["refined"] = self.image if self.work_photo is None else cv2.resize(
                self.image, (width, height), interpolation=cv2.INTER_AREA)
        return layers

    def _warped_item(self) -> np.ndarray:
        """(h, w, 4) uint8 RGBA: the warped item alone, in ``working`` coordinates."""
        height, width = self.working.shape[:2]
        warped = np.zeros((height, width, 4), np.float32)
        if isinstance(self.fitted, FittedTop):
            rgb, alpha = _garment_layer(self.fitted)
            pieces = [(self.fitted.box, rgb, alpha)]
        else:
            pieces = [(shoe.box, shoe.rgb, shoe.alpha) for shoe in self.fitted]
        for (x0, y0, x1, y1), rgb, alpha in pieces:
            window = warped[y0:y1, x0:x1]
            window[..., :3] = window[..., :3] * (1 - alpha[..., None]) + rgb * alpha[..., None]
            window[..., 3] = np.maximum(window[..., 3], alpha * 255)
        return np.clip(warped + 0.5, 0, 255).astype(np.uint8)

    def _targets(self) -> dict[str, np.ndarray]:
        if isinstance(self.fitted, FittedTop):
            return self.fitted.targets
        targets = {}
        for shoe in self.fitted:
            targets[f"{shoe.foot.side}_sole_heel"] = shoe.sole[0]
            targets[f"{shoe.foot.side}_sole_toe"] = shoe.sole[1]
        return targets


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

    ``limits``: the :class:`~tryon.decode.DecodeLimits` every photo and product picture
    must pass (files, bytes, arrays and PIL images alike).
    ``refine``: run the try-on generator after compose. ``model_path`` (else ``$TRYON_MODEL``)
    names the model; a named model that is missing raises :class:`TryOnError`
    (``refiner_unavailable``); without one the default ``models/generator.onnx`` is used, and
    when that is not installed the coarse composite is returned with a warning.
    ``provider``: "auto", "cpu", "cuda" or "tensorrt" (see
    :func:`tryon.generator.select_providers`).
    ``cache_size``: person analyses and prepared items kept (each; 0 turns the caches off),
    keyed by the decoded pixels: the same photo with another item skips MediaPipe.
    ``work_pixels``: the most pixels a photo or product picture is worked on at (default
    2 MP, at least 256×256); bigger ones are scaled down for the work and the result is put
    back at the photo's full size (:mod:`tryon.resolution`).
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
        self.item_cache: ContentCache[tuple[str, PreparedItem]] = ContentCache(cache_size)

    def close(self) -> None:
        """Release MediaPipe and the generator's session; the engine refuses work after."""
        self._closed = True
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
        (H, W) grey), a ``PIL.Image.Image`` or a :class:`~tryon.decode.DecodedImage`; anything
        else raises ``bad_argument``. Arrays, PIL images and DecodedImages pass the engine's
        ``limits`` like files (a DecodedImage whose fields are not what
        :func:`~tryon.decode.decode_image` gives: ``bad_argument``, see
        :func:`~tryon.decode.check_decoded`). Raises :class:`TryOnError` for bad input.
        """
        result = self.run_coarse(person, item, kind)
        return self.refine_batch([result])[0] if self._model_path is not None else result

    def run_coarse(self, person: ImageSource, item: ImageSource,
                   kind: str = "auto") -> TryOnResult:
        """:meth:`run` up to the coarse composite and the generator's scene (``image`` is
        ``coarse``); :meth:`refine_batch` finishes several of them in one model call."""
        self._check_open()
        if not isinstance(kind, str) or kind not in KINDS:
            raise TryOnError(ErrorCode.BAD_ARGUMENT, f"unknown kind {kind!r}; use one of "
                             + ", ".join(KINDS))
        if kind in ("bottom", "dress"):
            raise TryOnError(ErrorCode.UNSUPPORTED_KIND, f"kind {kind!r} is not supported yet")
        clock = _Clock()
        with clock.stage("decode"):
            photo = _decode(person, self._limits, "person photo")
            product = working_copy(_decode(item, self._limits, "item photo"),
                                   self._work_pixels)
            work = working_copy(photo, self._work_pixels)
        rgb = work.rgb
        with clock.stage("person"):
            analysis = self.person_cache.get_or_compute(
                content_key(rgb), lambda: self.analyzer.analyze(rgb))
        with clock.stage("item"):
            kind, prepared = self.item_cache.get_or_compute(
                content_key(product.rgb, product.alpha, tag=kind),
                lambda: _prepare_item(product, kind))
        size = rgb.shape[:2]
        warnings = _decode_warnings(photo, "person photo") + _decode_warnings(
            product, "item photo") + analysis.warnings
        if isinstance(prepared, PreparedGarment):
            with clock.stage("fit"):
                fitted: FittedTop | tuple[FittedShoe, ...] = fit_top(
                    prepared, body_frame(analysis.pose), size,
                    torso_silhouette(analysis.person_mask, analysis.regions.labels))
            with clock.stage("compose"):
                # Computed only when asked for (--no-refine, --layers, eval): the generator
                # paints from the scene alone.
                composer: Callable[[], Composite] = functools.partial(
                    compose_top, rgb, analysis, fitted)
                scene = _top_scene(rgb, analysis, fitted)
        else:
            with clock.stage("fit"):
                feet, foot_warnings = find_feet(analysis.pose, size)
                regions = analysis.regions
                face_skin = skin_colour(rgb, regions.skin, regions.face_box)
                foot_zones = without_other_legs([
                    foot_regions(rgb, analysis.person_mask, regions.skin, face_skin,
                                 foot.knee, foot.ankle, foot.heel, foot.toe, foot.full_length)
                    for foot in feet])
                fitted = tuple(fit_shoe(prepared[i % len(prepared)], foot, foot_zones[i], size)
                               for i, foot in enumerate(feet))
            with clock.stage("compose"):
                composite = compose_shoes(rgb, fitted)
                composer = functools.partial(_given, composite)
                scene = None
            warnings += foot_warnings
        if self._missing_model:
            warnings += (NO_MODEL_WARNING,)
        clock.timings_ms["total"] = round(sum(clock.timings_ms.values()), 2)
        return TryOnResult(kind=kind, photo=photo.rgb, person=analysis, item=prepared,
                           fitted=fitted, composer=composer, timings_ms=clock.timings_ms,
                           warnings=warnings, providers=None, scene=scene,
                           work_photo=None if work is photo else rgb)

    def refine_batch(self, results: Sequence[TryOnResult]) -> list[TryOnResult]:
        """Finish results from :meth:`run_coarse` with the try-on generator, in one model call
        (the crops are stacked on the batch axis). Each result's ``refine`` timing is its
        share of the call (the first call also loads the model). Without a model, or for kinds
        the model was not trained for (:attr:`TryOnGenerator.kinds`), the results come back
        as they are. A result worked on at a reduced size gets its picture put back at the
        photo's full size (:func:`tryon.resolution.full_size`, part of ``refine``)."""
        self._check_open()
        if self._model_path is None or not results:
            return list(results)
        start = time.perf_counter()
        refiner = self._open_refiner(self._model_path)
        # A model paints only the kinds it was trained for (the default one: tops); the
        # others keep their composite, which is their final picture.
        chosen = [r for r in results if r.kind in refiner.kinds and r.scene is not None]
        if not chosen:
            return list(results)
        images = iter(refiner.run_many([r.scene for r in chosen if r.scene is not None]))
        share = round((time.perf_counter() - start) * 1000 / len(chosen), 2)
        refined = []
        for result in results:
            if result.kind not in refiner.kinds or result.scene is None:
                refined.append(result)
                continue
            restore_start = time.perf_counter()
            image = next(images)
            if result.work_photo is not None:
                image = full_size(result.photo, result.work_photo, image)
            restore_ms = (time.perf_counter() - restore_start) * 1000
            timings = {name: ms for name, ms in result.timings_ms.items() if name != "total"}
            timings["refine"] = round(share + restore_ms, 2)
            timings["total"] = round(sum(timings.values()), 2)
            refined.append(dataclasses.replace(result, painted=image, timings_ms=timings,
                                               providers=refiner.providers))
        return refined


def _given(composite: Composite) -> Composite:
    """``composite`` itself (a composer for results whose composite is already made)."""
    return composite


def _garment_layer(fitted: FittedTop, panel_hidden: np.ndarray | None = None) -> tuple[
        np.ndarray, np.ndarray]:
    """The warped garment inside ``fitted.box``: (h, w, 3) float32 RGB in [0, 255] (sleeves
    over the panel) and (h, w) float32 coverage in [0, 1]. ``panel_hidden``: (h, w) bool
    where the panel (not the sleeves) is left out: forearms and hands in front of the body."""
    # The fit's sleeve layer is premultiplied by its alpha (zeros outside the sleeves).
    sleeve_a = fitted.sleeve_alpha[..., None]
    panel_a = fitted.panel_alpha[..., None]
    if panel_hidden is not None:
        panel_a = panel_a * ~panel_hidden[..., None]
    alpha = sleeve_a + panel_a * (1 - sleeve_a)
    rgb = (fitted.sleeve_rgb + fitted.panel_rgb * panel_a * (1 - sleeve_a)) / np.maximum(alpha,
                                                                                        1e-6)
    return rgb.astype(np.float32), alpha[..., 0].astype(np.float32)


SLEEVE_OVER_HINT = 0.5  # a sleeve's coverage from which it wins over the bare-skin hint


def _top_scene(photo: np.ndarray, person: PersonAnalysis, fitted: FittedTop) -> Scene:
    """What the try-on generator needs for a top on ``photo`` ((H, W, 3) uint8 RGB): the
    try-on region and skin hint, the warped garment in photo coordinates, the pose."""
    zone = top_region(photo, person)
    height, width = photo.shape[:2]
    garment = np.zeros((height, width, 3), np.float32)
    coverage = np.zeros((height, width), np.float32)
    x0, y0, x1, y1 = fitted.box
    # A forearm or hand in front of the body hides the panel: the generator paints the arm
    # there (the garment's floor would otherwise keep the panel over it). Sleeves stay.
    in_front = person.regions.mask(Region.LEFT_FOREARM, Region.RIGHT_FOREARM, *HANDS)
    rgb, alpha = _garment_layer(fitted, in_front[y0:y1, x0:x1])
    garment[y0:y1, x0:x1] = rgb
    coverage[y0:y1, x0:x1] = feather(alpha)
    # Bare arm skin is no longer certainly right where the new sleeves go: a long sleeve
    # covers it (the model keeps hinted pixels and would cut the sleeve into pieces).
    hint = zone.hint.copy()
    hint[y0:y1, x0:x1] &= fitted.sleeve_alpha < SLEEVE_OVER_HINT
    return Scene(photo=photo, region=zone.region, hint=hint, garment=garment,
                 garment_mask=coverage * zone.region, skin_rgb=zone.skin_rgb,
                 landmarks=person.pose.xy, visibility=person.pose.visibility,
                 shoulder_width=person.pose.shoulder_width)


def _prepare_item(product: DecodedImage, kind: str) -> tuple[str, PreparedItem]:
    """(kind, prepared item): cut out, ``kind`` "auto" resolved, garment or shoes prepared."""
    alpha = cut_out(product.rgb, product.alpha)
    if kind == "auto":
        kind = "shoes" if looks_like_shoes(alpha) else "top"
    prepared = (prepare_shoes(product.rgb, alpha) if kind == "shoes"
                else prepare_garment(product.rgb, alpha))
    return kind, prepared


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


def draw_pose(photo: np.ndarray, person: PersonAnalysis,
              targets: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """(H, W, 3) uint8 picture of the skeleton (green), low-visibility joints (grey) and the
    fit targets (yellow) over a dimmed photo."""
    canvas = (photo.astype(np.float32) * 0.6).astype(np.uint8)
    thickness = max(1, round(max(photo.shape[:2]) / 400))
    xy = person.pose.xy
    for a, b in SKELETON_EDGES:
        pa, pb = (int(xy[a][0]), int(xy[a][1])), (int(xy[b][0]), int(xy[b][1]))
        cv2.line(canvas, pa, pb, (0, 220, 0), thickness, cv2.LINE_AA)
    for index, point in enumerate(xy):
        colour = (0, 255, 0) if person.pose.visibility[index] >= 0.5 else (150, 150, 150)
        cv2.circle(canvas, (int(point[0]), int(point[1])), 2 * thickness + 1, colour, -1)
    for point in (targets or {}).values():
        cv2.circle(canvas, (int(point[0]), int(point[1])), 2 * thickness + 2, (255, 220, 0), -1)
    return canvas
