"""The item-kind classifier: top, bottom, dress, shoes, or not a product.

A multinomial logistic regression on :meth:`ItemFeatures.vector
<tryon.catalog.model.ItemFeatures.vector>` (embedding, palette, shape), fitted by
``python -m training.catalog_fit`` and shipped as ``models/catalog_kinds.npz`` (numpy arrays
only, read without pickle; CC BY-NC 4.0, being fitted on non-commercial photos):

- ``mean``, ``scale`` (F,): standardisation, ``x' = (x - mean) / scale``;
- ``coef`` (C, F), ``intercept`` (C,): class scores ``coef @ x' + intercept``, softmax;
- ``classes`` (C,): labels, ``none`` meaning "not a product";
- ``info``: a JSON string (licence, training data, held-out figures).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np

from tryon.body.pose import Pose
from tryon.catalog.model import CatalogEmbedder, ItemFeatures, describe_item
from tryon.errors import ErrorCode, TryOnError
from tryon.kinds import Kind

__all__ = ["CLASSIFIER_ENV", "DEFAULT_CLASSIFIER", "KindClassifier", "KindGuess", "NOT_A_PRODUCT",
           "check_item", "check_person_photo", "classify_item", "default_models"]

DEFAULT_CLASSIFIER = Path(__file__).resolve().parents[2] / "models" / "catalog_kinds.npz"
CLASSIFIER_ENV = "TRYON_KIND_CLASSIFIER"
NOT_A_PRODUCT = "none"
ARRAYS = ("mean", "scale", "coef", "intercept", "classes")
NOT_A_PRODUCT_REFUSED = 0.9  # with a kind given: "not a product" this sure is refused
OTHER_KIND_REFUSED = 0.9  # with a kind given: another kind this sure is refused ...
# ... unless the two can look alike (a long top and a short dress; a skirt and a dress): there
# the shopper's choice stands. Correct kinds on the catalog's photos score 0.92-1.0 except a
# few such look-alikes and plimsolls photographed from above (0.44-0.89).
LOOK_ALIKE_KINDS = (frozenset({Kind.TOP, Kind.DRESS}), frozenset({Kind.BOTTOM, Kind.DRESS}))
# ... except where the cut-out's shape (tryon.kinds.registry.detect_kind) says the same as the
# classifier: a bottom's (a crotch gap between two legs, or a waistband widening down) is no
# dress's, and trousers tried on as a dress were drawn as a dress with a skirt of legs. Every
# bottom in ../shared that the classifier is sure of has that shape; no dress has.
SHAPE_TELLS_APART = (frozenset({Kind.BOTTOM, Kind.DRESS}),)
# A person photo whose skeleton is implausible is refused when the classifier is this sure it
# shows a product: product photos of tops, dresses and shoes scored 0.97-1.0 (one dress 0.70),
# real persons at most 0.3 for any product kind (a VITON-HD person, 0.18 dress).
PRODUCT_AS_PERSON_REFUSED = 0.9


class KindGuess(NamedTuple):
    """``kind``: the item's kind, None when it is not a product (a person, a scene, an object);
    ``confidence``: the winning class's probability (0–1); ``probabilities``: every class's,
    keyed by label (``top``, ``bottom``, ``dress``, ``shoes``, ``none``), summing to 1."""

    kind: Kind | None
    confidence: float
    probabilities: dict[str, float]


class KindClassifier:
    """The fitted classifier (see the module docstring for the file's arrays)."""

    def __init__(self, path: str | Path | None = None) -> None:
        path = Path(path or os.environ.get(CLASSIFIER_ENV) or DEFAULT_CLASSIFIER)
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {name: data[name] for name in (*ARRAYS, "info")}
        except (OSError, KeyError, ValueError) as exc:
            raise TryOnError(ErrorCode.BAD_ARGUMENT, f"cannot read the kind classifier {path}: "
                             f"{exc}") from None
        self.mean = arrays["mean"].astype(np.float32)
        self.scale = arrays["scale"].astype(np.float32)
        self.coef = arrays["coef"].astype(np.float32)
        self.intercept = arrays["intercept"].astype(np.float32)
        self.classes = tuple(str(label) for label in arrays["classes"])
        self.info: dict[str, object] = json.loads(str(arrays["info"]))
        known = {kind.value for kind in Kind} | {NOT_A_PRODUCT}
        if not set(self.classes) <= known or self.coef.shape != (len(self.classes),
                                                                 len(self.mean)):
            raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{path} is not a kind classifier")
        self.path = path

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """(N, F) feature vectors → (N, C) class probabilities (columns as :attr:`classes`)."""
        vectors = np.atleast_2d(vectors)
        if vectors.shape[1] != len(self.mean):
            raise ValueError(f"expected (N, {len(self.mean)}) features, got {vectors.shape}")
        scores = ((vectors - self.mean) / self.scale) @ self.coef.T + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        odds = np.exp(scores)
        return odds / odds.sum(axis=1, keepdims=True)

    def guess(self, features: ItemFeatures) -> KindGuess:
        """The kind of one described item."""
        probs = self.probabilities(features.vector()[None])[0]
        best = int(np.argmax(probs))
        label = self.classes[best]
        return KindGuess(None if label == NOT_A_PRODUCT else Kind(label), float(probs[best]),
                         {name: float(p) for name, p in zip(self.classes, probs, strict=True)})


@functools.lru_cache(maxsize=1)
def default_models() -> tuple[CatalogEmbedder, KindClassifier]:
    """The default catalog model and classifier, loaded once per process (read-only use)."""
    return CatalogEmbedder(), KindClassifier()


def classify_item(rgb: np.ndarray, alpha: np.ndarray | None = None, *,
                  mask: np.ndarray | None = None, embedder: CatalogEmbedder | None = None,
                  classifier: KindClassifier | None = None) -> KindGuess:
    """What an item photo shows: ``(kind or None for "not a product", confidence,
    probabilities)``.

    ``rgb``: (H, W, 3) uint8 RGB; ``alpha``: (H, W) uint8 or None (as
    :func:`tryon.imaging.decode.decode_image` returns them); ``mask``: the item's cut-out
    ((H, W) float32 in [0, 1], :func:`tryon.imaging.cutout.cut_out`) when the caller already
    has one (saves making it again), else it is made here — and where no product can be cut
    out (a scene) the whole frame is used, so this never raises ``bad_item``. Uses the
    default models
    (``models/catalog.onnx``, ``models/catalog_kinds.npz``) unless others are given.
    Raises ``bad_image`` for arrays of the wrong shape or type.
    """
    if (not isinstance(rgb, np.ndarray) or rgb.dtype != np.uint8 or rgb.ndim != 3
            or rgb.shape[2] != 3 or min(rgb.shape[:2]) < 1):
        raise TryOnError(ErrorCode.BAD_IMAGE, "the item must be an (H, W, 3) uint8 RGB array")
    if alpha is not None and (not isinstance(alpha, np.ndarray) or alpha.dtype != np.uint8
                              or alpha.shape != rgb.shape[:2]):
        raise TryOnError(ErrorCode.BAD_IMAGE, "alpha must be an (H, W) uint8 array like rgb")
    if mask is not None and (not isinstance(mask, np.ndarray) or mask.shape != rgb.shape[:2]):
        raise TryOnError(ErrorCode.BAD_IMAGE, "mask must be an (H, W) array like rgb")
    if embedder is None or classifier is None:
        default_embedder, default_classifier = default_models()
        embedder = embedder or default_embedder
        classifier = classifier or default_classifier
    return classifier.guess(describe_item(embedder, rgb, alpha, mask))


def check_item(guess: KindGuess, given: Kind | None, *, kind_must_match: bool = True,
               shape: Callable[[], Kind] | None = None) -> None:
    """Refuse an item photo the classifier's ``guess`` says is unsuitable for ``given`` (None:
    "auto"): ``unsupported_item`` when it is no product (its best guess under "auto"; at
    least :data:`NOT_A_PRODUCT_REFUSED` sure with a kind given), and, when
    ``kind_must_match``, ``item_kind_mismatch`` when a kind is given and the classifier is at
    least :data:`OTHER_KIND_REFUSED` sure it is another, one it does not look like
    (:data:`LOOK_ALIKE_KINDS`) or one whose look-alike the cut-out's ``shape`` (called,
    only where it decides, for the kind its silhouette says) rules out
    (:data:`SHAPE_TELLS_APART`): shoes tried on as a top were pasted over the chest,
    trousers tried on as a dress made a skirt of legs."""
    refused = NOT_A_PRODUCT_REFUSED if given is not None else 0.0
    if guess.kind is None and guess.probabilities[NOT_A_PRODUCT] >= refused:
        raise TryOnError(ErrorCode.UNSUPPORTED_ITEM, "item photo: this does not look like a "
                         "top, bottom, dress or shoes; use a product photo on a plain "
                         "background")
    if (not kind_must_match or given is None or guess.kind is None or guess.kind is given
            or guess.confidence < OTHER_KIND_REFUSED):
        return
    pair = frozenset({given, guess.kind})
    if pair in LOOK_ALIKE_KINDS and not (pair in SHAPE_TELLS_APART and shape is not None
                                         and shape() is guess.kind):
        return
    raise TryOnError(ErrorCode.ITEM_KIND_MISMATCH,
                     f"item photo: this looks like {_named(guess.kind)}, not "
                     f"{_named(given)}; choose kind {guess.kind.value} or auto")


def check_person_photo(rgb: np.ndarray, pose: Pose) -> None:
    """Refuse with ``no_person`` a person photo ((H, W, 3) uint8 RGB) that shows a product:
    MediaPipe finds a skeleton in some product photos, and a top was then drawn over a shirt
    or a shoe. Only a ``pose`` whose proportions are not a person's
    (:attr:`~tryon.body.pose.Pose.proportions_plausible`) is looked at again, by the
    classifier (:func:`classify_item`, about 25 ms), and refused when it is at least
    :data:`PRODUCT_AS_PERSON_REFUSED` sure of a product kind."""
    if pose.proportions_plausible:
        return
    guess = classify_item(rgb)
    if guess.kind is not None and guess.confidence >= PRODUCT_AS_PERSON_REFUSED:
        raise TryOnError(ErrorCode.NO_PERSON,
                         f"person photo: this looks like a product photo of {_named(guess.kind)}"
                         ", not a person; use a photo of the person who tries it on")


def _named(kind: Kind) -> str:
    """``kind`` as it reads in a sentence: "a top", "a bottom", "a dress", "shoes"."""
    return kind.value if kind is Kind.SHOES else f"a {kind.value}"
