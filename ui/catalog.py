"""The product catalog the shopper picks from: the bundled demo tops and shoes.

Items are read from ``tryon/assets/demo/{tops,shoes}`` (MIT openvto and BSD Saleor pictures,
see the LICENSE files there). Thumbnails are square JPEGs on white, made once per process.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image

__all__ = ["CatalogItem", "DEMO_ASSETS", "demo_catalog", "find_item", "thumbnail"]

DEMO_ASSETS = Path(__file__).resolve().parents[1] / "tryon" / "assets" / "demo"
_KIND_FOLDERS = (("top", "tops"), ("shoes", "shoes"))
_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


@dataclass(frozen=True)
class CatalogItem:
    """One product: ``id`` is stable (``"tops/white-tee"``), ``kind`` is "top" or "shoes"."""

    id: str
    name: str
    kind: str
    path: Path

    def read(self) -> bytes:
        """The product photo as encoded bytes (what the engine takes)."""
        return self.path.read_bytes()


@lru_cache(maxsize=4)
def demo_catalog(root: Path = DEMO_ASSETS) -> tuple[CatalogItem, ...]:
    """Tops first, then shoes, each sorted by file name."""
    items = []
    for kind, folder in _KIND_FOLDERS:
        for path in sorted((root / folder).glob("*")):
            if path.suffix.lower() in _SUFFIXES:
                name = path.stem.replace("-", " ").capitalize()
                items.append(CatalogItem(f"{folder}/{path.stem}", name, kind, path))
    return tuple(items)


def find_item(item_id: str | None, root: Path = DEMO_ASSETS) -> CatalogItem | None:
    """The catalog item with ``item_id``, or None."""
    return next((item for item in demo_catalog(root) if item.id == item_id), None)


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
