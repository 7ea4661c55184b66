"""``tryon-train --config FILE [group.key=value ...]``: train the try-on or colourway GAN.

``task: tryon`` (the default) trains the refinement GAN (:mod:`training.trainer`);
``task: colourway`` the colourway GAN of the Studio (:mod:`training.colourway`);
``task: sketch`` the sketch → product model (:mod:`training.sketch`); ``task: samples`` the
sampled-designs GAN (:mod:`training.samples`).

Runs on the CPU, a GPU, or several GPUs/nodes with ``torchrun --nproc_per_node=N -m
training.cli --config FILE``. Bad configs end with exit status 2 and one ``error:`` line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tryon-train", description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="experiment YAML file")
    parser.add_argument("overrides", nargs="*", help="group.key=value, e.g. run.steps=10")
    args = parser.parse_args(argv)
    from training.config import load_config

    try:
        config = load_config(Path(args.config), args.overrides)
    except (OSError, ValueError) as exc:
        print(f"error: bad_argument: {exc}", file=sys.stderr)
        return 2
    from training.trainer import Trainer

    if config.task == "colourway":
        from training.colourway import ColourwayTrainer as Trainer  # noqa: N814
    elif config.task == "sketch":
        from training.sketch import SketchTrainer as Trainer  # noqa: N814
    elif config.task == "samples":
        from training.samples import SamplesTrainer as Trainer  # noqa: N814
    elif config.task != "tryon":
        print(f"error: bad_argument: unknown task {config.task!r}; use tryon, colourway, "
              "sketch or samples",
              file=sys.stderr)
        return 2
    try:
        checkpoint = Trainer(config).fit()
    except FileNotFoundError as exc:
        print(f"error: bad_argument: {exc}", file=sys.stderr)
        return 2
    print(f"checkpoint: {checkpoint}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
