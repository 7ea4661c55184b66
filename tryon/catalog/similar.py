"""Similar items: cosine nearest neighbours among a catalog index's embeddings."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tryon.catalog.index import CatalogIndex
from tryon.errors import ErrorCode, TryOnError

__all__ = ["Neighbour", "nearest"]

DEFAULT_K = 8


@dataclass(frozen=True)
class Neighbour:
    """One similar item: ``path`` relative to the catalog, ``score`` its cosine similarity
    to the query (−1–1; 1 for the same picture)."""

    path: str
    score: float


def nearest(index: CatalogIndex, query: np.ndarray, k: int = DEFAULT_K) -> list[Neighbour]:
    """The ``k`` entries of ``index`` most like ``query`` ((1280,) unit-length embedding),
    most similar first (ties in path order). Raises ``bad_argument`` for k < 1."""
    if k < 1:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--k must be at least 1, got {k}")
    if len(index) == 0:
        return []
    scores = index.embedding @ np.asarray(query, np.float32)
    order = np.lexsort((np.arange(len(scores)), -np.round(scores, 6)))[:k]
    return [Neighbour(str(index.paths[row]), float(scores[row])) for row in order]
