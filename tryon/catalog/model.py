"""The catalog model at run time: EfficientNet-Lite0 embeddings by ONNX Runtime (no torch),
plus the hand-made colour and shape features, as one :class:`ItemFeatures` per item."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort

from tryon.catalog import contract
from tryon.catalog.features import ItemMask, item_mask, lab_palette, shape_features
from tryon.cpu import cpu_threads
from tryon.errors import ErrorCode, TryOnError

__all__ = ["CatalogEmbedder", "DEFAULT_EMBEDDER", "EMBEDDER_ENV", "ItemFeatures",
           "describe_item", "describe_items", "prepare"]

DEFAULT_EMBEDDER = Path(__file__).resolve().parents[2] / "models" / "catalog.onnx"
EMBEDDER_ENV = "TRYON_CATALOG_MODEL"
BATCH = 16  # pictures per ONNX Runtime call
MAX_THREADS = 4
CROP_MARGIN = 0.04  # of the item's box side, kept around it before letterboxing
EPS = 1e-8
PALETTE_IN_VECTOR = 3  # heaviest palette colours in the classifier's input
DESCRIBE_SIDE = 512  # pictures are first brought down to this longest side (pixels)


@dataclass(frozen=True)
class ItemFeatures:
    """One item's features. ``embedding``: (1280,) float32, unit length; ``palette``: (K, 3)
    Lab colours and ``weights`` (K,), heaviest first (:func:`~tryon.catalog.features.
    lab_palette`); ``shape``: (len(SHAPE_NAMES),) (:func:`~tryon.catalog.features.
    shape_features`)."""

    embedding: np.ndarray
    palette: np.ndarray
    weights: np.ndarray
    shape: np.ndarray

    def vector(self) -> np.ndarray:
        """The kind classifier's input: embedding, the heaviest palette colours (Lab / 100)
        with their weights, and the shape features; (1280 + 12 + 24,) float32."""
        colours = np.concatenate([self.palette[:PALETTE_IN_VECTOR].ravel() / 100.0,
                                  self.weights[:PALETTE_IN_VECTOR]])
        return np.concatenate([self.embedding, colours, self.shape]).astype(np.float32)


def prepare(rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The model's view of an item: (S, S, 3) uint8, S = 224. The item (``mask`` (H, W) in
    [0, 1]) is laid on white, cropped to its box (plus a small margin), letterboxed into a
    white square and resized."""
    rows = np.flatnonzero((mask >= 0.5).any(axis=1))
    cols = np.flatnonzero((mask >= 0.5).any(axis=0))
    if len(rows) and len(cols):  # the box first: the laying is per pixel
        margin = round(CROP_MARGIN * max(rows[-1] - rows[0], cols[-1] - cols[0]))
        top, bottom = max(0, rows[0] - margin), min(rgb.shape[0], rows[-1] + 1 + margin)
        left, right = max(0, cols[0] - margin), min(rgb.shape[1], cols[-1] + 1 + margin)
        rgb, mask = rgb[top:bottom, left:right], mask[top:bottom, left:right]
    weight = mask.astype(np.float32)[..., None]
    laid = rgb.astype(np.float32) * weight + contract.BACKGROUND * (1.0 - weight)
    height, width = laid.shape[:2]
    side = max(height, width)
    square = np.full((side, side, 3), contract.BACKGROUND, np.float32)
    y, x = (side - height) // 2, (side - width) // 2
    square[y:y + height, x:x + width] = laid
    size = (contract.INPUT_SIDE, contract.INPUT_SIDE)
    method = cv2.INTER_AREA if side > contract.INPUT_SIDE else cv2.INTER_LINEAR
    return np.clip(cv2.resize(square, size, interpolation=method) + 0.5, 0, 255).astype(np.uint8)


class CatalogEmbedder:
    """One ONNX Runtime session (CPU provider) on the catalog model.

    ``model_path``: an ``.onnx`` file with the :mod:`~tryon.catalog.contract` metadata;
    default ``$TRYON_CATALOG_MODEL`` or ``models/catalog.onnx``. Raises ``bad_argument`` when
    it is missing, unreadable or not a catalog model."""

    def __init__(self, model_path: str | Path | None = None, threads: int | None = None) -> None:
        path = Path(model_path or os.environ.get(EMBEDDER_ENV) or DEFAULT_EMBEDDER)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or cpu_threads(MAX_THREADS)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        if not path.is_file():
            raise TryOnError(ErrorCode.BAD_ARGUMENT, f"catalog model {path} is missing (write it "
                             f"with: tryon-export --catalog {DEFAULT_EMBEDDER})")
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                self._session = ort.InferenceSession(str(path), sess_options=options,
                                                     providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise TryOnError(ErrorCode.BAD_ARGUMENT, f"cannot load catalog model {path}: "
                             f"{first}") from None
        meta = self._session.get_modelmeta().custom_metadata_map
        expected = contract.metadata()
        if any(meta.get(key) != expected[key] for key in ("input_size", "layout",
                                                          "normalisation", "embedding_dim")):
            raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{path} is not a catalog model of this "
                             "version (its metadata differs from tryon.catalog.contract)")
        self.path = path

    def embed(self, pictures: Sequence[np.ndarray] | np.ndarray) -> np.ndarray:
        """(N, 1280) float32 unit-length embeddings of prepared pictures ((S, S, 3) uint8 from
        :func:`prepare`); (0, 1280) for none."""
        out = [np.zeros((0, contract.EMBEDDING_DIM), np.float32)]
        for start in range(0, len(pictures), BATCH):
            batch = contract.normalise(np.stack(pictures[start:start + BATCH]))
            raw = self._session.run([contract.OUTPUT_NAME], {contract.INPUT_NAME: batch})[0]
            out.append(raw / (np.linalg.norm(raw, axis=1, keepdims=True) + EPS))
        return np.concatenate(out).astype(np.float32)

    def close(self) -> None:
        self._session = None  # type: ignore[assignment]

    def __enter__(self) -> CatalogEmbedder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def describe_item(embedder: CatalogEmbedder, rgb: np.ndarray, alpha: np.ndarray | None = None,
                  mask: np.ndarray | None = None) -> ItemFeatures:
    """All features of one item photo (``rgb`` (H, W, 3) uint8, ``alpha`` (H, W) uint8).
    ``mask``: the item's cut-out ((H, W) float32 in [0, 1], e.g. from
    :func:`tryon.imaging.cutout.cut_out`) when the caller has it; else it is made here."""
    return describe_items(embedder, [(rgb, alpha)], None if mask is None else [mask])[0]


def describe_items(embedder: CatalogEmbedder,
                   items: Sequence[tuple[np.ndarray, np.ndarray | None]],
                   masks: Sequence[np.ndarray] | None = None) -> list[ItemFeatures]:
    """:func:`describe_item` for many items, embedded in batches. Each picture (and its
    ``masks`` entry, when given) is first brought down to :data:`DESCRIBE_SIDE` (the cut-out
    and colours need no more)."""
    if masks is not None and len(masks) != len(items):
        raise ValueError(f"{len(masks)} masks for {len(items)} items")
    bounded = [_bounded(rgb, alpha) for rgb, alpha in items]
    cut: list[ItemMask] = (
        [item_mask(rgb, alpha) for rgb, alpha in bounded] if masks is None else
        [ItemMask(_bounded_mask(mask, rgb.shape[:2]), True)
         for mask, (rgb, _) in zip(masks, bounded, strict=True)])
    embeddings = embedder.embed([prepare(rgb, m.mask) for (rgb, _), m in zip(bounded, cut,
                                                                             strict=True)])
    out = []
    for (rgb, _), mask, embedding in zip(bounded, cut, embeddings, strict=True):
        palette, weights = lab_palette(rgb, mask.mask)
        out.append(ItemFeatures(embedding, palette, weights, shape_features(mask)))
    return out


def _bounded_mask(mask: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    mask = mask.astype(np.float32)
    if mask.shape == shape:
        return mask
    return cv2.resize(mask, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)


def _bounded(rgb: np.ndarray, alpha: np.ndarray | None
             ) -> tuple[np.ndarray, np.ndarray | None]:
    height, width = rgb.shape[:2]
    scale = DESCRIBE_SIDE / max(height, width)
    if scale >= 1.0:
        return rgb, alpha
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    return small, None if alpha is None else cv2.resize(alpha, size,
                                                        interpolation=cv2.INTER_AREA)

