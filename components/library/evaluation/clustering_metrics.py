"""Cluster quality without labels: silhouette, Calinski-Harabasz and Davies-Bouldin scores."""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from components.library.evaluation._common import finite_metrics, require_columns, values_of
from components.sdk import Context, Metrics, Params, Table, column, columns, component


class ClusteringMetricsParams(Params):
    columns: list[str] = columns(
        "table",
        numeric=True,
        description="Feature columns the clusters live in; empty = every numeric column "
        "except the cluster column",
    )
    cluster: str = column("table", default="cluster", description="Column with cluster labels")
    silhouette_sample_size: int = Field(
        10_000,
        ge=0,
        description="Score the silhouette on this many sampled rows (it is quadratic); 0 = all",
    )


@component(
    id="evaluation.clustering_metrics",
    category="Evaluation",
    title="Clustering metrics",
    tags=("silhouette", "clusters", "score"),
    example={"cluster": "target", "columns": ["f0", "f1", "f2", "f3"]},
    ports={"table": "A table with feature columns and a cluster column (output of kmeans)"},
)
def clustering_metrics(table: Table, params: ClusteringMetricsParams, ctx: Context) -> Metrics:
    """Silhouette (higher is better), Calinski-Harabasz (higher) and Davies-Bouldin (lower).

    Needs at least 2 clusters and fewer clusters than rows. Values equal scikit-learn's
    ``sklearn.metrics`` functions (the silhouette samples rows above the sample size).
    """
    from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

    labels = values_of(table, params.cluster, "cluster")
    names = params.columns or [
        str(c) for c in table.select_dtypes("number").columns if c != params.cluster
    ]
    require_columns(table, names, "feature")
    if not names:
        raise ValueError("no numeric feature columns to score the clusters in; pick columns")
    X = table[names]
    if X.isna().to_numpy().any():
        raise ValueError(
            "the feature columns have missing values; fill them (preprocessing.fill_missing)"
        )
    X = X.to_numpy(dtype=float)
    n_clusters = len(np.unique(labels))
    if not 2 <= n_clusters < len(labels):
        raise ValueError(
            f"clustering metrics need 2 to {len(labels) - 1} clusters, found {n_clusters} in "
            f"{params.cluster!r}; check the cluster column"
        )
    sample = params.silhouette_sample_size
    sample_size = sample if 0 < sample < len(labels) else None
    if sample_size:
        ctx.log(f"silhouette scored on {sample_size} of {len(labels)} rows")
    metrics: dict[str, Any] = {
        "silhouette": silhouette_score(
            X, labels, sample_size=sample_size, random_state=ctx.random_state
        ),
        "calinski_harabasz": calinski_harabasz_score(X, labels),
        "davies_bouldin": davies_bouldin_score(X, labels),
        "n_clusters": n_clusters,
        "n_rows": len(labels),
    }
    return finite_metrics(metrics)
