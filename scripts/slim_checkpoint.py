"""Write the smallest checkpoint training can go on from (EMA generator and discriminator in
half precision, no optimiser states): ``python scripts/slim_checkpoint.py SOURCE OUT``.

Used to commit a run's state between sessions (``checkpoints/``); resume by copying it to the
run folder as ``checkpoint.pt`` and running the same ``tryon-train`` command again.
"""

from __future__ import annotations

import sys
from pathlib import Path

from training.trainer import slim_checkpoint

if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python scripts/slim_checkpoint.py SOURCE OUT")
    out = slim_checkpoint(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
