"""The staff page: the catalog's style clusters and, with a dates CSV, their trends
(``?view=trends``; never in a kiosk).

The same content as ``tryon trends``' HTML report (:mod:`tryon.catalog.report`), drawn by
Streamlit from the same functions: :func:`tryon.catalog.clusters.cluster_index` (k-means on
the catalog model's embeddings, k by silhouette, each cluster named by its dominant kind and
colours), :func:`tryon.catalog.trends.read_dates` and
:func:`~tryon.catalog.trends.cluster_trends` (each cluster's share of dated events per
period, and which grow). The catalog is the shopper's (the bundled demo items); its index
and clusters are made once per process.
"""

from __future__ import annotations

import html
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from tryon.catalog.clusters import Clustering
from tryon.catalog.report import MEMBERS_SHOWN
from tryon.catalog.trends import MAX_CSV_BYTES, Trends, cluster_trends, read_dates
from tryon.errors import TryOnError
from ui.catalog import thumbnail
from ui.resources import catalog_clusters, catalog_search
from ui.similar import CatalogSearch

__all__ = ["DATES_LABEL", "TRENDS_TITLE", "parse_dates", "trends_page"]

TRENDS_TITLE = "Catalog styles and trends"
DATES_LABEL = "Dates (CSV with “file” and “date” columns: items added, sold or viewed)"
THUMB_SIDE = 112  # pixels: a member's thumbnail, as in the report
SWATCH = ("display:inline-block;width:1.1rem;height:1.1rem;border:1px solid #888;"
          "border-radius:0.2rem;margin-right:0.2rem")


def parse_dates(data: bytes, name: str) -> list[tuple[str, date]]:
    """The (file, date) rows of an uploaded dates CSV, read by
    :func:`tryon.catalog.trends.read_dates` (which reads a file: the upload is written to a
    private temporary folder, removed at once; it is staff data, never a customer's).
    Raises ``bad_argument`` naming ``name`` and the line of the first problem."""
    with tempfile.TemporaryDirectory(prefix="tryon-dates-") as folder:
        path = Path(folder) / "dates.csv"
        path.write_bytes(data)
        try:
            return read_dates(path)
        except TryOnError as error:
            raise TryOnError(error.code, error.message.replace(f"--dates {path}", name)) \
                from None


def trends_page() -> None:
    """Summary, 2-D map, trends (with a dates CSV) and every cluster's members."""
    st.title(TRENDS_TITLE)
    st.caption("For staff: the catalog grouped into styles by the catalog model, as "
               "`tryon trends` reports it. Add a dates CSV to see which styles grow.")
    try:
        search, clustering = catalog_search(), catalog_clusters()
    except TryOnError as error:
        st.error(f"The catalog model cannot be used here: {error.message}",
                 icon=":material/error:")
        return
    _summary(search, clustering)
    upload = st.file_uploader(DATES_LABEL, type=["csv"], key="dates",
                              max_upload_size=MAX_CSV_BYTES >> 20)
    trends = _trends(search, clustering, upload) if upload is not None else None
    st.subheader("Clusters")
    for cluster in clustering.clusters:
        with st.container(key=f"cluster-{cluster.number}", border=True):
            slope = (f" · share {trends.slopes[cluster.number]:+.3f} per period"
                     if trends is not None else "")
            st.markdown(f"**{cluster.number}: {cluster.name}** — {len(cluster.members)} "
                        f"items{slope}")
            st.html("".join(f"<span title='{html.escape(c)}' style='{SWATCH};"
                            f"background:{html.escape(c)}'></span>" for c in cluster.swatch))
            members = [search.items[row] for row in cluster.members[:MEMBERS_SHOWN]]
            st.image([thumbnail(item.path, THUMB_SIDE) for item in members],
                     caption=[item.name for item in members], width=THUMB_SIDE)


def _summary(search: CatalogSearch, clustering: Clustering) -> None:
    """The figures of the report's first paragraphs and its 2-D map."""
    ks = sorted(clustering.silhouettes)
    columns = st.columns(4)
    columns[0].metric("Items", len(search.index))
    columns[1].metric("Style clusters", clustering.k)
    columns[2].metric("Silhouette", f"{clustering.silhouette:.2f}")
    columns[3].metric("Purity (kind)", f"{clustering.purity['kind']:.2f}")
    st.caption(f"k-means on the catalog model's embeddings, k from {ks[0]} to {ks[-1]} chosen "
               f"by the best cosine silhouette. Purity against the predicted kind "
               f"{clustering.purity['kind']:.2f} (ARI {clustering.ari['kind']:.2f}), against "
               f"the dominant colour family {clustering.purity['colour']:.2f} "
               f"(ARI {clustering.ari['colour']:.2f}).")
    names = {c.number: f"{c.number}: {c.name}" for c in clustering.clusters}
    points = pd.DataFrame({
        "principal component 1": clustering.map[:, 0],
        "principal component 2": clustering.map[:, 1],
        "cluster": [names[int(label)] for label in clustering.labels],
        "item": [item.name for item in search.items]})
    st.scatter_chart(points, x="principal component 1", y="principal component 2",
                     color="cluster", height=320)


def _trends(search: CatalogSearch, clustering: Clustering, upload: object) -> Trends | None:
    """Each cluster's share over time and which grow, or the CSV's problem (None)."""
    name = str(getattr(upload, "name", "dates.csv"))
    try:
        rows = parse_dates(upload.getvalue(), name)  # type: ignore[attr-defined]
        trends = cluster_trends(search.index.paths, clustering.labels, clustering.k, rows)
    except TryOnError as error:
        message = error.message.replace("of --dates", "of the file")
        st.error(message if message.startswith(name) else f"{name}: {message}",
                 icon=":material/error:")
        return None
    st.subheader("Trends")
    names = [f"{c.number}: {c.name}" for c in clustering.clusters]
    growing = ", ".join(f"{names[c]} ({trends.slopes[c]:+.3f} per period)"
                        for c in trends.growing)
    with st.container(key="trends"):
        st.markdown(f"Share of dated events per period ({trends.periods[0]} to "
                    f"{trends.periods[-1]}). **Growing:** {growing or 'none'}. "
                    f"{trends.unmatched} rows named no catalog picture.")
        shares = pd.DataFrame(trends.shares.T, index=list(trends.periods), columns=names)
        st.line_chart(shares, x_label="period", y_label="share of events", height=300)
    return trends
