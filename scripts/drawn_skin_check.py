"""Drawn skin against the real skin it stands for: ``python scripts/drawn_skin_check.py
[--data ../shared/data] [--split tune|check] [--limit N] [--sheet OUT.png] [--json OUT.json]``.

Where a new top leaves the body bare and the photo shows the old top, the scene draws skin
(:mod:`tryon.kinds.top.drawn_skin`). No photo shows what is under an old top, so this check
makes one: VITON-HD persons whose upper chest (0 to 0.25 body units below the neck's base,
0.3 each side of the body's middle) is mostly strict skin (camisoles, tank tops, deep
necklines; ``--split tune``: among the first 700 persons, ``check``: the rest; three
skin-coloured tops that pass the test are left out) are given a synthetic navy old top over
the neck's base, the chest and the shoulders, a camisole is tried on, and the skin drawn is
compared with the real skin under the navy: mean ΔE (Lab on OpenCV's 0–255 scale), mean and
mean absolute lightness difference, and the floor a flat patch of the real chest's own
median colour would score. Also how far the drawn skin's mean colour lies from the real
skin's. ``--sheet`` writes real | occluded | tried on crops of the first 12 to look at.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tryon.body.person import PersonAnalysis  # noqa: E402
from tryon.errors import TryOnError  # noqa: E402
from tryon.kinds.top.region import skin_colour, top_region  # noqa: E402
from tryon.pipeline import TryOnEngine  # noqa: E402

TUNE_PERSONS = 700  # the first persons (sorted by name) the rules were tuned on
CHEST_ROWS = (0.0, 0.25)  # body units below the neck's base: the upper chest
CHEST_HALF = 0.3  # body units each side of the body's middle
BARE_SHARE = 0.5  # of the upper chest strict skin: a bare chest
SKIN_COLOURED_TOPS = ("00261_00.jpg", "02327_00.jpg", "04615_00.jpg")  # pass, are tops
OCCLUDED_ROWS = (-0.08, 1.3)  # body units below the neck's base: the synthetic old top
OCCLUDED_HALF = 0.55  # body units each side of the body's middle
NAVY = np.array([38.0, 48.0, 88.0])  # RGB of the synthetic old top
NAVY_GRAIN = 3.0  # RGB units of noise on it
CAMISOLES = ("vitonhd/paired/cloth/08348_00.jpg", "vitonhd/paired/cloth/09933_00.jpg")
MIN_DRAWN = 0.05  # square body units of drawn skin over real skin worth scoring
SHEET_ROWS = 12
SHEET_TILE = (300, 150)  # (width, height) of a sheet row


def body_frame(person: PersonAnalysis, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """(across, down): (H, W) float32 body units of every pixel from the neck's base, across
    the body and down the torso."""
    pose = person.pose
    base, down = pose.neck_base, pose.torso_down
    side = np.array([-down[1], down[0]])
    ys, xs = np.mgrid[0:shape[0], 0:shape[1]].astype(np.float32)
    across = ((xs - base[0]) * side[0] + (ys - base[1]) * side[1]) / pose.unit_px
    along = ((xs - base[0]) * down[0] + (ys - base[1]) * down[1]) / pose.unit_px
    return across, along


def bare_chest(photo: np.ndarray, person: PersonAnalysis) -> bool:
    """Whether the upper chest is mostly strict skin (:data:`BARE_SHARE`)."""
    across, down = body_frame(person, photo.shape[:2])
    chest = ((down > CHEST_ROWS[0]) & (down < CHEST_ROWS[1]) & (np.abs(across) < CHEST_HALF)
             & person.person_mask)
    if not chest.any():
        return False
    return float(top_region(photo, person).skin[chest].mean()) > BARE_SHARE


def occluded(photo: np.ndarray, person: PersonAnalysis,
             rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(the photo with a navy old top painted over the neck's base, chest and shoulders,
    that top's (H, W) bool mask)."""
    across, down = body_frame(person, photo.shape[:2])
    mask = (person.person_mask & (down > OCCLUDED_ROWS[0]) & (down < OCCLUDED_ROWS[1])
            & (np.abs(across) < OCCLUDED_HALF))
    navy = NAVY + rng.normal(0.0, NAVY_GRAIN, photo.shape[:2] + (1,))
    out = photo.copy()
    out[mask] = np.clip(navy[mask], 0, 255).astype(np.uint8)
    return out, mask


def lab(picture: np.ndarray) -> np.ndarray:
    """(H, W, 3) float64 Lab on OpenCV's 0-255 scale."""
    return cv2.cvtColor(picture, cv2.COLOR_RGB2LAB).astype(np.float64)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--split", default="tune", choices=("tune", "check"))
    parser.add_argument("--limit", type=int, default=0, help="at most this many persons")
    parser.add_argument("--sheet", help="write real | occluded | tried on crops here (PNG)")
    parser.add_argument("--json", help="write the rows here (JSON)")
    args = parser.parse_args(argv)
    persons = sorted((Path(args.data) / "vitonhd" / "persons").glob("*.jpg"))
    persons = persons[:TUNE_PERSONS] if args.split == "tune" else persons[TUNE_PERSONS:]
    rng = np.random.default_rng(0)
    rows, tiles = [], []
    with TryOnEngine() as engine:
        for path in persons:
            if path.name in SKIN_COLOURED_TOPS:
                continue
            photo = np.array(Image.open(path).convert("RGB"))
            try:
                person = engine.analyzer.analyze(photo)
            except TryOnError:
                continue
            if skin_colour(photo, person.regions.skin, person.regions.face_core) is None:
                continue
            if not bare_chest(photo, person):
                continue
            fake, top = occluded(photo, person, rng)
            camisole = Path(args.data) / CAMISOLES[len(rows) % len(CAMISOLES)]
            try:
                result = engine.run(fake, camisole, kind="top")
            except TryOnError:
                continue
            assert result.scene is not None
            drawn = (np.any(result.scene.photo != result.working, axis=2) & top
                     & (result.scene.garment_mask < 0.5) & person.regions.skin)
            unit = person.pose.unit_px
            if drawn.sum() < MIN_DRAWN * unit * unit:
                continue
            real, made = lab(photo)[drawn], lab(result.image)[drawn]
            rows.append({
                "person": path.name, "pixels": int(drawn.sum()),
                "delta_e": float(np.linalg.norm(made - real, axis=1).mean()),
                "delta_l": float((made[:, 0] - real[:, 0]).mean()),
                "flat_floor": float(np.linalg.norm(real - np.median(real, axis=0),
                                                   axis=1).mean()),
                "tone_distance": float(np.linalg.norm(made.mean(0) - real.mean(0)))})
            if args.sheet and len(tiles) < SHEET_ROWS:
                ys, xs = np.nonzero(drawn)
                box = (slice(max(0, ys.min() - 20), ys.max() + 20),
                       slice(max(0, xs.min() - 20), xs.max() + 20))
                tile = np.concatenate([photo[box], fake[box], result.image[box]], axis=1)
                tiles.append(np.array(Image.fromarray(tile).resize(SHEET_TILE)))
            if args.limit and len(rows) >= args.limit:
                break
    if not rows:
        print("no bare-chested persons found")
        return 1
    for row in rows:
        print(f"{row['person']}  ΔE {row['delta_e']:5.1f}  ΔL {row['delta_l']:+6.1f}  "
              f"flat floor {row['flat_floor']:5.1f}  tone {row['tone_distance']:5.1f}")
    summary = {name: float(np.mean([row[name] for row in rows]))
               for name in ("delta_e", "delta_l", "flat_floor", "tone_distance")}
    summary["abs_delta_l"] = float(np.mean([abs(row["delta_l"]) for row in rows]))
    print(f"{len(rows)} persons ({args.split}): ΔE {summary['delta_e']:.2f} (a flat patch of "
          f"the real chest's median: {summary['flat_floor']:.2f}), ΔL "
          f"{summary['delta_l']:+.2f} (|ΔL| {summary['abs_delta_l']:.2f}), drawn tone "
          f"{summary['tone_distance']:.2f} from the real skin's mean")
    if args.sheet:
        Image.fromarray(np.concatenate(tiles, axis=0)).save(args.sheet)
    if args.json:
        Path(args.json).write_text(json.dumps({"summary": summary, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
