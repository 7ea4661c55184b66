"""``tryon-export --mobile OUT_DIR``: the handoff package for phone teams.

Layout of ``OUT_DIR``::

    manifest.json                        every file (sha256, size), inputs/outputs, steps
    generator/generator-256x192-fp32.onnx (.ort, .required_operators.config, .usability.txt)
    generator/generator-256x192-{fp16,int8}.* and generator-512x384-*.*
    catalog/catalog-224x224-{fp32,fp16,int8}.*
    golden/<model>-<size>/<case>.inputs.npy           real inputs (MIT demo photos)
    golden/<model>-<size>-<precision>/<case>.<output>.npy   expected outputs per variant

Each variant has fixed shapes (batch 1), the mobile rewrites of :mod:`export.mobile.graph`,
and is checked by :mod:`export.check_mobile` before the manifest is written.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import onnx

from export.mobile import graph, manifest, ort_tools, scenes
from tryon.catalog import contract as catalog_contract
from tryon.generator import contract

__all__ = ["DEFAULT_CATALOG", "DEFAULT_GENERATOR", "GENERATOR_SIZES", "PRECISIONS",
           "TOLERANCES", "MobileOptions", "build_package", "in_picture", "run_model"]

REPO = Path(__file__).resolve().parents[2]
DEFAULT_GENERATOR = REPO / "models" / "generator.onnx"
DEFAULT_CATALOG = REPO / "models" / "catalog.onnx"
GENERATOR_SIZES: tuple[tuple[int, int], ...] = (contract.TRAIN_SIZE,
                                               (2 * contract.TRAIN_SIZE[0],
                                                2 * contract.TRAIN_SIZE[1]))
CATALOG_SIZE = (catalog_contract.INPUT_SIDE, catalog_contract.INPUT_SIDE)
PRECISIONS = ("fp32", "fp16", "int8")
CALIBRATION_SCENES = 32
USABILITY_SHIPPED = ("## The file as shipped: python -m onnxruntime.tools."
                     "check_onnx_model_mobile_usability --skip_optimize FILE")
USABILITY_DEFAULT = ("## As the tool runs by default (after ONNX Runtime's basic optimisation "
                     "for the CPU provider,\n## which decomposes the fp16 ops that provider "
                     "lacks: not what an NNAPI/CoreML session sees)")
# Per model and precision: the largest |output - expected| a variant may show on its golden
# vectors (its own .onnx and .ort on any CPU), and the largest mean |output - fp32 expected|
# (a broken conversion shows far more). In the outputs' units: the generator's rgb in
# [-1, 1], weights in [0, 1]; the catalog's embedding unnormalised (values up to about 6).
TOLERANCES: dict[str, dict[str, dict[str, float]]] = {
    "generator": {"fp32": {"max_abs": 1e-3, "mean_abs_vs_fp32": 1e-4},
                  "fp16": {"max_abs": 3e-2, "mean_abs_vs_fp32": 1e-3},
                  "int8": {"max_abs": 0.25, "mean_abs_vs_fp32": 0.03}},
    "catalog": {"fp32": {"max_abs": 1e-3, "mean_abs_vs_fp32": 1e-4},
                "fp16": {"max_abs": 5e-2, "mean_abs_vs_fp32": 1e-2},
                "int8": {"max_abs": 0.5, "mean_abs_vs_fp32": 0.2}},
}


@dataclass(frozen=True)
class MobileOptions:
    """What :func:`build_package` writes: the ``generator`` source model and its ``sizes``,
    the ``catalog`` model (None: left out), the ``precisions``, ``calibration`` scenes (and
    product photos) for int8, read from ``data`` (``../shared/data``)."""

    generator: Path = DEFAULT_GENERATOR
    catalog: Path | None = DEFAULT_CATALOG
    sizes: tuple[tuple[int, int], ...] = GENERATOR_SIZES
    precisions: tuple[str, ...] = PRECISIONS
    calibration: int = CALIBRATION_SCENES
    data: Path = scenes.SHARED_DATA


@dataclass
class _Variant:
    model: str
    size: tuple[int, int]
    precision: str
    files: dict[str, Path] = field(default_factory=dict)
    partitions: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.model}-{self.size[0]}x{self.size[1]}-{self.precision}"

    @property
    def golden(self) -> str:
        return f"{self.model}-{self.size[0]}x{self.size[1]}"


def in_picture(output: np.ndarray, picture: Sequence[int] | None) -> np.ndarray:
    """``output`` (N, C, H, W) cut to its first ``picture`` = (rows, columns), the part that
    shows the photo; all of it when ``picture`` is None (a model without picture outputs)."""
    if picture is None:
        return output
    rows, columns = picture
    return output[..., :rows, :columns]


def run_model(path: Path, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
    """Outputs of ``path`` (.onnx or .ort) in ONNX Runtime on the CPU, one thread."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(path), sess_options=options,
                                   providers=["CPUExecutionProvider"])
    return session.run(None, feeds)


def build_package(out: Path, options: MobileOptions = MobileOptions(),
                  log: Callable[[str], None] = print) -> Path:
    """Write the package into ``out`` (created; must be empty or absent); returns the manifest's
    path. Raises ``FileNotFoundError`` when the photos for calibration are missing."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    source_meta = {p.key: p.value for p in onnx.load(str(options.generator),
                                                     load_external_data=False).metadata_props}
    log(f"making real scenes ({options.calibration} for calibration, demo photos for golden)")
    calibration = [s for _, s in scenes.real_scenes(
        scenes.calibration_pairs(options.calibration, options.data), limit=options.calibration)]
    golden = scenes.real_scenes(scenes.demo_pairs())
    variants: list[_Variant] = []
    goldens: dict[str, list[dict[str, Any]]] = {}
    for size in options.sizes:
        golden_inputs = {pair.label: scenes.generator_inputs(scene, size)
                         for pair, scene in golden}
        pictures = {pair.label: scenes.picture_size(scene, size) for pair, scene in golden}
        samples = [scenes.generator_inputs(scene, size) for scene in calibration]
        variants += _model_variants(out, "generator", options.generator, size, "inputs",
                                    options.precisions, samples, golden_inputs, goldens, log,
                                    extra_meta={"train_size": f"{size[0]}x{size[1]}",
                                                "trained_at": source_meta.get("train_size",
                                                                              "")},
                                    pictures=pictures)
    if options.catalog is not None:
        items = scenes.catalog_inputs(scenes.calibration_items(options.calibration,
                                                               options.data))
        demo = {item.label: x for item, x in scenes.catalog_inputs(scenes.demo_items())}
        variants += _model_variants(out, "catalog", options.catalog, CATALOG_SIZE,
                                    catalog_contract.INPUT_NAME, options.precisions,
                                    [x for _, x in items], demo, goldens, log, extra_meta={})
    models: dict[str, Any] = {"generator": {**manifest.generator_description(source_meta),
                                            "source": options.generator.name,
                                            "source_sha256": manifest.sha256(options.generator)}}
    if options.catalog is not None:
        models["catalog"] = {**manifest.catalog_description(), "source": options.catalog.name,
                             "source_sha256": manifest.sha256(options.catalog)}
    document = {
        "manifest": manifest.MANIFEST_VERSION,
        "version": source_meta.get("version", "unknown"),
        "created": time.strftime("%Y-%m-%d"),
        "calibration": {**ort_tools.QUANTIZATION, "scenes": len(calibration),
                        "photos": "VITON-HD persons (not trained on) with VITON-HD in-shop "
                                  "tops, and the demo photos; catalog: product photos"},
        "tolerances": TOLERANCES,
        "models": models,
        "variants": [_describe(v, out) for v in variants],
        "golden": goldens,
        "files": _files(out, variants),
    }
    path = out / "manifest.json"
    path.write_text(json.dumps(document, indent=2) + "\n")
    log(f"wrote {path} ({len(document['files'])} files, "
        f"{time.perf_counter() - start:.0f} s)")
    return path


def _model_variants(out: Path, model: str, source: Path, size: tuple[int, int], input_name: str,
                    precisions: Sequence[str], samples: Sequence[np.ndarray],
                    golden_inputs: dict[str, np.ndarray],
                    goldens: dict[str, list[dict[str, Any]]], log: Callable[[str], None],
                    extra_meta: dict[str, str],
                    pictures: dict[str, tuple[int, int]] | None = None) -> list[_Variant]:
    """Every precision of ``model`` at ``size``, its ORT file, report and golden outputs;
    ``pictures``: per golden case, the (rows, columns) of the outputs that show the photo
    (the rest is padding that the runtime discards), for a model with picture outputs."""
    folder = out / model
    folder.mkdir(exist_ok=True)
    channels = 3 if model == "catalog" else contract.IN_CHANNELS
    fixed = graph.fixed_shape_model(source, {input_name: [1, channels, *size]})
    made: list[_Variant] = []
    cases = _write_golden_inputs(out, f"{model}-{size[0]}x{size[1]}", golden_inputs)
    reference: dict[str, list[np.ndarray]] = {}
    # fp32 always: the base of the others and the reference of their golden vectors.
    for precision in ("fp32", *[p for p in precisions if p != "fp32"]):
        variant = _Variant(model, size, precision)
        path = folder / f"{variant.name}.onnx"
        if precision == "fp32":
            proto = fixed
        elif precision == "fp16":
            proto = graph.to_fp16(fixed)
        else:
            proto = None
            ort_tools.quantize_int8(folder / f"{model}-{size[0]}x{size[1]}-fp32.onnx", path,
                                    input_name, samples)
        if proto is not None:
            onnx.helper.set_model_props(proto, {**{p.key: p.value for p in proto.metadata_props},
                                                **extra_meta, "precision": precision})
            onnx.save(proto, str(path))
        else:
            _set_meta(path, {**extra_meta, "precision": precision})
        variant.files["onnx"] = path
        variant.files["ort"], variant.files["config"] = ort_tools.convert_to_ort(path)
        default, shipped = ort_tools.usability_report(path)
        usability = path.with_suffix(".usability.txt")
        usability.write_text(f"{USABILITY_SHIPPED}\n\n{shipped}\n{USABILITY_DEFAULT}\n\n"
                             f"{default}")
        variant.files["usability"] = usability
        variant.partitions = _partitions(shipped)
        outputs = {label: run_model(path, {input_name: x}) for label, x in golden_inputs.items()}
        if precision == "fp32":
            reference = outputs
        case_rows = _write_golden_outputs(out, variant, outputs, reference, cases, pictures)
        goldens.setdefault(variant.golden, [])
        goldens[variant.golden] += case_rows
        made.append(variant)
        log(f"  {variant.name}: {path.stat().st_size / 1e6:.1f} MB; "
            + "; ".join(f"{k} {v}" for k, v in variant.partitions.items()))
    return made


def _set_meta(path: Path, values: dict[str, str]) -> None:
    proto = onnx.load(str(path))
    onnx.helper.set_model_props(proto, {**{p.key: p.value for p in proto.metadata_props},
                                        **values})
    onnx.save(proto, str(path))


def _write_golden_inputs(out: Path, key: str, inputs: dict[str, np.ndarray]) -> dict[str, str]:
    folder = out / "golden" / key
    folder.mkdir(parents=True, exist_ok=True)
    cases = {}
    for label, array in inputs.items():
        path = folder / f"{label}.inputs.npy"
        np.save(path, array)
        cases[label] = str(path.relative_to(out))
    return cases


def _write_golden_outputs(out: Path, variant: _Variant, outputs: dict[str, list[np.ndarray]],
                          reference: dict[str, list[np.ndarray]], cases: dict[str, str],
                          pictures: dict[str, tuple[int, int]] | None) -> list[dict[str, Any]]:
    folder = out / "golden" / variant.name
    folder.mkdir(parents=True, exist_ok=True)
    names = _output_names(variant.files["onnx"])
    rows = []
    for label, arrays in outputs.items():
        picture = None if pictures is None else list(pictures[label])
        expected = {}
        for name, array in zip(names, arrays, strict=True):
            path = folder / f"{label}.{name}.npy"
            np.save(path, array)
            expected[name] = str(path.relative_to(out))
        differences = {name: np.abs(in_picture(a - r, picture))
                       for name, a, r in zip(names, arrays, reference[label], strict=True)}
        rows.append({"case": label, "variant": variant.name, "input": cases[label],
                     "expected": expected, **({} if picture is None else {"picture": picture}),
                     "fp32_expected": {name: str((out / "golden" / f"{variant.golden}-fp32" /
                                                  f"{label}.{name}.npy").relative_to(out))
                                       for name in names},
                     "vs_fp32": {name: {"max_abs": float(difference.max()),
                                        "mean_abs": float(difference.mean())}
                                 for name, difference in differences.items()}})
    return rows


def _output_names(path: Path) -> list[str]:
    return [o.name for o in onnx.load(str(path), load_external_data=False).graph.output]


def _partitions(report: str) -> dict[str, str]:
    """EP name → "N partitions, k/n nodes" from a usability report."""
    found = {}
    for line in report.splitlines():
        if "partitions with a total of" in line and "can be handled by the" in line:
            count, rest = line.split(" partitions with a total of ")
            nodes = rest.split(" nodes")[0]
            provider = rest.split("can be handled by the ")[1].replace(" EP.", "")
            found[provider] = f"{count.strip()} partition(s), {nodes} nodes"
    return found


def _describe(variant: _Variant, out: Path) -> dict[str, Any]:
    proto = onnx.load(str(variant.files["onnx"]), load_external_data=False)

    def shape(value: onnx.ValueInfoProto) -> list[int]:
        return [d.dim_value for d in value.type.tensor_type.shape.dim]

    return {"name": variant.name, "model": variant.model, "precision": variant.precision,
            "input_size": list(variant.size), "opset": next(
                o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")),
            "inputs": {v.name: shape(v) for v in proto.graph.input},
            "outputs": {v.name: shape(v) for v in proto.graph.output},
            "files": {kind: str(path.relative_to(out)) for kind, path in variant.files.items()},
            "usability": variant.partitions, "golden": variant.golden}


def _files(out: Path, variants: Sequence[_Variant]) -> dict[str, dict[str, Any]]:
    owner = {path: v for v in variants for path in v.files.values()}
    rows = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.name != "manifest.json"):
        variant = owner.get(path)
        rows[str(path.relative_to(out))] = {
            "sha256": manifest.sha256(path), "size": path.stat().st_size,
            "variant": variant.name if variant else None,
            "precision": variant.precision if variant else None,
            "input_size": list(variant.size) if variant else None,
            "kind": path.name.split(".", 1)[1] if "." in path.name else ""}
    return rows
