"""The items a client may name by ``item_id`` instead of sending a product photo: the
bundled demo catalog (:func:`tryon.tools.demo_items`), read into memory once."""

from __future__ import annotations

from dataclasses import dataclass, field

from tryon.kinds import Kind
from tryon.tools import demo_items

__all__ = ["CatalogItem", "demo_catalog"]


@dataclass(frozen=True)
class CatalogItem:
    """One product: its id (the file stem), kind, a display name and the photo's bytes."""

    id: str
    kind: Kind
    name: str
    data: bytes = field(repr=False)

    def as_dict(self) -> dict[str, str]:
        """What ``GET /v1/catalog`` lists (no bytes)."""
        return {"id": self.id, "kind": self.kind.value, "name": self.name}


def demo_catalog() -> dict[str, CatalogItem]:
    """The demo items by id. The id is the file stem; a stem shared by two kinds gets the
    kind in front (``shoes-classic``)."""
    pairs = demo_items()
    stems = [path.stem for path, _ in pairs]
    catalog: dict[str, CatalogItem] = {}
    for path, kind in pairs:
        item_id = path.stem if stems.count(path.stem) == 1 else f"{kind.value}-{path.stem}"
        catalog[item_id] = CatalogItem(item_id, kind, path.stem.replace("-", " "),
                                       path.read_bytes())
    return catalog
