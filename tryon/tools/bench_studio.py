"""``tryon bench``'s Studio figures (``studio_ms``): colourways, materials, sketch → product
and sampled designs.

Every entry is ``{"median", "p90"}`` in ms over ``runs`` timed calls per input (after one
untimed warm-up call per input for the whole pipelines, two for the networks alone), or
``{"skipped": "<code>: <message>"}`` when its model file is missing or not a model of its
contract (or, for ``material``, its swatch cannot be cut); the other entries are timed all the
same. The inputs are read (and the swatch cut) before timing.

- ``variant_lab``, ``variant_gan``: :func:`tryon.studio.make_variant` (``parts="main"``,
  ``kind="auto"``, ``method="lab"`` or ``"gan"``) of each of :data:`STUDIO_PRODUCTS` in
  :data:`STUDIO_COLOUR`, from the file's bytes to the RGBA variant and its figures (decode,
  cut-out, kind classifier, parts, recolouring, measuring); ``by_input``: per product.
- ``colourway_network``: one ``session.run`` of ``models/colourway.onnx`` alone, batch 1 at
  its native size (:data:`tryon.studio.colourway.SIZE`) on random inputs in [-1, 1], opened as
  the runtime opens it (CPU provider, :data:`tryon.studio.gan.THREADS` threads).
- ``design``: :func:`tryon.studio.design.make_design` of each of :data:`STUDIO_SKETCHES` in
  :data:`STUDIO_COLOUR`, from the file's bytes to the RGBA product (reading the drawing, the
  model, mask clean-up, colour match, upscaling); ``by_input``: per sketch.
- ``sketch_network``: the same as ``colourway_network`` for ``models/sketch.onnx``
  (:data:`tryon.studio.sketch.SIZE`, :data:`tryon.studio.design.THREADS` threads).
- ``material``: :func:`tryon.studio.material.make_material_variant` (``parts="main"``,
  ``kind="auto"``, seed 0) of each of :data:`STUDIO_PRODUCTS` in the material of a swatch cut
  once, untimed, by :func:`tryon.tools.material_eval.cut_swatch` from :data:`STUDIO_SWATCH`
  (a bundled MIT demo photo) and passed as an RGB array: from the product file's bytes to
  the RGBA variant and its figures (swatch checks, decode, cut-out, kind classifier, parts,
  quilting, transfer, measuring); ``swatch`` (no ``colour``), ``by_input``: per product. It
  needs no model file.
- ``samples``: :func:`tryon.studio.sampling.make_samples` of :data:`SAMPLES_COUNT` design,
  seed :data:`SAMPLES_SEED`, with ``models/samples.onnx`` (loaded before timing): the
  latents, the network, mask clean-up and upscaling to the RGBA product; ``count``,
  ``model`` (the file).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.studio import colourway as cw
from tryon.studio import design, gan, sampling
from tryon.studio import sketch as sk
from tryon.studio.colour import parse_colour
from tryon.studio.material import make_material_variant
from tryon.studio.onnx_model import open_studio_model
from tryon.studio.variant import make_variant
from tryon.tools import DEMO_ASSETS
from tryon.tools import bench_generator as gen
from tryon.tools.material_eval import cut_swatch

__all__ = ["COLOURWAY", "SAMPLES_COUNT", "SAMPLES_SEED", "SKETCH", "STUDIO_COLOUR",
           "STUDIO_ENTRIES", "STUDIO_PRODUCTS", "STUDIO_SKETCHES", "STUDIO_SWATCH",
           "StudioNetwork", "studio_figures", "studio_inputs", "studio_swatch", "time_designs",
           "time_materials", "time_network", "time_samples", "time_variants"]

STUDIO_PRODUCTS = ("shoes/blue-plimsolls.png", "tops/white-tee.jpg")  # under DEMO_ASSETS
STUDIO_SKETCHES = ("sketches/sneaker.png",)  # under DEMO_ASSETS
STUDIO_COLOUR = "#7b1e2b"  # burgundy, as in the README's and docs/studio.md's examples
STUDIO_SWATCH = "tops/denim-jacket.jpg"  # under DEMO_ASSETS (MIT, LICENSE-openvto.txt)
SAMPLES_COUNT = 1  # designs per make_samples call
SAMPLES_SEED = 0
STUDIO_ENTRIES = ("variant_lab", "variant_gan", "colourway_network", "design",
                  "sketch_network", "material", "samples")
PIPELINE_WARM = 1  # untimed calls per input: the models and the classifier load on the first
INPUT_SEED = 0
Inputs = tuple[tuple[str, bytes], ...]


@dataclass(frozen=True)
class StudioNetwork:
    """What timing one Studio model alone needs: ``name`` (as in its error messages), its
    ``default`` file, its contract's ``check`` of the metadata, ``input`` and ``outputs``
    names, input ``channels``, native ``size`` (H, W) in model pixels and the ``threads``
    its runtime gives ONNX Runtime."""

    name: str
    default: Path
    check: Callable[[Mapping[str, str]], str | None]
    input: str
    outputs: tuple[str, ...]
    channels: int
    size: tuple[int, int]
    threads: int


COLOURWAY = StudioNetwork("colourway", gan.DEFAULT_MODEL, cw.check_metadata, cw.INPUT,
                          (cw.OUTPUT,), cw.IN_CHANNELS, cw.SIZE, gan.THREADS)
SKETCH = StudioNetwork("sketch", design.DEFAULT_MODEL, sk.check_metadata, sk.INPUT,
                       sk.OUTPUTS, sk.IN_CHANNELS, sk.SIZE, design.THREADS)


def studio_inputs(names: tuple[str, ...], assets: Path = DEMO_ASSETS) -> Inputs:
    """(stem, file bytes) of each of ``names`` (paths under ``assets``); ``bad_argument``
    when one is missing."""
    paths = [assets / name for name in names]
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"demo assets are missing: {', '.join(missing)}")
    return tuple((path.stem, path.read_bytes()) for path in paths)


def studio_swatch(assets: Path = DEMO_ASSETS) -> np.ndarray:
    """The (side, side, 3) uint8 RGB swatch :func:`~tryon.tools.material_eval.cut_swatch`
    cuts from :data:`STUDIO_SWATCH` under ``assets``; ``bad_argument`` when it is missing."""
    path = assets / STUDIO_SWATCH
    if not path.is_file():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"demo assets are missing: {path}")
    swatch, _ = cut_swatch(path)
    return swatch


def studio_figures(runs: int, colourway_model: str | Path | None = None,
                   sketch_model: str | Path | None = None,
                   samples_model: str | Path | None = None,
                   assets: Path = DEMO_ASSETS) -> dict[str, dict[str, object]]:
    """Every entry of :data:`STUDIO_ENTRIES` (module doc), ms; ``colourway_model``,
    ``sketch_model`` and ``samples_model`` default to ``models/colourway.onnx``,
    ``models/sketch.onnx`` and ``models/samples.onnx``."""
    products = studio_inputs(STUDIO_PRODUCTS, assets)
    sketches = studio_inputs(STUDIO_SKETCHES, assets)
    return {
        "variant_lab": _or_skipped(lambda: time_variants(products, "lab", None, runs)),
        "variant_gan": _or_skipped(lambda: time_variants(products, "gan", colourway_model,
                                                         runs)),
        "colourway_network": _or_skipped(lambda: time_network(COLOURWAY, colourway_model,
                                                              runs)),
        "design": _or_skipped(lambda: time_designs(sketches, sketch_model, runs)),
        "sketch_network": _or_skipped(lambda: time_network(SKETCH, sketch_model, runs)),
        "material": _or_skipped(lambda: time_materials(products, studio_swatch(assets), runs)),
        "samples": _or_skipped(lambda: time_samples(samples_model, runs)),
    }


def time_variants(products: Inputs, method: str, model_path: str | Path | None,
                  runs: int) -> dict[str, object]:
    """ms of :func:`~tryon.studio.make_variant` of each of ``products`` ((name, file
    bytes)) in :data:`STUDIO_COLOUR` by ``method`` ("lab" or "gan"; ``model_path`` for the
    GAN): ``{"median", "p90"}`` over every product and run, ``colour``, ``by_input``. Raises
    ``refiner_unavailable`` (before anything is timed) when the GAN's model is not usable."""
    model = None if model_path is None else str(model_path)
    if method == "gan":
        gan.default_gan(model)  # loaded once here; make_variant finds it in the cache
    times = {name: gen.timed(functools.partial(make_variant, data, STUDIO_COLOUR,
                                               method=method, model_path=model),
                             runs, warm=PIPELINE_WARM)
             for name, data in products}
    return _pooled(times, colour=STUDIO_COLOUR)


def time_designs(sketches: Inputs, model_path: str | Path | None,
                 runs: int) -> dict[str, object]:
    """ms of :func:`~tryon.studio.design.make_design` of each of ``sketches`` ((name, file
    bytes)) in :data:`STUDIO_COLOUR`: ``{"median", "p90"}`` over every sketch and run,
    ``colour``, ``by_input``. Raises ``refiner_unavailable`` when the model is not usable."""
    model = design.default_model(None if model_path is None else str(model_path))
    colour = parse_colour(STUDIO_COLOUR)
    times = {name: gen.timed(functools.partial(design.make_design, data, colour, model),
                             runs, warm=PIPELINE_WARM)
             for name, data in sketches}
    return _pooled(times, colour=STUDIO_COLOUR)


def time_materials(products: Inputs, swatch: np.ndarray, runs: int) -> dict[str, object]:
    """ms of :func:`~tryon.studio.material.make_material_variant` of each of ``products``
    ((name, file bytes)) in the material of ``swatch`` (an RGB array, cut from
    :data:`STUDIO_SWATCH`): ``{"median", "p90"}`` over every product and run, ``swatch``
    (its source), ``by_input``. Needs no model file."""
    times = {name: gen.timed(functools.partial(make_material_variant, data, swatch),
                             runs, warm=PIPELINE_WARM)
             for name, data in products}
    return _pooled(times, swatch=STUDIO_SWATCH)


def time_samples(model_path: str | Path | None, runs: int) -> dict[str, object]:
    """ms of one :func:`~tryon.studio.sampling.make_samples` call (:data:`SAMPLES_COUNT`
    design, seed :data:`SAMPLES_SEED`) with ``model_path`` (default
    ``models/samples.onnx``), loaded before timing: ``{"median", "p90"}``, ``count``,
    ``model`` (the file). Raises ``refiner_unavailable`` when the model is not usable."""
    model = sampling.default_model(None if model_path is None else str(model_path))
    step = functools.partial(sampling.make_samples, SAMPLES_COUNT, seed=SAMPLES_SEED,
                             model=model)
    return {**gen.summarise(gen.timed(step, runs, warm=PIPELINE_WARM)),
            "count": SAMPLES_COUNT, "model": str(model.model_path)}


def time_network(network: StudioNetwork, model_path: str | Path | None,
                 runs: int) -> dict[str, object]:
    """ms of one ``session.run`` of ``network``'s model (``model_path``, default its
    ``default`` file) at batch 1 and its native size on seeded random inputs in [-1, 1]:
    ``{"median", "p90"}``, ``input`` (the shape), ``model`` (the file). Raises
    ``refiner_unavailable`` for a missing file or one not of the network's contract."""
    path, session, _ = open_studio_model(model_path, network.default, network.name,
                                         "nothing to time", network.check, network.threads)
    shape = (1, network.channels, *network.size)
    feed = {network.input: np.random.default_rng(INPUT_SEED).uniform(
        -1.0, 1.0, shape).astype(np.float32)}
    step = functools.partial(session.run, list(network.outputs), feed)
    return {**gen.summarise(gen.timed(step, runs)), "input": list(shape), "model": str(path)}


def _pooled(times: dict[str, list[float]], **about: str) -> dict[str, object]:
    """``{"median", "p90"}`` ms over all of ``times`` (input name → ms samples), ``about``
    (what the inputs were made into: ``colour`` or ``swatch``) and ``by_input`` (the same
    per input)."""
    samples = [ms for values in times.values() for ms in values]
    return {**gen.summarise(samples), **about,
            "by_input": {name: gen.summarise(values) for name, values in times.items()}}


def _or_skipped(measure: Callable[[], dict[str, object]]) -> dict[str, object]:
    """``measure()``, or ``{"skipped": "<code>: <message>"}`` when it raises
    :class:`TryOnError` (a missing or unusable model)."""
    try:
        return measure()
    except TryOnError as exc:
        return {"skipped": str(exc)}
