"""Style clusters of a catalog index: k-means on the embeddings, k chosen by silhouette, each
cluster named by its dominant kind and colours, with quality figures (silhouette; purity and
adjusted Rand index against the kind and colour-family labels)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, silhouette_score

from tryon.catalog.classifier import NOT_A_PRODUCT, KindClassifier
from tryon.catalog.colours import colour_family, lab_to_hex
from tryon.catalog.index import CatalogIndex
from tryon.errors import ErrorCode, TryOnError

__all__ = ["K_RANGE", "Cluster", "Clustering", "cluster_index", "purity"]

K_RANGE = (2, 12)  # k-means cluster counts tried (inclusive); the best silhouette wins
MIN_MEAN_SIZE = 6  # and k ≤ N / this: on small catalogs silhouette favours pairs
PCA_DIM = 32  # embeddings are reduced to this many components before k-means
MIN_ITEMS = 4
SEED = 0
N_INIT = 4
NAMED_COLOURS = 2  # colour families in a cluster's name
SHARE_IN_NAME = 0.2  # a colour family is named when at least this share of members has it
MIXED = 0.5  # a kind is named only when more than this share of members has it


@dataclass(frozen=True)
class Cluster:
    """One style cluster: ``number`` (0-based), ``name`` (e.g. "shoes · white, black"),
    ``members`` (index rows, nearest the centre first), ``kind`` (dominant kind label),
    ``colours`` (dominant colour families) and ``swatch`` (#rrggbb of the members' colours,
    most common first)."""

    number: int
    name: str
    members: tuple[int, ...]
    kind: str
    colours: tuple[str, ...]
    swatch: tuple[str, ...]


@dataclass(frozen=True)
class Clustering:
    """``labels`` (N,) cluster of each index row; ``k``; ``silhouette`` (cosine, −1–1) of the
    chosen k and ``silhouettes`` of every k tried; ``kinds`` and ``colours`` (N,) each row's
    predicted kind and colour family; ``purity`` and ``ari`` against those two labellings;
    ``map`` (N, 2) a 2-D projection (the first two principal components)."""

    labels: np.ndarray
    k: int
    silhouette: float
    silhouettes: dict[int, float]
    clusters: tuple[Cluster, ...]
    kinds: np.ndarray
    colours: np.ndarray
    purity: dict[str, float]
    ari: dict[str, float]
    map: np.ndarray


def purity(clusters: np.ndarray, labels: np.ndarray) -> float:
    """Share of items whose label is their cluster's most common label (0–1)."""
    total = 0
    for cluster in np.unique(clusters):
        total += Counter(labels[clusters == cluster]).most_common(1)[0][1]
    return total / len(labels)


def cluster_index(index: CatalogIndex, classifier: KindClassifier,
                  k_range: tuple[int, int] = K_RANGE) -> Clustering:
    """Cluster every entry of ``index``: k-means for each k in ``k_range`` (at most
    N / :data:`MIN_MEAN_SIZE`, at least its low end), the best cosine silhouette wins.
    Raises ``bad_argument`` for fewer than :data:`MIN_ITEMS` pictures or a bad ``k_range``."""
    count = len(index)
    if count < MIN_ITEMS:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"the catalog needs at least {MIN_ITEMS} "
                         f"readable pictures to cluster, it has {count}")
    low, high = k_range[0], min(k_range[1], count // MIN_MEAN_SIZE)
    if low < 2 or k_range[1] < low:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"bad cluster range {k_range}: need 2 ≤ "
                         "min ≤ max")
    high = max(low, high)
    reduced = PCA(n_components=min(PCA_DIM, count, index.embedding.shape[1]),
                  random_state=SEED).fit_transform(index.embedding)
    silhouettes: dict[int, float] = {}
    fits: dict[int, KMeans] = {}
    for k in range(low, high + 1):
        fits[k] = KMeans(n_clusters=k, n_init=N_INIT, random_state=SEED).fit(reduced)
        labels = fits[k].labels_
        silhouettes[k] = (float(silhouette_score(reduced, labels, metric="cosine"))
                          if len(set(labels)) > 1 else -1.0)
    best = max(silhouettes, key=lambda k: (silhouettes[k], -k))
    labels = fits[best].labels_.astype(int)
    vectors = np.stack([index.features(row).vector() for row in range(count)])
    probs = classifier.probabilities(vectors)
    kinds = np.array([classifier.classes[i] for i in probs.argmax(axis=1)])
    colours = np.array([colour_family(index.palette[row, 0]) for row in range(count)])
    distances = np.linalg.norm(reduced - fits[best].cluster_centers_[labels], axis=1)
    clusters = tuple(_describe(number, np.flatnonzero(labels == number), distances, kinds,
                               colours, index) for number in range(best))
    return Clustering(
        labels=labels, k=best, silhouette=silhouettes[best], silhouettes=silhouettes,
        clusters=clusters, kinds=kinds, colours=colours,
        purity={"kind": purity(labels, kinds), "colour": purity(labels, colours)},
        ari={"kind": float(adjusted_rand_score(kinds, labels)),
             "colour": float(adjusted_rand_score(colours, labels))},
        map=reduced[:, :2] if reduced.shape[1] >= 2 else np.pad(reduced, ((0, 0), (0, 1))))


def _describe(number: int, rows: np.ndarray, distances: np.ndarray, kinds: np.ndarray,
              colours: np.ndarray, index: CatalogIndex) -> Cluster:
    rows = rows[np.argsort(distances[rows], kind="stable")]
    kind, kind_count = Counter(kinds[rows]).most_common(1)[0]
    kind_name = kind if kind_count / len(rows) > MIXED else "mixed"
    if kind_name == NOT_A_PRODUCT:
        kind_name = "not products"
    families = Counter(colours[rows]).most_common()
    named = tuple(name for name, n in families[:NAMED_COLOURS]
                  if n / len(rows) >= SHARE_IN_NAME) or (families[0][0],)
    swatch = tuple(lab_to_hex(index.palette[row, 0]) for row in rows[:NAMED_COLOURS * 3])
    return Cluster(number, f"{kind_name} · {', '.join(named)}", tuple(int(r) for r in rows),
                   str(kind), named, swatch)
