"""The human-readable table that ``tryon bench`` prints (``--json`` prints the dict itself)."""

from __future__ import annotations

from typing import Any

__all__ = ["format_report", "studio_lines"]

STAGE_NAMES = {"decode": "decode", "person": "pose (person)", "item": "item preparation",
               "fit": "fit", "compose": "compose", "refine": "refine"}
STUDIO_NAMES = {"variant_lab": "colourway, Lab (make_variant)",
                "variant_gan": "colourway, GAN (make_variant)",
                "colourway_network": "colourway network alone",
                "design": "sketch → product (make_design)",
                "sketch_network": "sketch network alone",
                "material": "material (make_material_variant)",
                "samples": "sampled design (make_samples)"}


def format_report(report: dict[str, Any]) -> str:
    """Lines of text for a :func:`tryon.tools.bench.run_bench` report."""
    machine = report["machine"]
    height, width = report["size"]
    lines = [f"tryon bench: {height}×{width} results, provider {report['provider']}, "
             f"{report['runs']} passes, warm engine, caches cleared per run",
             f"machine: {machine['cpu']}, {machine['cores']} cores, "
             f"onnxruntime {machine['onnxruntime']}; model: {report['model']}", "",
             _header(report["kinds"])]
    stages = report["stages_ms"]
    kinds = report["kinds"]
    for stage, name in STAGE_NAMES.items():
        lines.append(f"{name:18}" + "".join(_cell(stages[kind][stage]) for kind in kinds))
    ends = report["end_to_end_ms"]
    lines.append(f"{'end to end':18}" + "".join(_cell(ends[kind]) for kind in kinds))
    met = report["target_met"]
    verdicts = ", ".join(f"{kind} {'met' if met[kind] else 'NOT met'}" for kind in kinds)
    runs = ", ".join(f"{report['samples'][kind]} {kind}" for kind in kinds)
    lines.append(f"target ≤ {report['target_ms']:.0f} ms median: {verdicts} ({runs} runs)")
    same = ends["top_same_photo"]
    lines.append(f"another top on a photo already analysed (pose cached): median "
                 f"{same['median']:.1f} ms, p90 {same['p90']:.1f} ms")
    for skipped in report["skipped"]:
        lines.append(f"skipped {skipped}")
    batch = report["batch"]
    lines += ["", f"batch: {batch['done']} of {batch['pairs']} try-ons in {batch['seconds']:.2f} s"
              f" = {batch['per_second']:.2f} try-ons/s (generator batches of "
              f"{batch['batch_size']}, {len(batch['failures'])} failed)"]
    if "big_photo" in report:
        lines += ["", _big_photo_line(report["big_photo"])]
    if "catalog" in report:
        catalog = report["catalog"]
        lines += ["", f"catalog: index build {catalog['index_ms_per_image']['median']:.1f} ms "
                  f"per picture ({catalog['images']} pictures), more-like-this query "
                  f"{catalog['query_ms']['median']:.1f} ms median (describe + {catalog['k']} "
                  "nearest)"]
    if "generator" in report:
        lines += ["", *_generator_lines(report["generator"])]
    if "studio_ms" in report:
        lines += ["", *studio_lines(report["studio_ms"])]
    return "\n".join(lines)


def _header(kinds: list[str]) -> str:
    """The table's first line: one "<kind> median / p90" column per kind."""
    return f"{'stage (ms)':18}" + "".join(f" {kind + ' median':>13} {'p90':>7}" for kind in kinds)


def _cell(figures: dict[str, Any]) -> str:
    """One kind's median and p90 in its column."""
    return f" {figures['median']:13.1f} {figures['p90']:7.1f}"


def _big_photo_line(big: dict[str, Any]) -> str:
    height, width = big["size"]
    work_height, work_width = big["work_size"]
    return (f"big photo {width}×{height} ({height * width / 1e6:.0f} MP, worked on at "
            f"{work_width}×{work_height}): median {big['big_ms']['median']:.0f} ms, "
            f"p90 {big['big_ms']['p90']:.0f} ms = {big['big_over_work']:.2f}× the "
            f"{work_width}×{work_height} photo ({big['work_ms']['median']:.0f} ms), "
            f"{big['big_over_top']:.1f}× a top at the bench size")


def _generator_lines(generator: dict[str, Any]) -> list[str]:
    lines = ["generator alone (ms, median / p90):"]
    for entry in generator["sizes"]:
        shape = "×".join(str(v) for v in entry["input"])
        text = f"  {shape:14} onnxruntime {_ms(entry['onnxruntime_ms'])}"
        if "onnxruntime_fp16_ms" in entry:
            text += f", fp16 {_ms(entry['onnxruntime_fp16_ms'])}"
        text += f"; PyTorch {_ms(entry['torch_ms'])}"
        if "torch_over_onnxruntime" in entry:
            text += f"; PyTorch/ORT = {entry['torch_over_onnxruntime']:.2f}"
        lines.append(text)
    batch = generator["batch"]
    shape = "×".join(str(v) for v in batch["input"])
    lines.append(f"  {shape:14} onnxruntime {_ms(batch['onnxruntime_ms'])} = "
                 f"{batch['images_per_second']} images/s")
    lines.append(f"  ({generator['note']})")
    return lines


def _ms(figures: dict[str, Any]) -> str:
    if "median" not in figures:
        return figures.get("note", "n/a")
    return f"{figures['median']:.1f} / {figures['p90']:.1f}"


def studio_lines(studio: dict[str, Any]) -> list[str]:
    """The "Studio models" section: one line per entry of :data:`STUDIO_NAMES` (ms, median /
    p90; the pipelines' inputs and colour or swatch, the networks' input shape), or why it
    was skipped."""
    lines = ["Studio models (ms, median / p90):"]
    for key, name in STUDIO_NAMES.items():
        entry = studio.get(key, {"skipped": "not measured"})
        if "skipped" in entry:
            lines.append(f"  {name:32} skipped ({entry['skipped']})")
            continue
        text = f"  {name:32} {_ms(entry)}"
        if "input" in entry:
            text += " at " + "×".join(str(v) for v in entry["input"])
        if "by_input" in entry:
            made = (f"in {entry['colour']}" if "colour" in entry
                    else f"with swatch {entry['swatch']}")
            text += f" {made}: " + ", ".join(
                f"{item} {_ms(figures)}" for item, figures in entry["by_input"].items())
        lines.append(text)
    return lines
