"""Kinds of item: one home per kind (top, bottom, dress, shoes).

Each kind lives in its own sub-package (product analysis, fit, old-item region, composite)
and is driven through one :class:`~tryon.kinds.base.KindStrategy`, registered in
:mod:`tryon.kinds.registry`. The pipeline runs every kind the same way.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["AUTO", "KIND_CHOICES", "Kind"]


class Kind(str, Enum):
    """A kind of item. Its value is the name used on the command line, in JSON and the UI."""

    TOP = "top"
    BOTTOM = "bottom"
    DRESS = "dress"
    SHOES = "shoes"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


AUTO = "auto"  # ask the engine to tell the kind from the product photo
KIND_CHOICES: tuple[str, ...] = (AUTO, *(kind.value for kind in Kind))
