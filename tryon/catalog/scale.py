"""The embedding pass over catalog files: locally (default, no cluster) or on Ray Data.

Both engines run the same :func:`describe_files_batch` on batches of file paths, so their
results are equal; Ray Data spreads the batches over a cluster's workers (``ray.init()``
joins ``$RAY_ADDRESS`` when set, else starts Ray on this machine), each worker loading the
catalog model once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from tryon.catalog.features import PALETTE_SIZE, SHAPE_NAMES
from tryon.catalog.model import CatalogEmbedder, describe_items
from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.decode import decode_image

__all__ = ["ENGINES", "FileFeatures", "describe_files", "describe_files_batch"]

ENGINES = ("local", "ray")
BATCH = 16  # files per batch (one ONNX Runtime call)
EMBEDDING_DIM = 1280
FileFeatures = dict[str, np.ndarray]
"""Columns for N files: ``path`` (N,) str, ``ok`` (N,) bool, ``error`` (N,) str (why a file
was skipped), ``embedding`` (N, 1280), ``palette`` (N, K, 3), ``weights`` (N, K), ``shape``
(N, S) float32 (zeros where not ok)."""


def describe_files_batch(paths: Sequence[str], embedder: CatalogEmbedder) -> FileFeatures:
    """Decode and describe files; a file that cannot be read is marked not ok, not raised."""
    items, errors = [], []
    for path in paths:
        try:
            image = decode_image(path)
            items.append((image.rgb, image.alpha))
            errors.append("")
        except TryOnError as exc:
            items.append(None)
            errors.append(str(exc))
    good = [item for item in items if item is not None]
    described = iter(describe_items(embedder, good))
    count = len(paths)
    out: FileFeatures = {
        "path": np.array(list(paths), dtype=str), "ok": np.array([not e for e in errors]),
        "error": np.array(errors, dtype=str),
        "embedding": np.zeros((count, EMBEDDING_DIM), np.float32),
        "palette": np.zeros((count, PALETTE_SIZE, 3), np.float32),
        "weights": np.zeros((count, PALETTE_SIZE), np.float32),
        "shape": np.zeros((count, len(SHAPE_NAMES)), np.float32)}
    for row, item in enumerate(items):
        if item is not None:
            features = next(described)
            out["embedding"][row] = features.embedding
            out["palette"][row] = features.palette
            out["weights"][row] = features.weights
            out["shape"][row] = features.shape
    return out


def _concat(parts: Sequence[FileFeatures]) -> FileFeatures:
    empty = describe_files_batch([], _NoEmbedder())  # type: ignore[arg-type]
    return {key: np.concatenate([empty[key], *(part[key] for part in parts)])
            for key in empty}


class _NoEmbedder:
    """Stands in for the model when there is nothing to embed."""

    def embed(self, pictures: Sequence[np.ndarray]) -> np.ndarray:
        return np.zeros((0, EMBEDDING_DIM), np.float32)


def describe_files(paths: Sequence[str | Path], *, engine: str = "local",
                   model_path: str | Path | None = None, workers: int = 1,
                   progress: Callable[[int, int], None] | None = None) -> FileFeatures:
    """:func:`describe_files_batch` over all ``paths``, rows in the order given.

    ``engine``: ``local`` (this process) or ``ray`` (Ray Data, ``workers`` model replicas;
    needs the ``scale`` extra).
    ``progress(done, total)`` is called after each local batch."""
    names = [str(path) for path in paths]
    if engine not in ENGINES:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"unknown engine {engine!r}; use one of "
                         + ", ".join(ENGINES))
    if not names:
        return _concat([])
    if engine == "ray":
        return _describe_on_ray(names, model_path, workers)
    parts = []
    with CatalogEmbedder(model_path) as embedder:
        for start in range(0, len(names), BATCH):
            parts.append(describe_files_batch(names[start:start + BATCH], embedder))
            if progress is not None:
                progress(min(start + BATCH, len(names)), len(names))
    return _concat(parts)


class _RayDescriber:
    """A Ray Data worker: the catalog model loaded once, then batches of paths."""

    def __init__(self, model_path: str | None) -> None:
        self.embedder = CatalogEmbedder(model_path, threads=1)

    def __call__(self, batch: dict[str, np.ndarray]) -> FileFeatures:
        return describe_files_batch([str(p) for p in batch["path"]], self.embedder)


def _describe_on_ray(names: list[str], model_path: str | Path | None,
                     workers: int) -> FileFeatures:
    try:
        import ray
    except ImportError:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, "--engine ray needs the scale extra: "
                         "pip install -e '.[scale]'") from None
    if not ray.is_initialized():
        ray.init(address=os.environ.get("RAY_ADDRESS") or None, include_dashboard=False,
                 log_to_driver=False, configure_logging=False)
    model = str(Path(model_path).resolve()) if model_path else None
    dataset = ray.data.from_items([{"path": name} for name in names])
    described = dataset.map_batches(_RayDescriber, fn_constructor_kwargs={"model_path": model},
                                    batch_size=BATCH, batch_format="numpy",
                                    concurrency=max(1, workers))
    parts = list(described.iter_batches(batch_size=None, batch_format="numpy"))
    merged = _concat([{key: np.asarray(value) for key, value in part.items()}
                      for part in parts])
    order = {name: row for row, name in enumerate(merged["path"])}
    rows = np.array([order[name] for name in names])
    return {key: value[rows] for key, value in merged.items()}
