"""The product catalog the shopper picks from: the bundled demo items, one folder per kind.

Items are read from ``tryon/assets/demo/<folder>`` where :data:`KIND_FOLDERS` names the
folder of each kind (``tops``, ``shoes``; ``bottoms`` and ``dresses`` are read too once the
engine has a strategy for the kind). Pictures are MIT openvto and BSD Saleor photos, see
the LICENSE files there. Thumbnails are square JPEGs on white, made once per process.
Nothing here knows what a kind does: the words shown for a kind come from
:func:`kind_label` and :func:`kind_plural`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image

from tryon.kinds import Kind
from tryon.kinds.registry import STRATEGIES
from tryon.tools import DEMO_ASSETS, DEMO_FOLDERS, IMAGE_SUFFIXES

__all__ = ["CatalogItem", "DEMO_ASSETS", "KIND_FOLDERS", "catalog_kinds", "demo_catalog",
           "find_item", "kind_label", "kind_plural", "supported_kinds", "thumbnail"]

# The engine's own demo folders, by kind value ("top": "tops", ...).
KIND_FOLDERS: dict[str, str] = {kind.value: folder for kind, folder in DEMO_FOLDERS.items()}
_PLURALS: dict[str, str] = {Kind.TOP.value: "tops", Kind.BOTTOM.value: "trousers and skirts",
                            Kind.DRESS.value: "dresses", Kind.SHOES.value: "shoes"}
_SUFFIXES = IMAGE_SUFFIXES


@dataclass(frozen=True)
class CatalogItem:
    """One product: ``id`` is stable (``"tops/white-tee"``), ``kind`` a
    :class:`~tryon.kinds.Kind` value ("top", "shoes", ...)."""

    id: str
    name: str
    kind: str
    path: Path

    def read(self) -> bytes:
        """The product photo as encoded bytes (what the engine takes)."""
        return self.path.read_bytes()


def supported_kinds() -> tuple[str, ...]:
    """The kinds the engine can try on (those with a strategy in its registry)."""
    return tuple(kind.value for kind in STRATEGIES)


@lru_cache(maxsize=4)
def demo_catalog(root: Path = DEMO_ASSETS) -> tuple[CatalogItem, ...]:
    """The items of every kind the engine supports, in :data:`KIND_FOLDERS` order, each
    sorted by file name (a folder whose kind has no strategy yet is left out)."""
    items = []
    for kind, folder in KIND_FOLDERS.items():
        if kind not in supported_kinds():
            continue
        for path in sorted((root / folder).glob("*")):
            if path.suffix.lower() in _SUFFIXES:
                name = path.stem.replace("-", " ").capitalize()
                items.append(CatalogItem(f"{folder}/{path.stem}", name, kind, path))
    return tuple(items)


def catalog_kinds(root: Path = DEMO_ASSETS) -> tuple[str, ...]:
    """The kinds the catalog has items of, in catalog order."""
    return tuple(dict.fromkeys(item.kind for item in demo_catalog(root)))


def find_item(item_id: str | None, root: Path = DEMO_ASSETS) -> CatalogItem | None:
    """The catalog item with ``item_id``, or None."""
    return next((item for item in demo_catalog(root) if item.id == item_id), None)


def kind_label(kind: str) -> str:
    """The kind as a button label: "Top", "Shoes"."""
    return kind.capitalize()


def kind_plural(kind: str) -> str:
    """The kind in a sentence, plural and lower case: "tops", "shoes"."""
    return _PLURALS.get(kind, f"{kind}s")


@lru_cache(maxsize=64)
def thumbnail(path: Path, size: int = 256) -> bytes:
    """JPEG bytes: the picture fitted into a ``size`` × ``size`` white square."""
    with Image.open(path) as picture:
        picture = picture.convert("RGBA")
        picture.thumbnail((size, size), Image.Resampling.LANCZOS)
        square = Image.new("RGB", (size, size), (255, 255, 255))
        offset = ((size - picture.width) // 2, (size - picture.height) // 2)
        square.paste(picture, offset, picture)
    buffer = io.BytesIO()
    square.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()
