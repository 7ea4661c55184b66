"""A product in another colour (the colourways of issue 14).

:func:`make_variant` decodes the product photo, cuts the product out, finds its main colour
region (:func:`~tryon.studio.parts.find_parts`), recolours it — in Lab
(:func:`~tryon.studio.recolour.recolour_lab`, ``method="lab"``, the baseline) or with the
colourway GAN (:class:`~tryon.studio.gan.ColourwayGAN`, ``method="gan"``) — and returns
an RGBA picture with the product's alpha — the photo's own alpha where it has one (a
shoe's soft shadow included), else the cut-out — which ``tryon run`` accepts as an item.
It also measures the result (:class:`VariantFigures`).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.cutout import cut_out
from tryon.imaging.decode import DecodedImage, ImageInput, decode_image
from tryon.kinds import AUTO, KIND_CHOICES, Kind
from tryon.studio.colour import delta_e_2000, lab_to_rgb, parse_colour, rgb_to_lab
from tryon.studio.parts import PartSettings, ProductParts, find_parts
from tryon.studio.recolour import RecolourSettings, recolour_lab

__all__ = ["METHOD_CHOICES", "PARTS_CHOICES", "ProductPhoto", "Variant", "VariantFigures",
           "analyse_product", "make_variant", "measure_variant", "resolve_method"]

PARTS_CHOICES = ("main", "all")
# auto: the GAN when models/colourway.onnx exists, else the Lab baseline.
METHOD_CHOICES = ("auto", "gan", "lab")
# Kept pixels closer than this (pixels) to the recoloured region are left out of
# ``kept_change``: the region's soft edge blends into them on purpose.
KEPT_MARGIN = 3
DEFAULT_PARTS = PartSettings()
DEFAULT_RECOLOUR = RecolourSettings()


@dataclass(frozen=True)
class VariantFigures:
    """``delta_e``: CIEDE2000 between the target and the recoloured region's median colour
    (measured on the written 8-bit picture); ``contrast_kept``: std of L in the region after
    / before (1 = shading contrast kept, < 1 flattened); ``kept_change``: mean CIEDE2000 of the
    kept product pixels (0 = untouched); ``main_share``: the region's share of the product."""

    delta_e: float
    contrast_kept: float
    kept_change: float
    main_share: float


@dataclass(frozen=True)
class Variant:
    """``rgba``: (H, W, 4) uint8, the recoloured product on a transparent background;
    ``parts``: the regions used; ``source_lab``, ``target_lab``: (3,) float32 Lab;
    ``kind``: the kind used for the sole rule; ``figures``: measured on ``rgba``;
    ``method``: "lab" or "gan"; ``gan_correction``: for the GAN, CIEDE2000 between the
    model's own region median and the target before it is moved there (NaN for Lab)."""

    rgba: np.ndarray
    parts: ProductParts
    source_lab: np.ndarray
    target_lab: np.ndarray
    kind: str | None
    figures: VariantFigures
    method: str = "lab"
    gan_correction: float = float("nan")


def make_variant(item: ImageInput | DecodedImage, colour: str | tuple[int, int, int],
                 parts: str = "main", kind: str = AUTO, *, method: str = "lab",
                 model_path: str | None = None,
                 part_settings: PartSettings = DEFAULT_PARTS,
                 recolour_settings: RecolourSettings = DEFAULT_RECOLOUR) -> Variant:
    """``item`` (a product photo: path, bytes, array, PIL image or DecodedImage) in
    ``colour`` (``#rrggbb`` or an (r, g, b) tuple of ints in [0, 255]).

    ``parts``: ``main`` (the main colour region; soles, laces, logos kept) or ``all`` (the
    whole product). ``kind``: ``auto`` (the catalog classifier decides) or one of
    :data:`~tryon.kinds.KIND_CHOICES`; only ``shoes`` changes the region (the sole rule).
    ``method``: one of :data:`METHOD_CHOICES` (:func:`resolve_method`); ``model_path``: the
    colourway model (default ``models/colourway.onnx``).
    Raises ``bad_argument`` (colour, parts, kind, method), ``bad_image``, ``bad_item``
    (nothing to cut out), ``unsupported_item`` (not a product), ``refiner_unavailable``
    (``method="gan"`` without a usable model).
    """
    method = resolve_method(method, model_path)
    rgb_target = parse_colour(colour) if isinstance(colour, str) else _checked_rgb(colour)
    product = analyse_product(item, parts, kind, part_settings)
    decoded, coverage, lab, found, kind = (product.decoded, product.coverage, product.lab,
                                           product.parts, product.kind)
    target = rgb_to_lab(np.array(rgb_target, np.uint8))
    correction = float("nan")
    if method == "gan" and found.main.any():
        from tryon.studio.gan import default_gan

        rendering = default_gan(model_path).render(decoded.rgb, coverage, found.weight, target)
        rgb, correction = rendering.rgb, rendering.correction
    else:
        rgb = lab_to_rgb(recolour_lab(lab, found.weight, found.main_lab, target,
                                      recolour_settings))
    rgb = np.where(found.weight[..., None] > 0, rgb, decoded.rgb)  # kept pixels bit-exact
    rgba = np.dstack([rgb, product.alpha]).astype(np.uint8)
    figures = measure_variant(decoded.rgb, rgb, found, target)
    return Variant(rgba, found, found.main_lab, target, None if kind == AUTO else kind,
                   figures, method, correction)


@dataclass(frozen=True)
class ProductPhoto:
    """A product photo analysed for a variant: ``decoded`` (the photo), ``coverage`` ((H, W)
    float32 in [0, 1], the cut-out), ``lab`` ((H, W, 3) float32 Lab of the photo), ``parts``
    (the regions, :func:`~tryon.studio.parts.find_parts`), ``kind`` (the kind used, or
    ``auto`` when the classifier named none)."""

    decoded: DecodedImage
    coverage: np.ndarray
    lab: np.ndarray
    parts: ProductParts
    kind: str

    @property
    def alpha(self) -> np.ndarray:
        """(H, W) uint8: the photo's own alpha where it has one (a shoe's soft shadow
        included), else the cut-out's coverage."""
        if self.decoded.alpha is not None:
            return self.decoded.alpha
        return np.round(self.coverage * 255.0).astype(np.uint8)


def analyse_product(item: ImageInput | DecodedImage, parts: str = "main", kind: str = AUTO,
                    part_settings: PartSettings = DEFAULT_PARTS) -> ProductPhoto:
    """Decode ``item``, cut the product out, check that it is a product (the kind
    classifier, as ``tryon run`` does) and find the region a variant changes (``parts``:
    ``main`` or ``all``; ``kind``: ``auto`` or one of :data:`~tryon.kinds.KIND_CHOICES`).
    Shared by colourways and materials. Raises ``bad_argument`` (parts, kind),
    ``bad_image``, ``bad_item``, ``unsupported_item``."""
    if parts not in PARTS_CHOICES:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"parts must be one of {PARTS_CHOICES}, "
                         f"got {parts!r}")
    if kind not in KIND_CHOICES:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"kind must be one of {KIND_CHOICES}, "
                         f"got {kind!r}")
    decoded = item if isinstance(item, DecodedImage) else decode_image(item)
    coverage = cut_out(decoded.rgb, decoded.alpha)
    kind = _checked_kind(decoded, coverage, kind)
    lab = rgb_to_lab(decoded.rgb)
    found = find_parts(lab, coverage, everything=parts == "all", shoe=kind == Kind.SHOES.value,
                       settings=part_settings)
    return ProductPhoto(decoded, coverage, lab, found, kind)


def resolve_method(method: str, model_path: str | None = None) -> str:
    """``gan`` or ``lab``: ``auto`` is ``gan`` when the colourway model exists, else
    ``lab``; anything outside :data:`METHOD_CHOICES` is ``bad_argument``."""
    if method not in METHOD_CHOICES:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"method must be one of {METHOD_CHOICES}, "
                         f"got {method!r}")
    if method != "auto":
        return method
    from tryon.studio.gan import model_available

    return "gan" if model_available(model_path) else "lab"


def measure_variant(before: np.ndarray, after: np.ndarray, parts: ProductParts,
                    target: np.ndarray) -> VariantFigures:
    """Figures of a colourway: ``before``, ``after`` (H, W, 3) uint8 RGB; ``target`` (3,)
    Lab. See :class:`VariantFigures`."""
    region = parts.main
    if not region.any():
        return VariantFigures(float("nan"), float("nan"), 0.0, 0.0)
    lab_before = rgb_to_lab(before[region])
    lab_after = rgb_to_lab(after[region])
    delta_e = float(delta_e_2000(np.median(lab_after, axis=0), target))
    spread = float(lab_before[:, 0].std())
    contrast = float(lab_after[:, 0].std()) / spread if spread > 1e-6 else float("nan")
    near = cv2.dilate(region.astype(np.uint8), np.ones((2 * KEPT_MARGIN + 1,) * 2, np.uint8))
    kept = parts.product & ~near.astype(bool)
    change = _mean_change(before[kept], after[kept])
    return VariantFigures(delta_e, contrast, change, parts.main_share)


def _mean_change(before: np.ndarray, after: np.ndarray) -> float:
    """Mean CIEDE2000 between ``before`` and ``after`` ((N, 3) uint8 RGB each; 0 when N is
    0). Pixels equal byte for byte count 0 without being converted: a fresh-clone CI run
    once measured 3e-17 on a shoe's untouched parts (every kept pixel bit-exact), which this
    machine did not reproduce; the float Lab conversion is not relied on to cancel."""
    if not len(before):
        return 0.0
    changed = np.any(before != after, axis=1)
    delta = np.zeros(len(before), np.float64)
    if changed.any():
        delta[changed] = delta_e_2000(rgb_to_lab(before[changed]), rgb_to_lab(after[changed]))
    return float(delta.mean())


def _checked_rgb(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    values = tuple(colour) if isinstance(colour, (tuple, list)) else ()
    if len(values) != 3 or not all(isinstance(v, int) and 0 <= v <= 255 for v in values):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"colour must be #rrggbb or (r, g, b) ints "
                         f"in [0, 255], got {colour!r}")
    return values  # type: ignore[return-value]


def _checked_kind(decoded: DecodedImage, coverage: np.ndarray, kind: str) -> str:
    """``kind``, or the catalog classifier's for ``auto``; what is no product (a person, a
    scene) is refused with ``unsupported_item`` as by ``tryon run``
    (:func:`~tryon.catalog.classifier.check_item`; a variant of a given kind is made whatever
    the classifier takes it for)."""
    from tryon.catalog.classifier import check_item, classify_item

    guess = classify_item(decoded.rgb, decoded.alpha, mask=coverage)
    check_item(guess, None if kind == AUTO else Kind(kind), kind_must_match=False)
    if kind != AUTO:
        return kind
    return guess.kind.value if guess.kind is not None else AUTO
