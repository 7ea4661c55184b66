"""Labelled photos for the catalog's item-kind classifier, from ``../shared/data``, and the
held-out split. Numpy only (no torch), so tests can rebuild the split.

Labels: ``top``, ``bottom``, ``dress``, ``shoes`` and ``none`` (not a product: people, scenes,
objects). Products come from the in-shop catalogs; the DressCode garments in
``garments/ootd`` (``<id>_1.jpg``) are labelled by their id range, checked by eye on a contact
sheet (≤ 050191 tops, 051412–051991 trousers and skirts, ≥ 051998 dresses). Negatives: person
photos, crops of the backgrounds of room/outdoor photos (corners away from the centred
person), the few pictures that installed packages ship (scikit-learn's two sample photos,
Matplotlib's sample photo and pictures) and drawn objects (rectangles, rings, discs, stars,
stripes, gradients, noise, text).

Split by photo *group* (one garment's front and back, a VITON-HD or DressCode id's photos, one
photo's crops): within each label the groups are ordered by a hash of their key and every
:data:`HELD_OUT_EVERY`-th one is held out, so every label has held-out groups.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from tryon.imaging.decode import decode_image

__all__ = ["LABELS", "Sample", "catalog_samples", "split"]

LABELS = ("top", "bottom", "dress", "shoes", "none")
HELD_OUT_EVERY = 3  # every third group of each label is held out (about 1/3)
HELD_OUT_PHASE = 1
N_PERSONS = 300  # VITON-HD person photos drawn evenly from the 1,792
N_DRAWN = 90  # drawn objects
DRAWN_SIDE = 384
CORNER = 0.42  # scene crops: this fraction of each side, at the four corners
DRESSCODE_BOTTOMS = (51000, 51993)  # DressCode ids [first, last] of trousers/skirts in ootd
DRESSCODE_DRESSES = 51994  # and the first dress id
ID = re.compile(r"^(\d+)_")

Loader = Callable[[], tuple[np.ndarray, "np.ndarray | None"]]


@dataclass(frozen=True)
class Sample:
    """One labelled picture: ``name`` (unique, e.g. ``shoes/myntra/123.jpg`` or
    ``drawn/ring-7``), ``label`` (one of :data:`LABELS`), ``group`` (photos that must fall on
    the same side of the split) and ``load`` → (rgb (H, W, 3) uint8, alpha (H, W) uint8 or
    None)."""

    name: str
    label: str
    group: str
    load: Loader = field(compare=False, repr=False)


def _file(root: Path, path: Path, label: str, group: str) -> Sample:
    def load() -> tuple[np.ndarray, np.ndarray | None]:
        image = decode_image(path)
        return image.rgb, image.alpha
    return Sample(str(path.relative_to(root)), label, group, load)


def _ids(path: Path) -> str:
    match = ID.match(path.name)
    return match.group(1) if match else path.stem


def _dresscode_kind(path: Path) -> str:
    number = int(_ids(path))
    if number >= DRESSCODE_DRESSES:
        return "dress"
    return "bottom" if DRESSCODE_BOTTOMS[0] <= number <= DRESSCODE_BOTTOMS[1] else "top"


def _products(root: Path) -> Iterator[Sample]:
    for path in sorted((root / "garments/ootd").glob("*.jpg")):
        if path.stem.endswith("_1"):
            yield _file(root, path, _dresscode_kind(path), f"dresscode:{_ids(path)}")
        else:
            yield _file(root, path, "top", f"viton:{_ids(path)}")
    for folder in ("garments/idm", "vitonhd/paired/cloth", "vitonhd/sample6/test/cloth"):
        for path in sorted((root / folder).glob("*.jpg")):
            yield _file(root, path, "top", f"viton:{_ids(path)}")
    for sub, label in (("shirts", "top"), ("jackets", "top"), ("pants", "bottom")):
        for path in sorted((root / "openvto/clothes" / sub).glob("*.jpg")):
            yield _file(root, path, label, f"openvto:{sub}:{path.stem.split('_')[0]}")
    for path in sorted((root / "shoes/saleor").glob("*.png")):
        yield _file(root, path, "shoes", f"saleor:{path.stem.rsplit('-', 1)[0]}")
    for path in sorted((root / "shoes/myntra").glob("*.jpg")):
        yield _file(root, path, "shoes", f"myntra:{path.stem}")


def _people(root: Path) -> Iterator[Sample]:
    persons = sorted((root / "vitonhd/persons").glob("*.jpg"))
    step = max(1, len(persons) // N_PERSONS)
    for path in persons[::step][:N_PERSONS]:
        yield _file(root, path, "none", f"viton:{_ids(path)}")
    for folder in ("vitonhd/paired/image", "vitonhd/sample6/test/image", "halfbody"):
        for path in sorted((root / folder).glob("*.*")):
            yield _file(root, path, "none", f"viton:{_ids(path)}")
    for path in sorted((root / "fullbody").glob("*.jpg")):
        yield _file(root, path, "none", f"dresscode:{_ids(path)}")
    for path in sorted((root / "dresscode_sample/dresscode").glob("*/images/*.jpg")):
        yield _file(root, path, "none", f"dresscode:{_ids(path)}")
    for folder in ("openvto/people", "openvto/avatars"):
        for path in sorted((root / folder).glob("*.jpg")):
            yield _file(root, path, "none", f"openvto:{path.relative_to(root)}")
    for path in sorted((root / "openvto/people").glob("*_posture.jpg")):
        for corner in range(4):
            yield Sample(f"{path.relative_to(root)}#corner{corner}", "none",
                         f"openvto:{path.relative_to(root)}", _corner(path, corner))


def _corner(path: Path, corner: int) -> Loader:
    def load() -> tuple[np.ndarray, np.ndarray | None]:
        rgb = decode_image(path).rgb
        height, width = rgb.shape[:2]
        h, w = round(CORNER * height), round(CORNER * width)
        top = 0 if corner < 2 else height - h
        left = 0 if corner % 2 == 0 else width - w
        return np.ascontiguousarray(rgb[top:top + h, left:left + w]), None
    return load


def _package_pictures() -> Iterator[Sample]:
    """Pictures shipped inside installed wheels (scikit-learn, Matplotlib): scenes, a person,
    a logo, a gift box."""
    import matplotlib
    import sklearn

    sk = Path(sklearn.__file__).parent / "datasets" / "images"
    mpl = Path(matplotlib.get_data_path()) / "sample_data"
    for path in (sk / "china.jpg", sk / "flower.jpg", mpl / "grace_hopper.jpg",
                 mpl / "Minduka_Present_Blue_Pack.png", mpl / "logo2.png"):
        if path.is_file():
            yield _file(path.parent, path, "none", f"package:{path.name}")
            if path.suffix == ".jpg":
                for corner in range(4):
                    yield Sample(f"package/{path.name}#corner{corner}", "none",
                                 f"package:{path.name}", _corner(path, corner))


def _drawn(index: int) -> Loader:
    """A drawn object on white (or a full-frame pattern), seeded by ``index``."""
    def load() -> tuple[np.ndarray, np.ndarray | None]:
        rng = np.random.default_rng(index)
        side = DRAWN_SIDE
        canvas = np.full((side, side, 3), 255, np.uint8)
        colour = tuple(int(v) for v in rng.integers(0, 230, 3))
        centre = (int(rng.integers(side // 3, 2 * side // 3)),
                  int(rng.integers(side // 3, 2 * side // 3)))
        size = (int(rng.integers(side // 8, side // 2.4)), int(rng.integers(side // 8,
                                                                              side // 2.4)))
        shape = index % 8
        if shape == 0:
            cv2.rectangle(canvas, (centre[0] - size[0], centre[1] - size[1]),
                          (centre[0] + size[0], centre[1] + size[1]), colour, -1)
        elif shape == 1:
            cv2.circle(canvas, centre, size[0], colour, max(4, size[0] // 4))  # a ring
        elif shape == 2:
            cv2.ellipse(canvas, centre, size, float(rng.uniform(0, 180)), 0, 360, colour, -1)
        elif shape == 3:
            angles = np.linspace(0, 2 * np.pi, 11)[:-1]
            radii = np.where(np.arange(10) % 2 == 0, size[0], size[0] * 0.45)
            points = np.stack([centre[0] + radii * np.cos(angles),
                               centre[1] + radii * np.sin(angles)], axis=1)
            cv2.fillPoly(canvas, [points.astype(np.int32)], colour)
        elif shape == 4:
            period = int(rng.integers(8, 48))
            stripes = (np.arange(side) // period) % 2 == 0
            canvas[stripes] = colour
        elif shape == 5:
            ramp = np.linspace(0, 1, side, dtype=np.float32)[None, :, None]
            other = rng.integers(0, 255, 3)
            canvas = (ramp * np.array(colour) + (1 - ramp) * other).astype(np.uint8)
            canvas = np.ascontiguousarray(np.broadcast_to(canvas, (side, side, 3)))
        elif shape == 6:
            noise = rng.integers(0, 255, (side // 8, side // 8, 3), dtype=np.uint8)
            canvas = cv2.resize(noise, (side, side), interpolation=cv2.INTER_CUBIC)
        else:
            for line in range(int(rng.integers(3, 9))):
                cv2.putText(canvas, "".join(rng.choice(list("abcdefghij klmnop"), 14)),
                            (10, 40 + 40 * line), cv2.FONT_HERSHEY_SIMPLEX, 1.0, colour, 2)
        return canvas, None
    return load


def catalog_samples(root: str | Path) -> list[Sample]:
    """Every labelled sample under ``root`` (``../shared/data``) plus the package pictures and
    drawn objects; products first; photos seen twice (the same file under two folders) once."""
    root = Path(root)
    seen: set[str] = set()
    out: list[Sample] = []
    for sample in (*_products(root), *_people(root)):
        digest = hashlib.sha1(Path(root / sample.name.split("#")[0]).read_bytes()).hexdigest()
        key = digest + sample.name.partition("#")[2]
        if key not in seen:
            seen.add(key)
            out.append(sample)
    out.extend(_package_pictures())
    out.extend(Sample(f"drawn/{index}", "none", f"drawn:{index}", _drawn(index))
               for index in range(N_DRAWN))
    return out


def _rank(group: str) -> str:
    return hashlib.sha1(group.encode()).hexdigest()


def split(samples: list[Sample]) -> tuple[list[Sample], list[Sample]]:
    """(train, held_out): every :data:`HELD_OUT_EVERY`-th group of each label (groups in hash
    order, a group counted under the label of its first sample) is held out."""
    first_label: dict[str, str] = {}
    for sample in samples:
        first_label.setdefault(sample.group, sample.label)
    held: set[str] = set()
    for label in LABELS:
        groups = sorted((g for g, lab in first_label.items() if lab == label), key=_rank)
        held.update(groups[HELD_OUT_PHASE::HELD_OUT_EVERY])
    return ([s for s in samples if s.group not in held],
            [s for s in samples if s.group in held])
