"""The Studio: product variants made from a catalog photo (issue 14).

Colourways: :func:`~tryon.studio.variant.make_variant` finds the product's main colour
region (:mod:`tryon.studio.parts`) and renders it in a requested colour, either with the
colourway GAN (:mod:`tryon.studio.gan`, contract :mod:`tryon.studio.colourway`, model
``models/colourway.onnx``) or by the Lab baseline (:mod:`tryon.studio.recolour`); see
``docs/studio.md``.

Sketch → product: :func:`~tryon.studio.design.make_design` turns a line drawing of a shoe and
a colour into an RGBA product photo (contract :mod:`tryon.studio.sketch`, model
``models/sketch.onnx``); see ``docs/design.md``.

Materials: :func:`~tryon.studio.material.make_material_variant` makes the main region of the
swatch photo's material (quilted texture, the product's shading kept; a non-learned
baseline); see ``docs/materials.md``.

Sampled designs: :mod:`tryon.studio.sampling` (a small GAN, contract
:mod:`tryon.studio.samples`, model ``models/samples.onnx``) with a novelty check
(:mod:`tryon.studio.novelty`); see ``docs/design.md``.
"""

from tryon.studio.colour import delta_e_2000, parse_colour
from tryon.studio.material import MaterialVariant, make_material_variant
from tryon.studio.variant import PARTS_CHOICES, Variant, make_variant

__all__ = ["PARTS_CHOICES", "MaterialVariant", "Variant", "delta_e_2000",
           "make_material_variant", "make_variant", "parse_colour"]
