"""Unpaired evaluation (``tryon eval --unpaired``): tops tried on persons who do not wear them,
the results' realism scored by KID and FID on Inception features against real photos of other
persons, beside the same scores for real photos (the floor: what a perfect engine would get).

The sets, all drawn deterministically from ``seed``:

- try-ons: the sorted pictures of the persons folder from ``offset`` on (e.g. past the photos
  a refiner was trained on), at most ``limit``; person i gets garment ``order[i mod G]`` of a
  seeded permutation of the G garments (the next one when it has the person's file name, a
  paired sample); pairs whose try-on raises :class:`TryOnError` are counted as failures;
- real photos: the pictures of the real folder (``tryon eval``'s default: the persons folder
  past ``offset``) minus the persons tried on, in seeded order; the first N (N = successful
  try-ons) form the floor set, the next ones, at most ``real_limit``, the reference set;
- scores: KID and FID of the try-ons against the reference set, and of the floor set against
  the same reference set; both compared sets have N pictures, so the two rows are comparable
  (FID's bias depends on N).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.decode import decode_image
from tryon.tools.realism import KID_SUBSET_SIZE, KID_SUBSETS, KidScore, fid, kid

if TYPE_CHECKING:
    from tryon.pipeline import TryOnEngine

__all__ = ["DEFAULT_LIMIT", "DEFAULT_REAL_LIMIT", "IMAGE_SUFFIXES", "Scores", "UnpairedPlan",
           "UnpairedReport", "Features", "plan_unpaired", "evaluate_unpaired", "list_pictures",
           "format_report"]

DEFAULT_LIMIT = 64
DEFAULT_REAL_LIMIT = 512
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp"})
MIN_SET = 2  # KID and FID need at least two pictures per set

# (H, W, 3) uint8 RGB pictures → (N, D) features, e.g. tryon.tools.inception.InceptionFeatures.
Features = Callable[[Iterable[np.ndarray]], np.ndarray]


@dataclass(frozen=True)
class Scores:
    """KID and FID of one set of pictures against the reference set."""

    kid: KidScore
    fid: float

    def as_dict(self) -> dict[str, object]:
        return {"kid": self.kid.as_dict(), "fid": round(self.fid, 4)}


@dataclass(frozen=True)
class UnpairedPlan:
    """``tries``: (person, garment) paths in order; ``real``: the real photos not tried on,
    in seeded order (floor set first, then the reference set)."""

    tries: tuple[tuple[Path, Path], ...]
    real: tuple[Path, ...]


@dataclass(frozen=True)
class UnpairedReport:
    """``pairs``: try-ons that gave a result; ``failed``: "person garment: code";
    ``tryons``/``floor``: scores of the results and of ``pairs`` real photos against ``real``
    reference photos (None when fewer than 2 try-ons succeeded); ``providers``: the refiner's
    ONNX Runtime providers, None when it did not run."""

    pairs: int
    failed: tuple[str, ...]
    tryons: Scores | None
    floor: Scores | None
    real: int
    providers: tuple[str, ...] | None
    seed: int

    @property
    def refined(self) -> bool:
        return self.providers is not None

    def as_dict(self) -> dict[str, object]:
        """The ``--json`` object."""
        kid_score = self.tryons.kid if self.tryons else None
        return {"pairs": self.pairs, "failed": list(self.failed),
                "kid": kid_score.as_dict() if kid_score else None,
                "fid": self.tryons.as_dict()["fid"] if self.tryons else None,
                "floor": ({**self.floor.as_dict(), "photos": self.pairs} if self.floor
                          else None),
                "real": self.real, "refined": self.refined,
                "provider": list(self.providers) if self.providers is not None else None,
                "kid_subsets": kid_score.subsets if kid_score else KID_SUBSETS,
                "kid_subset_size": kid_score.subset_size if kid_score else None,
                "seed": self.seed}


def list_pictures(folder: str | Path, what: str) -> list[Path]:
    """The JPEG/PNG/WebP files of ``folder``, sorted by name; ``bad_argument`` when it is not a
    folder or holds none (``what`` names it in the message)."""
    path = Path(folder)
    if not path.is_dir():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{what} folder {path} does not exist")
    pictures = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")
                      and p.suffix.lower() in IMAGE_SUFFIXES)
    if not pictures:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{what} folder {path} holds no picture")
    return pictures


def plan_unpaired(persons: Sequence[Path], garments: Sequence[Path], real: Sequence[Path], *,
                  limit: int = DEFAULT_LIMIT, offset: int = 0, seed: int = 0) -> UnpairedPlan:
    """The try-ons and the ordered real photos (see the module docstring); ``bad_argument`` when
    ``limit`` < 2, ``offset`` < 0, no person is left past ``offset`` or fewer than twice as
    many real photos as try-ons remain (the floor and the reference set need N each)."""
    if limit < MIN_SET:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--limit must be >= {MIN_SET}, got {limit}")
    if offset < 0:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--offset must be >= 0, got {offset}")
    chosen = list(persons)[offset:offset + limit]
    if not chosen:
        raise TryOnError(ErrorCode.BAD_ARGUMENT,
                         f"no person photo past --offset {offset} ({len(persons)} in the folder)")
    if not garments:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, "no garment to try on")
    rng = np.random.default_rng(seed)
    order = [garments[i] for i in rng.permutation(len(garments))]
    tries = []
    for index, person in enumerate(chosen):
        garment = order[index % len(order)]
        if garment.stem == person.stem and len(order) > 1:  # the person's own top: paired
            garment = order[(index + 1) % len(order)]
        tries.append((person, garment))
    tried = {person.resolve() for person in chosen}
    others = [path for path in real if path.resolve() not in tried]
    if len(others) < 2 * len(chosen):
        raise TryOnError(ErrorCode.BAD_ARGUMENT,
                         f"{len(chosen)} try-ons need at least {2 * len(chosen)} real photos of "
                         f"other persons (the floor set and the reference set), found "
                         f"{len(others)}")
    ordered = tuple(others[i] for i in rng.permutation(len(others)))
    return UnpairedPlan(tries=tuple(tries), real=ordered)


def evaluate_unpaired(plan: UnpairedPlan, engine: TryOnEngine, features: Features, *,
                      real_limit: int = DEFAULT_REAL_LIMIT, seed: int = 0,
                      progress: Callable[[str, int, int], None] | None = None
                      ) -> UnpairedReport:
    """Run the plan's try-ons (``kind="top"``), extract features of the results, of as many
    real photos (floor) and of up to ``real_limit`` further real photos (reference), and score
    both sets against the reference. ``progress(stage, done, total)`` is called with stage
    "try-on" per pair and "real" per real photo. A real photo that cannot be decoded is an
    error (``bad_image`` naming the file)."""
    if real_limit < MIN_SET:
        raise TryOnError(ErrorCode.BAD_ARGUMENT,
                         f"--real-limit must be >= {MIN_SET}, got {real_limit}")
    outcome = _Outcome()
    tryon_features = features(_try_ons(plan.tries, engine, outcome, progress))
    pairs = len(tryon_features)
    if pairs < MIN_SET:
        return UnpairedReport(pairs=pairs, failed=tuple(outcome.failed), tryons=None,
                              floor=None, real=0, providers=outcome.providers, seed=seed)
    reference_count = min(real_limit, len(plan.real) - pairs)
    real_features = features(_real_photos(plan.real[:pairs + reference_count], progress))
    floor, reference = real_features[:pairs], real_features[pairs:]
    return UnpairedReport(pairs=pairs, failed=tuple(outcome.failed),
                          tryons=_scores(tryon_features, reference, seed),
                          floor=_scores(floor, reference, seed), real=len(reference),
                          providers=outcome.providers, seed=seed)


@dataclass
class _Outcome:
    """What the try-on loop reports besides the pictures."""

    failed: list[str] = field(default_factory=list)
    providers: tuple[str, ...] | None = None


def format_report(report: UnpairedReport) -> str:
    """The plain-text table of ``tryon eval --unpaired``: failures, then one row for the
    try-ons and one for the real-photo floor (KID mean ± std over the subsets, FID)."""
    lines = [f"failed {failure}" for failure in report.failed]
    if report.tryons is None or report.floor is None:
        return "\n".join([*lines, f"{report.pairs} try-ons succeeded: KID and FID need "
                          f"at least {MIN_SET}"])
    refiner = ", ".join(report.providers) if report.providers else "not refined"
    lines += [f"{report.pairs} try-ons ({len(report.failed)} failed); refiner: {refiner}; "
              f"reference: {report.real} real photos; KID over {report.tryons.kid.subsets} "
              f"subsets of {report.tryons.kid.subset_size} (seed {report.seed})",
              f"{'':22} {'KID':>19} {'FID':>9}"]
    for name, scores in (("try-ons", report.tryons),
                         (f"real photos (floor, {report.pairs})", report.floor)):
        score = f"{scores.kid.mean:.5f} ± {scores.kid.std:.5f}"
        lines.append(f"{name:22} {score:>19} {scores.fid:9.2f}")
    return "\n".join(lines)


def _scores(features: np.ndarray, reference: np.ndarray, seed: int) -> Scores:
    """KID (same seed: the same reference subsets for every compared set) and FID."""
    return Scores(kid=kid(features, reference, KID_SUBSETS, KID_SUBSET_SIZE, seed),
                  fid=fid(features, reference))


def _try_ons(tries: Sequence[tuple[Path, Path]], engine: TryOnEngine, outcome: _Outcome,
             progress: Callable[[str, int, int], None] | None) -> Iterator[np.ndarray]:
    """The result pictures of the try-ons that succeed; failures and the refiner's providers
    go into ``outcome``."""
    for index, (person, garment) in enumerate(tries):
        try:
            result = engine.run(person, garment, kind="top")
        except TryOnError as exc:
            outcome.failed.append(f"{person.name} {garment.name}: {exc.code.value}")
        else:
            outcome.providers = result.providers or outcome.providers
            yield result.image
        if progress is not None:
            progress("try-on", index + 1, len(tries))


def _real_photos(paths: Sequence[Path],
                 progress: Callable[[str, int, int], None] | None) -> Iterator[np.ndarray]:
    """The RGB pictures of ``paths``, decoded as the engine decodes a person photo."""
    for index, path in enumerate(paths):
        try:
            yield decode_image(path).rgb
        except TryOnError as exc:
            raise TryOnError(exc.code, f"real photo {path}: {exc.message}") from None
        if progress is not None:
            progress("real", index + 1, len(paths))
