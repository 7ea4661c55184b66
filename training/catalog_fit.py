"""Fit the item-kind classifier: ``python -m training.catalog_fit --data ../shared/data
--out models/catalog_kinds.npz [--cache FEATURES.npz] [--cv]``.

Describes every sample of :mod:`training.catalog_data` with the catalog model
(``models/catalog.onnx``) and fits a class-balanced multinomial logistic regression
(scikit-learn) on the training groups: each training photo also mirrored, and garments also
with their hue turned, so colour does not decide the kind. The regularisation and the PCA
size of the embedding part are chosen by grouped cross-validation on the training groups
only; accuracy and the confusion matrix are reported on the held-out groups. ``--cv`` also
prints a grouped 5-fold confusion matrix over all photos. Writes the classifier in the
format :class:`tryon.catalog.classifier.KindClassifier` reads.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.preprocessing import StandardScaler

from training.catalog_data import LABELS, Sample, catalog_samples, split
from tryon.catalog.model import CatalogEmbedder, describe_items

__all__ = ["Fitted", "describe_samples", "fit", "main"]

AUGMENTS = ("plain", "mirror", "hue")
HUE_TURN = 60  # OpenCV hue units (0–180): a third of the circle
C_GRID = (0.01, 0.1, 1.0)
DIM_GRID: tuple[int | None, ...] = (16, 32, 64, None)  # PCA sizes of the embedding part
SCORE_TIE = 1e-4  # an equal score keeps the earlier (smaller) setting
EMBEDDING_DIM = 1280
FOLDS = 5
SEED = 0
MAX_ITER = 3000
BATCH = 32
LICENCE = ("CC BY-NC 4.0 (non-commercial): fitted on VITON-HD, DressCode, Myntra and other "
           "non-commercial photos of ../shared/data")


def _augmented(sample: Sample, augment: str) -> tuple[np.ndarray, np.ndarray | None]:
    rgb, alpha = sample.load()
    if augment in ("mirror", "hue"):
        rgb = np.ascontiguousarray(rgb[:, ::-1])
        alpha = None if alpha is None else np.ascontiguousarray(alpha[:, ::-1])
    if augment == "hue":
        hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
        hsv[..., 0] = (hsv[..., 0].astype(np.int32) + HUE_TURN) % 180
        rgb = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)
    return rgb, alpha


def describe_samples(embedder: CatalogEmbedder, jobs: Sequence[tuple[Sample, str]],
                     cache: dict[str, np.ndarray]) -> np.ndarray:
    """(N, F) classifier vectors of (sample, augment) jobs; ``cache`` (key
    ``name|augment``) is read and filled."""
    todo = [(s, a) for s, a in jobs if f"{s.name}|{a}" not in cache]
    start = time.time()
    for first in range(0, len(todo), BATCH):
        chunk = todo[first:first + BATCH]
        for (sample, augment), features in zip(
                chunk, describe_items(embedder, [_augmented(s, a) for s, a in chunk]),
                strict=True):
            cache[f"{sample.name}|{augment}"] = features.vector()
        print(f"  described {first + len(chunk)}/{len(todo)} ({time.time() - start:.0f} s)",
              flush=True)
    return np.stack([cache[f"{s.name}|{a}"] for s, a in jobs])


def _train_jobs(samples: Sequence[Sample]) -> list[tuple[Sample, str]]:
    jobs = []
    for sample in samples:
        augments = AUGMENTS if sample.label not in ("shoes", "none") else AUGMENTS[:2]
        jobs.extend((sample, augment) for augment in augments)
    return jobs


@dataclass(frozen=True)
class Fitted:
    """PCA of the embedding part (None: kept whole), standardisation, logistic regression."""

    pca: PCA | None
    scaler: StandardScaler
    model: LogisticRegression

    def inputs(self, x: np.ndarray) -> np.ndarray:
        if self.pca is None:
            return self.scaler.transform(x)
        reduced = self.pca.transform(x[:, :EMBEDDING_DIM])
        return self.scaler.transform(np.hstack([reduced, x[:, EMBEDDING_DIM:]]))

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.model.predict(self.inputs(x))

    def folded(self) -> tuple[np.ndarray, np.ndarray]:
        """(coef (C, F), intercept (C,)) of one linear map on the raw feature vector that
        equals PCA → standardisation → logistic regression (classes in :data:`LABELS`)."""
        order = [list(self.model.classes_).index(label) for label in LABELS]
        weights = self.model.coef_[order] / self.scaler.scale_
        intercept = self.model.intercept_[order] - weights @ self.scaler.mean_
        if self.pca is None:
            return weights, intercept
        dim = self.pca.n_components_
        on_embedding = weights[:, :dim] @ self.pca.components_
        intercept = intercept - on_embedding @ self.pca.mean_
        return np.hstack([on_embedding, weights[:, dim:]]), intercept


def fit(x: np.ndarray, y: np.ndarray, c: float, dim: int | None) -> Fitted:
    pca = PCA(n_components=dim, random_state=SEED).fit(x[:, :EMBEDDING_DIM]) if dim else None
    reduced = x if pca is None else np.hstack([pca.transform(x[:, :EMBEDDING_DIM]),
                                               x[:, EMBEDDING_DIM:]])
    scaler = StandardScaler().fit(reduced)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=MAX_ITER)
    return Fitted(pca, scaler, model.fit(scaler.transform(reduced), y))


def _choose(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> tuple[float, int | None]:
    """(C, PCA size) with the best mean per-class recall over grouped folds of the training
    set (the held-out photos play no part)."""
    folds = list(StratifiedGroupKFold(n_splits=FOLDS, shuffle=True,
                                      random_state=SEED).split(x, y, groups))
    best, best_score = (C_GRID[0], DIM_GRID[0]), -1.0
    for dim in DIM_GRID:
        for c in C_GRID:
            recalls = []
            for train, test in folds:
                matrix = confusion_matrix(y[test], fit(x[train], y[train], c, dim).predict(
                    x[test]), labels=list(LABELS))
                seen = matrix.sum(axis=1) > 0
                recalls.append(float((matrix.diagonal()[seen] / matrix.sum(axis=1)[seen]
                                      ).mean()))
            score = float(np.mean(recalls))
            print(f"  PCA {dim or 'none'}, C={c:g}: mean per-class recall {score:.3f}",
                  flush=True)
            if score > best_score + SCORE_TIE:
                best, best_score = (c, dim), score
    return best


def _table(matrix: np.ndarray) -> str:
    head = "| true \\ predicted | " + " | ".join(LABELS) + " | recall |\n"
    head += "|---" * (len(LABELS) + 2) + "|\n"
    rows = []
    for label, row in zip(LABELS, matrix, strict=True):
        recall = row[LABELS.index(label)] / row.sum() if row.sum() else float("nan")
        rows.append(f"| {label} | " + " | ".join(str(v) for v in row) + f" | {recall:.2f} |")
    return head + "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.catalog_fit")
    parser.add_argument("--data", required=True, help="../shared/data")
    parser.add_argument("--out", required=True, help="classifier file (.npz)")
    parser.add_argument("--cache", help="feature cache (.npz), read and updated")
    parser.add_argument("--cv", action="store_true", help="also grouped 5-fold CV on all")
    args = parser.parse_args(argv)
    samples = catalog_samples(args.data)
    train, held = split(samples)
    cache: dict[str, np.ndarray] = {}
    if args.cache and Path(args.cache).is_file():
        with np.load(args.cache) as stored:
            cache = {key: stored[key] for key in stored.files}
    embedder = CatalogEmbedder()
    try:
        jobs = _train_jobs(train)
        x = describe_samples(embedder, jobs, cache)
        x_held = describe_samples(embedder, [(s, "plain") for s in held], cache)
    finally:
        if args.cache:
            np.savez(args.cache, **cache)
    y = np.array([s.label for s, _ in jobs])
    groups = np.array([s.group for s, _ in jobs])
    y_held = np.array([s.label for s in held])
    c, dim = _choose(x, y, groups)
    fitted = fit(x, y, c, dim)
    predicted = fitted.predict(x_held)
    coef, intercept = fitted.folded()
    folded = np.array(LABELS)[np.argmax(x_held @ coef.T + intercept, axis=1)]
    assert (folded == predicted).all(), "the folded linear map must predict the same"
    matrix = confusion_matrix(y_held, predicted, labels=list(LABELS))
    accuracy = float((predicted == y_held).mean())
    print(f"held-out: {len(held)} photos, accuracy {accuracy:.3f} (C={c:g}, PCA {dim})")
    print(_table(matrix))
    for sample, got in zip(held, predicted, strict=True):
        if got != sample.label:
            print(f"  wrong: {sample.name} ({sample.label}) -> {got}")
    info = {"licence": LICENCE, "C": c, "pca": dim, "train_photos": len(train),
            "held_out_photos": len(held), "held_out_accuracy": round(accuracy, 4),
            "labels": list(LABELS), "held_out_confusion": matrix.tolist(),
            "split": "training.catalog_data.split (every 3rd group of each label, hash order)",
            "folded": "PCA, standardisation and the regression folded into coef/intercept"}
    features = x.shape[1]
    np.savez_compressed(args.out, mean=np.zeros(features, np.float32),
                        scale=np.ones(features, np.float32), coef=coef.astype(np.float32),
                        intercept=intercept.astype(np.float32), classes=np.array(LABELS),
                        info=np.array(json.dumps(info)))
    print(f"wrote {args.out} ({Path(args.out).stat().st_size / 1e3:.0f} kB)")
    if args.cv:
        _cross_validate(embedder, samples, cache, c, dim)
    return 0


def _cross_validate(embedder: CatalogEmbedder, samples: list[Sample],
                    cache: dict[str, np.ndarray], c: float, dim: int | None) -> None:
    """Grouped 5-fold CV over every photo: each predicted by a model not trained on it."""
    labels = np.array([s.label for s in samples])
    groups = np.array([s.group for s in samples])
    folds = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    matrix = np.zeros((len(LABELS), len(LABELS)), int)
    for train, test in folds.split(labels, labels, groups):
        jobs = _train_jobs([samples[i] for i in train])
        x = describe_samples(embedder, jobs, cache)
        fitted = fit(x, np.array([s.label for s, _ in jobs]), c, dim)
        x_test = describe_samples(embedder, [(samples[i], "plain") for i in test], cache)
        matrix += confusion_matrix(labels[test], fitted.predict(x_test), labels=list(LABELS))
    print(f"grouped {FOLDS}-fold CV over {len(samples)} photos: accuracy "
          f"{matrix.trace() / matrix.sum():.3f}")
    print(_table(matrix))


if __name__ == "__main__":
    raise SystemExit(main())
