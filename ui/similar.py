""""More like this": the catalog items most like a picked item or an uploaded product, from
the catalog model's index (:mod:`tryon.catalog`), offline.

:func:`build_search` indexes the bundled demo catalog once (the page caches it per process);
its rows are exactly the shopper's catalog items (:func:`ui.catalog.demo_catalog`), in the
index's order. :func:`similar_items` ranks them by cosine similarity of their embeddings
(:func:`tryon.catalog.similar.nearest`); an uploaded product is embedded in memory first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from tryon.catalog.index import FEATURES, CatalogIndex, update_index
from tryon.catalog.model import CatalogEmbedder, describe_item
from tryon.catalog.similar import nearest
from tryon.imaging.decode import decode_image
from ui.catalog import DEMO_ASSETS, CatalogItem, demo_catalog

__all__ = ["SIMILAR_COUNT", "CatalogSearch", "build_search", "similar_items",
           "similar_to_picture"]

SIMILAR_COUNT = 4  # items in the "More like this" row
_ROW_FIELDS = ("paths", "sizes", "mtimes", "hashes", *FEATURES)


@dataclass(frozen=True)
class CatalogSearch:
    """The catalog's index (``index``, one row per item) and the item of each row
    (``items``). Read-only: shared by every session."""

    index: CatalogIndex
    items: tuple[CatalogItem, ...]

    def row(self, item_id: str) -> int | None:
        """The index row of catalog item ``item_id``, or None."""
        return next((row for row, item in enumerate(self.items) if item.id == item_id), None)


def _relative(item: CatalogItem, root: Path) -> str:
    return item.path.relative_to(root).as_posix()


def build_search(root: Path = DEMO_ASSETS) -> CatalogSearch:
    """Index the catalog under ``root`` with the catalog model (about 4 s on two cores) and
    keep the rows of its items (the demo photos of people beside them are left out)."""
    index, _ = update_index(root)
    by_path = {_relative(item, root): item for item in demo_catalog(root)}
    rows = np.array([row for row, path in enumerate(index.paths) if str(path) in by_path],
                    dtype=np.int64)
    index = replace(index, **{name: getattr(index, name)[rows] for name in _ROW_FIELDS})
    return CatalogSearch(index, tuple(by_path[str(path)] for path in index.paths))


def _ranked(search: CatalogSearch, query: np.ndarray, k: int,
            leave_out: str | None = None) -> tuple[CatalogItem, ...]:
    by_path = {str(path): item for path, item in zip(search.index.paths, search.items,
                                                     strict=True)}
    found = [by_path[n.path] for n in nearest(search.index, query, k + 1)]
    return tuple(item for item in found if item.id != leave_out)[:k]


def similar_items(search: CatalogSearch, item_id: str,
                  k: int = SIMILAR_COUNT) -> tuple[CatalogItem, ...]:
    """The ``k`` catalog items most like catalog item ``item_id`` (itself left out), most
    similar first; () for an unknown id."""
    row = search.row(item_id)
    if row is None:
        return ()
    return _ranked(search, search.index.embedding[row], k, leave_out=item_id)


def similar_to_picture(search: CatalogSearch, embedder: CatalogEmbedder, picture: bytes,
                       k: int = SIMILAR_COUNT) -> tuple[CatalogItem, ...]:
    """The ``k`` catalog items most like a product photo (encoded bytes, embedded in
    memory). Raises :class:`~tryon.errors.TryOnError` (``bad_image`` ...) when it does not
    decode."""
    decoded = decode_image(picture)
    features = describe_item(embedder, decoded.rgb, decoded.alpha)
    return _ranked(search, features.embedding, k)
