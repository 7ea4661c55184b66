"""Tools around the engine: the CLI, batch runs, benchmarks, evaluation (paired metrics,
unpaired KID/FID) and the engine pool the UI uses; and the bundled demo inputs they share."""

from __future__ import annotations

from pathlib import Path

from tryon.kinds import Kind

__all__ = ["DEMO_ASSETS", "DEMO_FOLDERS", "IMAGE_SUFFIXES", "demo_items", "demo_people"]

DEMO_ASSETS = Path(__file__).resolve().parents[1] / "assets" / "demo"
DEMO_FOLDERS: dict[Kind, str] = {Kind.TOP: "tops", Kind.BOTTOM: "bottoms",
                                 Kind.DRESS: "dresses", Kind.SHOES: "shoes"}
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def demo_people(root: Path = DEMO_ASSETS) -> list[Path]:
    """The bundled person photos, sorted by name."""
    return sorted(p for p in (root / "people").glob("*") if p.suffix.lower() in IMAGE_SUFFIXES)


def demo_items(root: Path = DEMO_ASSETS) -> list[tuple[Path, Kind]]:
    """The bundled product photos with their kind (the folder they are in), kind by kind in
    :data:`DEMO_FOLDERS` order, each sorted by name."""
    return [(path, kind) for kind, folder in DEMO_FOLDERS.items()
            for path in sorted((root / folder).glob("*")) if path.suffix.lower() in IMAGE_SUFFIXES]
