"""Is a sampled design new? Its nearest catalog photo in the catalog model's embedding space.

Every picture is embedded by the catalog model (``models/catalog.onnx``,
:class:`tryon.catalog.model.CatalogEmbedder`: EfficientNet-Lite0, 1280 values, unit length)
after the same preparation the catalog tools use (:func:`tryon.catalog.model.prepare`: the
item on white, cropped to its box, letterboxed; a photo's mask from
:func:`tryon.catalog.features.item_mask`, a design's from its alpha). The distance is the
cosine distance ``1 − a·b`` (0: the same picture; about 0.1–0.3 between photos of similar
shoes).

The :class:`NoveltyReference` of a catalog holds its photos' embeddings (float16) and, for
each photo, the distance to its nearest *other* photo: that distribution is the yardstick. A
design whose nearest-catalog distance is at the reference's ``p``-th percentile is as far from
the catalog as ``p`` % of the catalog's own photos are from their nearest neighbour; a design
far below the reference's lowest values would be a near copy of a catalog photo.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tryon.catalog.features import item_mask
from tryon.catalog.index import catalog_files
from tryon.catalog.model import CatalogEmbedder, prepare
from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.decode import decode_image

__all__ = ["DEFAULT_REFERENCE", "FORMAT", "NoveltyReference", "build_reference", "embed_designs",
           "load_reference"]

DEFAULT_REFERENCE = Path(__file__).resolve().parents[2] / "models" / "samples-catalog.npz"
FORMAT = "tryon-novelty-1"


@dataclass(frozen=True)
class NoveltyReference:
    """``names`` (N,) catalog-relative paths; ``embedding`` (N, 1280) float32 unit rows;
    ``nearest`` (N,) each photo's cosine distance to its nearest other photo; ``root`` the
    catalog folder it was made from (informative)."""

    names: np.ndarray
    embedding: np.ndarray
    nearest: np.ndarray
    root: str

    def __len__(self) -> int:
        return len(self.names)

    @property
    def median(self) -> float:
        """The median nearest-neighbour distance among the catalog's photos."""
        return float(np.median(self.nearest))

    def closest(self, embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row of the nearest catalog photo (M,), its cosine distance (M,)) of each of
        ``embeddings`` (M, 1280)."""
        distance = 1.0 - np.asarray(embeddings, np.float32) @ self.embedding.T
        rows = np.argmin(distance, axis=1)
        return rows, np.maximum(distance[np.arange(len(rows)), rows], 0.0)

    def percentile(self, distance: float) -> float:
        """Percentage of catalog photos whose nearest-neighbour distance is ≤ ``distance``."""
        return float(100.0 * np.mean(self.nearest <= distance))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, format=np.array(FORMAT), names=self.names,
                            embedding=self.embedding.astype(np.float16),
                            nearest=self.nearest.astype(np.float32), root=np.array(self.root))


def _nearest_others(embedding: np.ndarray) -> np.ndarray:
    distance = 1.0 - embedding @ embedding.T
    np.fill_diagonal(distance, np.inf)
    return np.maximum(distance.min(axis=1), 0.0).astype(np.float32)


def _unit(embedding: np.ndarray) -> np.ndarray:
    """float16-rounded rows (as saved), renormalised, float32."""
    rows = embedding.astype(np.float16).astype(np.float32)
    return rows / (np.linalg.norm(rows, axis=1, keepdims=True) + 1e-8)


def build_reference(folder: Path, embedder: CatalogEmbedder | None = None,
                    progress: bool = False) -> NoveltyReference:
    """The reference of the catalog photos under ``folder`` (at least 2 readable ones, else
    ``bad_argument``)."""
    embedder = embedder or CatalogEmbedder(threads=1)
    names, prepared = [], []
    files = catalog_files(folder)
    for index, name in enumerate(files):
        try:
            decoded = decode_image(folder / name)
        except TryOnError:
            continue
        prepared.append(prepare(decoded.rgb, item_mask(decoded.rgb, decoded.alpha).mask))
        names.append(name)
        if progress and (index + 1) % 100 == 0:
            print(f"  embedded {index + 1}/{len(files)} catalog photos", flush=True)
    if len(names) < 2:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--catalog {folder}: fewer than 2 pictures "
                         "to compare designs with")
    embedding = _unit(embedder.embed(prepared))
    return NoveltyReference(np.array(names), embedding, _nearest_others(embedding), str(folder))


def load_reference(path: Path) -> NoveltyReference:
    """A saved reference (``refiner_unavailable`` for a missing file, ``bad_argument`` for a
    foreign one)."""
    if not path.is_file():
        raise TryOnError(ErrorCode.REFINER_UNAVAILABLE, f"novelty reference {path} does not "
                         "exist; write it with python -m export.samples ... --catalog DIR "
                         "--novelty OUT.npz (docs/design.md), or give --catalog DIR")
    try:
        with np.load(path, allow_pickle=False) as stored:
            if str(stored["format"]) != FORMAT:
                raise ValueError("format")
            return NoveltyReference(stored["names"], _unit(stored["embedding"]),
                                    stored["nearest"].astype(np.float32), str(stored["root"]))
    except (OSError, ValueError, KeyError):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{path} is not a novelty reference of this "
                         "engine") from None


def embed_designs(rgba: list[np.ndarray], embedder: CatalogEmbedder | None = None
                  ) -> np.ndarray:
    """(M, 1280) embeddings of RGBA designs ((H, W, 4) uint8), their alpha as the mask."""
    embedder = embedder or CatalogEmbedder(threads=1)
    return _unit(embedder.embed([prepare(p[..., :3], p[..., 3].astype(np.float32) / 255.0)
                                 for p in rgba]))
