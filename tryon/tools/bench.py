"""``tryon bench``: how fast a try-on is, stage by stage, on the bundled demo photos.

What is measured (see ``docs/benchmarks.md``):

- Inputs: each demo person photo fitted into ``size`` (H, W) — scaled to fit, the rest
  filled with its own edge pixels — and encoded as JPEG (quality 95) in memory, so the result
  is exactly ``size``; the products are the demo files' bytes as they are. Nothing is read
  from disk while timing.
- ``end_to_end_ms``: :meth:`TryOnEngine.run` (decode → person → item → fit → compose →
  refine) on a warm engine (models loaded by a warm-up pass) with its caches cleared before
  every run: each run is a new shopper photo and a new product. ``top`` = every demo top on
  every demo photo, ``bottom``/``dress`` = every demo bottom or dress on every full-body
  photo, ``shoes`` = every demo shoe on every photo with feet; ``runs`` passes. A kind with no
  demo product (dresses: none may be bundled) is timed when ``catalog`` names a folder laid
  out like the demo's (``tops/``, ``bottoms/``, ``dresses/``, ``shoes/``).
  ``top_same_photo``: a further top on a photo already analysed (the pose comes from the
  cache), the kiosk case of one shopper trying several items.
- ``stages_ms``: the same runs' ``timings_ms`` per stage.
- ``batch``: :func:`tryon.tools.batch.run_batch` over every demo photo × item in memory (generator
  batches of ``batch_size``, no files written): try-ons per second.
- ``big_photo``: a phone-camera-sized photo — the demo studio photo upscaled to
  :data:`BIG_PHOTO_SIZE` (6000×8000, 48 MP) and encoded as a quality-90 JPEG — and the same
  picture at about 2 MP (the engine's working size), each with the first demo top, caches
  cleared: wall time from the JPEG bytes to the full-size ``result.image`` (median and p90
  of ``min(runs, BIG_PHOTO_RUNS)`` runs), and the ratios of the 48 MP median to the 2 MP one
  and to the normal ``top`` median.
- ``catalog``: the catalog model (:mod:`tryon.catalog`) on the demo folder: a full index
  build (every picture embedded, :func:`~tryon.catalog.index.update_index`) per picture, and
  a "more like this" query (a demo product described, then its 8 nearest neighbours found),
  medians over :data:`CATALOG_RUNS` builds and every demo product.
- ``generator``: the try-on generator alone (:mod:`tryon.tools.bench_generator`), ONNX Runtime
  against PyTorch (random weights of the same architecture), as a ratio: batch 1 at the
  model's train size, at :data:`GENERATOR_SIZES` (256×192, the size the runtime feeds the
  default model, and 512×384) and at ``size``, on a GPU also at :data:`GPU_SIZES` and in
  fp16; sizes are rounded up to the model's stride. Throughput at batch
  :data:`GENERATOR_BATCH` and the train size.
- ``studio_ms``: the Studio models (:mod:`tryon.tools.bench_studio`): a colourway by Lab and
  by the GAN (``variant_lab``, ``variant_gan``), the colourway network alone
  (``colourway_network``), sketch → product (``design``), the sketch network alone
  (``sketch_network``), a product in another material (``material``: the materials baseline
  with a swatch cut from the demo denim jacket; no model file) and one sampled design
  (``samples``, ``models/samples.onnx``), over the same ``runs``; an entry whose model file
  is missing or unusable is ``{"skipped": reason}``.
"""

from __future__ import annotations

import io
import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from tryon.errors import ErrorCode, TryOnError
from tryon.generator import contract
from tryon.generator.runtime import PROVIDERS
from tryon.imaging.decode import decode_image
from tryon.imaging.resolution import working_size
from tryon.kinds import Kind
from tryon.pipeline import TryOnEngine, TryOnResult
from tryon.tools import DEMO_ASSETS, bench_studio, demo_items, demo_people
from tryon.tools import bench_generator as gen
from tryon.tools.batch import BATCH_SIZE, run_batch

__all__ = ["BIG_PHOTO_SIZE", "BenchInputs", "TARGET_MS", "big_photo", "demo_inputs", "fit_photo",
           "generator_sizes", "machine", "parse_size", "run_bench"]

TARGET_MS = 250.0
GENERATOR_SIZES = ((256, 192), (512, 384))
GPU_SIZES = ((1024, 768),)
GENERATOR_BATCH = 8
BIG_PHOTO_SIZE = (8000, 6000)  # (H, W): a 48 MP phone photo
BIG_PHOTO_SOURCE = "woman-studio"
BIG_PHOTO_QUALITY = 90
BIG_PHOTO_RUNS = 3
CATALOG_RUNS = 3
SIMILAR_K = 8
STAGES = ("decode", "person", "item", "fit", "compose", "refine")
Log = Callable[[str], None]


@dataclass(frozen=True)
class BenchInputs:
    """``people``: (name, JPEG bytes at the bench size); ``items``: (name, file bytes) per
    kind, kinds without a product left out."""

    people: tuple[tuple[str, bytes], ...]
    items: dict[Kind, tuple[tuple[str, bytes], ...]]

    @property
    def tops(self) -> tuple[tuple[str, bytes], ...]:
        return self.items.get(Kind.TOP, ())

    @property
    def shoes(self) -> tuple[tuple[str, bytes], ...]:
        return self.items.get(Kind.SHOES, ())

    def all_items(self) -> list[tuple[str, bytes, Kind]]:
        """Every product as (name, bytes, kind), kind by kind."""
        return [(name, data, kind) for kind, items in self.items.items()
                for name, data in items]


def parse_size(text: str) -> tuple[int, int]:
    """``"512x384"`` → (512, 384) as (H, W); ``bad_argument`` for anything else."""
    parts = text.lower().replace("×", "x").split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"size {text!r} is not HxW, e.g. 512x384")
    height, width = (int(p) for p in parts)
    if min(height, width) < 64 or max(height, width) > 4096:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"size {text!r}: each side must be 64–4096")
    return height, width


def fit_photo(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """(H, W, 3) uint8 ``rgb`` scaled to fit inside ``size`` (h, w), centred, and padded to
    exactly ``size`` with its replicated edge pixels (the whole body stays in the picture)."""
    height, width = rgb.shape[:2]
    scale = min(size[0] / height, size[1] / width)
    new = (min(size[0], round(height * scale)), min(size[1], round(width * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    small = cv2.resize(rgb, (new[1], new[0]), interpolation=interpolation)
    top, left = (size[0] - new[0]) // 2, (size[1] - new[1]) // 2
    return cv2.copyMakeBorder(small, top, size[0] - new[0] - top, left,
                              size[1] - new[1] - left, cv2.BORDER_REPLICATE)


def demo_inputs(size: tuple[int, int], assets: Path = DEMO_ASSETS,
                catalog: Path | None = None) -> BenchInputs:
    """The demo photos fitted to ``size`` as JPEG bytes, and the demo products' bytes (with
    ``catalog``'s products added: a folder laid out like the demo's kind folders)."""
    people = []
    for path in demo_people(assets):
        buffer = io.BytesIO()
        Image.fromarray(fit_photo(decode_image(path).rgb, size)).save(buffer, "JPEG",
                                                                      quality=95)
        people.append((path.stem, buffer.getvalue()))
    found = demo_items(assets) + (demo_items(catalog) if catalog is not None else [])
    items: dict[Kind, list[tuple[str, bytes]]] = {}
    for path, kind in found:
        items.setdefault(kind, []).append((path.stem, path.read_bytes()))
    if not people or Kind.TOP not in items or Kind.SHOES not in items:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"demo assets are missing under {assets}")
    return BenchInputs(people=tuple(people),
                       items={kind: tuple(found) for kind, found in items.items()})


def big_photo(size: tuple[int, int] = BIG_PHOTO_SIZE, assets: Path = DEMO_ASSETS) -> bytes:
    """The demo studio photo stretched (bilinear) to ``size`` (H, W) and encoded as a
    quality-:data:`BIG_PHOTO_QUALITY` JPEG: a synthetic phone-camera photo."""
    rgb = decode_image(assets / "people" / f"{BIG_PHOTO_SOURCE}.jpg").rgb
    big = cv2.resize(rgb, (size[1], size[0]), interpolation=cv2.INTER_LINEAR)
    buffer = io.BytesIO()
    Image.fromarray(big).save(buffer, "JPEG", quality=BIG_PHOTO_QUALITY)
    return buffer.getvalue()


def machine() -> dict[str, object]:
    """CPU model, usable cores, Python and ONNX Runtime versions."""
    import onnxruntime as ort  # after tryon's package init (telemetry off)

    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return {"cpu": model, "cores": cores, "python": platform.python_version(),
            "onnxruntime": ort.__version__}


def run_bench(size: tuple[int, int] = (512, 384), runs: int = 5, provider: str = "auto",
              model_path: str | Path | None = None, log: Log | None = None,
              catalog: Path | None = None) -> dict[str, object]:
    """Every figure of ``tryon bench`` as one JSON-ready dict (keys as in the module doc);
    ``catalog``: a folder of further products (see :func:`demo_inputs`)."""
    if runs < 1:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--runs must be >= 1, got {runs}")
    if catalog is not None and not Path(catalog).is_dir():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--catalog {catalog} is not a folder")
    say = log or (lambda message: None)
    inputs = demo_inputs(size, catalog=None if catalog is None else Path(catalog))
    report: dict[str, object] = {"size": list(size), "runs": runs, "machine": machine()}
    with TryOnEngine(provider=provider, model_path=model_path) as engine:
        say("warming up (loading MediaPipe and the try-on model)")
        pairs, skipped = _pairs(engine, inputs)
        refiner = engine.refiner
        providers = list(refiner.providers) if refiner is not None else []
        report["provider"] = _short(providers[0]) if providers else "none (not refined)"
        report["providers"] = providers
        report["model"] = str(refiner.model_path) if refiner is not None else None
        report["skipped"] = skipped
        samples: dict[str, list[dict[str, float]]] = {
            kind.value: [] for kind in Kind if any(k == kind for *_, k in pairs)}
        for index in range(runs):
            say(f"pass {index + 1}/{runs}")
            for person, item, kind in pairs:
                engine.clear_caches()
                samples[kind.value].append(engine.run(person, item, kind).timings_ms)
        same_photo = _same_photo(engine, inputs, runs)
        report["kinds"] = list(samples)
        report["end_to_end_ms"] = {
            kind: gen.summarise([t["total"] for t in samples[kind]]) for kind in samples}
        report["end_to_end_ms"]["top_same_photo"] = gen.summarise(same_photo)
        report["stages_ms"] = {kind: {stage: gen.summarise([t.get(stage, 0.0) for t in times])
                                      for stage in STAGES} for kind, times in samples.items()}
        report["samples"] = {kind: len(times) for kind, times in samples.items()}
        report["target_ms"] = TARGET_MS
        report["target_met"] = {kind: report["end_to_end_ms"][kind]["median"] <= TARGET_MS
                                for kind in samples}
        say("batch throughput")
        engine.clear_caches()
        # Tops and shoes, as in earlier reports, so the figures stay comparable.
        batch = run_batch(engine, inputs.people, inputs.tops + inputs.shoes)
        report["batch"] = {**batch.as_dict(), "batch_size": BATCH_SIZE,
                           "failures": [str(failure) for failure in batch.failures]}
        say("big photo (48 MP)")
        report["big_photo"] = _big_photo(engine, inputs.tops[0][1], min(runs, BIG_PHOTO_RUNS),
                                         report["end_to_end_ms"]["top"]["median"])
        say("catalog: index build and similar-item queries")
        report["catalog"] = _catalog(min(runs, CATALOG_RUNS))
        if refiner is not None:
            say("generator: ONNX Runtime against PyTorch")
            report["generator"] = _generator(engine.model_path or refiner.model_path,
                                             refiner.metadata, refiner.train_size,
                                             refiner.stride, size, provider, runs,
                                             gpu=refiner.device == "cuda")
    say("Studio models: colourways and sketch → product")
    report["studio_ms"] = bench_studio.studio_figures(runs)
    return report


def _pairs(engine: TryOnEngine, inputs: BenchInputs
           ) -> tuple[list[tuple[bytes, bytes, Kind]], list[str]]:
    """The (photo, product, kind) pairs that give a result (one warm-up run each), and the
    pairs skipped with their error (shoes on a photo without feet, a bottom on a selfie)."""
    pairs, skipped = [], []
    for person, photo in inputs.people:
        for item, product, kind in inputs.all_items():
            try:
                engine.run(photo, product, kind)
            except TryOnError as exc:
                skipped.append(f"{person} × {item}: {exc.code.value}")
                continue
            pairs.append((photo, product, kind))
    if not any(kind == Kind.TOP for *_, kind in pairs) or not any(
            kind == Kind.SHOES for *_, kind in pairs):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, "the demo photos gave no top or no shoe result")
    return pairs, skipped


def _same_photo(engine: TryOnEngine, inputs: BenchInputs, runs: int) -> list[float]:
    """End-to-end ms of the 2nd, 3rd, ... top on a photo just analysed (pose from the
    cache, product not)."""
    times = []
    for _ in range(runs):
        for _, photo in inputs.people:
            engine.clear_caches()
            first: TryOnResult | None = None
            for _, product in inputs.tops:
                result = engine.run(photo, product, "top")
                if first is not None:
                    times.append(result.timings_ms["total"])
                first = result
    return times


def _big_photo(engine: TryOnEngine, product: bytes, runs: int,
               top_ms: float) -> dict[str, object]:
    """Wall ms of ``runs`` try-ons of ``product`` on the :func:`big_photo` at
    :data:`BIG_PHOTO_SIZE` and at the engine's working size, from the JPEG bytes to the
    full-size ``result.image``; the 48 MP median over the 2 MP one and over ``top_ms``."""
    big_size = BIG_PHOTO_SIZE
    work_size = working_size(*big_size, engine.work_pixels)
    figures: dict[str, object] = {"size": list(big_size), "work_size": list(work_size),
                                  "runs": runs}
    medians = {}
    for name, size in (("big", big_size), ("work", work_size)):
        photo = big_photo(size)
        times = []
        for _ in range(runs):
            engine.clear_caches()
            start = time.perf_counter()
            engine.run(photo, product, "top").image  # noqa: B018 - the full-size picture
            times.append(round((time.perf_counter() - start) * 1000, 2))
        summary = gen.summarise(times)
        figures[f"{name}_ms"] = summary
        medians[name] = summary["median"]
    figures["big_over_work"] = round(medians["big"] / medians["work"], 2)
    figures["big_over_top"] = round(medians["big"] / top_ms, 2)
    return figures


def _catalog(runs: int) -> dict[str, object]:
    """Index build ms per picture and query ms (describe + nearest) on the demo folder."""
    from tryon.catalog.classifier import default_models
    from tryon.catalog.index import update_index
    from tryon.catalog.model import describe_item
    from tryon.catalog.similar import nearest

    per_image = []
    images = 0
    for _ in range(runs):
        start = time.perf_counter()
        index, _ = update_index(DEMO_ASSETS)
        images = len(index)
        per_image.append(round((time.perf_counter() - start) * 1000 / max(images, 1), 2))
    embedder, _ = default_models()
    queries = []
    for path, _ in demo_items():
        decoded = decode_image(path)
        start = time.perf_counter()
        nearest(index, describe_item(embedder, decoded.rgb, decoded.alpha).embedding, SIMILAR_K)
        queries.append(round((time.perf_counter() - start) * 1000, 2))
    return {"images": images, "index_ms_per_image": gen.summarise(per_image),
            "query_ms": gen.summarise(queries), "k": SIMILAR_K}


def _generator(model: Path, metadata: dict[str, str], train_size: tuple[int, int],
               stride: int, size: tuple[int, int], provider: str, runs: int,
               gpu: bool) -> dict[str, object]:
    """ONNX Runtime and PyTorch latencies of the generator (batch 1 at :func:`generator_sizes`,
    on a GPU also in fp16) and their ratios, and the throughput at batch
    :data:`GENERATOR_BATCH`."""
    cores = int(machine()["cores"])
    timings = []
    for height, width in generator_sizes(train_size, stride, size, gpu):
        shape = (1, contract.IN_CHANNELS, height, width)
        entry: dict[str, object] = {"input": list(shape),
                                    "onnxruntime_ms": gen.time_onnx(model, provider, shape, runs)}
        if gpu:
            entry["onnxruntime_fp16_ms"] = gen.time_onnx(model, provider, shape, runs, "fp16")
        entry["torch_ms"] = gen.time_torch(metadata, shape, runs, cores,
                                           "cuda" if gpu else "cpu")
        ort_ms, torch_ms = entry["onnxruntime_ms"], entry["torch_ms"]
        if isinstance(ort_ms, dict) and isinstance(torch_ms, dict) and "median" in torch_ms:
            entry["torch_over_onnxruntime"] = round(torch_ms["median"] / ort_ms["median"], 2)
        timings.append(entry)
    shape = (GENERATOR_BATCH, contract.IN_CHANNELS, *train_size)
    batch = gen.time_onnx(model, provider, shape, runs)
    per_second = round(GENERATOR_BATCH * 1000 / batch["median"], 1) if "median" in batch else None
    return {"sizes": timings, "note": gen.TORCH_NOTE,
            "batch": {"input": list(shape), "onnxruntime_ms": batch,
                      "images_per_second": per_second}}


def generator_sizes(train_size: tuple[int, int], stride: int, size: tuple[int, int],
                    gpu: bool) -> list[tuple[int, int]]:
    """The (H, W) sizes the generator is timed at: its ``train_size`` first, then
    :data:`GENERATOR_SIZES`, the bench ``size`` and on a ``gpu`` :data:`GPU_SIZES`, each
    rounded up to a multiple of ``stride``, without repeats, smallest first after the
    train size."""
    def fit(hw: tuple[int, int]) -> tuple[int, int]:
        return (-(-hw[0] // stride) * stride, -(-hw[1] // stride) * stride)

    others = {fit(s) for s in (*GENERATOR_SIZES, size, *(GPU_SIZES if gpu else ()))}
    others.discard(fit(train_size))
    return [fit(train_size), *sorted(others, key=lambda hw: (hw[0] * hw[1], hw))]


def _short(name: str) -> str:
    """"CPUExecutionProvider" → "cpu"."""
    return next((short for short, full in PROVIDERS.items() if full == name), name)
