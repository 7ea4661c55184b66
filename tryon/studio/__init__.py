"""The Studio: product variants made from a catalog photo (issue 14).

So far only the colourway baseline exists: :func:`~tryon.studio.variant.make_variant` finds
the product's main colour region (:mod:`tryon.studio.parts`) and moves it to a requested
colour in Lab (:mod:`tryon.studio.recolour`), shading kept. The GANs the issue asks for
(colourways that survive large lightness changes, materials, sketches, sampled designs) are
not built yet; see ``docs/studio.md``.
"""

from tryon.studio.colour import delta_e_2000, parse_colour
from tryon.studio.variant import PARTS_CHOICES, Variant, make_variant

__all__ = ["PARTS_CHOICES", "Variant", "delta_e_2000", "make_variant", "parse_colour"]
