"""The one table of kinds: which strategy serves each :class:`~tryon.kinds.Kind`, and how
"auto" is resolved from a product's cut-out."""

from __future__ import annotations

import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.kinds import AUTO, KIND_CHOICES, Kind
from tryon.kinds.base import KindStrategy
from tryon.kinds.bottom.kind import BottomKind
from tryon.kinds.bottom.product import looks_like_bottom
from tryon.kinds.dress.kind import DressKind
from tryon.kinds.dress.product import looks_like_dress
from tryon.kinds.shoes.kind import ShoesKind
from tryon.kinds.shoes.product import looks_like_shoes
from tryon.kinds.top.kind import TopKind

__all__ = ["STRATEGIES", "detect_kind", "parse_kind", "strategy_for"]

STRATEGIES: dict[Kind, KindStrategy] = {
    Kind.TOP: TopKind(),
    Kind.BOTTOM: BottomKind(),
    Kind.DRESS: DressKind(),
    Kind.SHOES: ShoesKind(),
}


def parse_kind(kind: object) -> Kind | None:
    """``kind`` ("auto" or a :class:`Kind` value) as a Kind, None for "auto"; anything else
    raises ``bad_argument``, a known kind without a strategy ``unsupported_kind``."""
    if isinstance(kind, str) and kind == AUTO:
        return None
    if not isinstance(kind, str) or kind not in KIND_CHOICES:
        raise TryOnError(ErrorCode.BAD_ARGUMENT,
                         f"unknown kind {kind!r}; use one of " + ", ".join(KIND_CHOICES))
    chosen = Kind(kind)
    if chosen not in STRATEGIES:
        raise TryOnError(ErrorCode.UNSUPPORTED_KIND, f"kind {kind!r} is not supported yet")
    return chosen


def detect_kind(alpha: np.ndarray) -> Kind:
    """The kind of a product from its cut-out coverage ((H, W) float32 in [0, 1]): shoes
    (wide or in two parts), a bottom (a crotch gap between legs, or a skirt's straight
    waistband widening down), a dress (tall and narrow), else a top."""
    if looks_like_shoes(alpha):
        return Kind.SHOES
    if looks_like_bottom(alpha):
        return Kind.BOTTOM
    if looks_like_dress(alpha):
        return Kind.DRESS
    return Kind.TOP


def strategy_for(kind: Kind) -> KindStrategy:
    """The strategy registered for ``kind``."""
    return STRATEGIES[kind]
