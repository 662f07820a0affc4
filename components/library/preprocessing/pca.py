"""Replace numeric columns by their principal components ``pc1..pcN`` (scikit-learn's PCA)."""

from __future__ import annotations

from typing import NamedTuple

from pydantic import Field

from components.adapters.sklearn import SEED_DESCRIPTION, Seed
from components.library.preprocessing._columns import NUMERIC, pick, require
from components.sdk import (
    Context,
    FittedTransformer,
    Params,
    Table,
    TableSchema,
    Transformer,
    columns as column_list,  # a field named 'columns' would shadow the helper
    component,
    schema_of,
)


class PCAParams(Params):
    columns: list[str] = column_list(
        "table", numeric=True, description="Columns to project; empty = every numeric column"
    )
    exclude: list[str] = column_list(
        "table", description="Columns never projected, even when picked (e.g. the target)"
    )
    n_components: int = Field(
        2, ge=1, le=10_000, description="Number of components to keep (columns pc1..pcN)."
    )
    whiten: bool = Field(False, description="Scale each component to unit variance.")
    random_state: Seed | None = Field(None, description=SEED_DESCRIPTION)


class PCAOut(NamedTuple):
    table: Table
    transformer: Transformer


def _names(params: PCAParams) -> list[str]:
    return [f"pc{i}" for i in range(1, params.n_components + 1)]


def _schema(
    inputs: dict[str, TableSchema | None], params: PCAParams
) -> dict[str, TableSchema | None]:
    schema = inputs.get("table")
    if schema is None:
        return {"table": None}
    chosen = pick(schema, params.columns, params.exclude, NUMERIC)
    return {"table": schema.drop(chosen).add([(n, "float") for n in _names(params)])}


@component(
    id="preprocessing.pca",
    category="Preprocessing",
    title="PCA",
    tags=("dimensionality reduction", "principal components", "projection"),
    schema=_schema,
    ports={"transformer": "The fitted projection, to project other tables the same way"},
    example={"exclude": ["target", "prediction"]},
)
def pca(table: Table, params: PCAParams, ctx: Context) -> PCAOut:
    """Replace numeric columns by their first principal components, ``pc1..pcN``, at the end.

    Components are ordered by the variance they explain (logged). Columns on larger scales
    dominate: standardize them first (preprocessing.standard_scaler). ``random_state`` left
    empty uses the run's seed (large tables use a randomized solver).
    """
    from sklearn.decomposition import PCA

    require(table, params.columns + params.exclude, "columns/exclude")
    schema = schema_of(table)
    cols = pick(schema, params.columns, params.exclude, NUMERIC)
    wrong = [c for c in cols if schema.get(c) is None or schema.get(c).kind not in NUMERIC]
    if wrong or not cols:
        raise ValueError(f"PCA needs numeric columns; {wrong or 'none'} picked: choose others")
    if params.n_components > min(len(cols), len(table)):
        raise ValueError(
            f"n_components={params.n_components} is more than the {len(cols)} column(s) x "
            f"{len(table)} row(s) allow; lower it to at most {min(len(cols), len(table))}"
        )
    missing = [c for c in cols if table[c].isna().any()]
    if missing:
        raise ValueError(
            f"column(s) {missing} have missing values; fill them first (preprocessing.fill_missing)"
        )
    names = _names(params)
    clash = sorted(set(names) & (set(map(str, table.columns)) - set(cols)))
    if clash:
        raise ValueError(f"column(s) {clash} already exist; rename or drop them first")
    seed = ctx.random_state if params.random_state is None else params.random_state
    model = PCA(n_components=params.n_components, whiten=params.whiten, random_state=seed)
    model.fit(table[cols])
    ratios = [float(r) for r in model.explained_variance_ratio_]
    fitted = FittedTransformer(
        model,
        tuple(cols),
        kind="PCA",
        output_columns=tuple(names),
        info={"explained_variance_ratio": ratios},
    )
    ctx.log(
        f"{len(cols)} column(s) -> {len(names)} component(s) explaining "
        f"{100 * sum(ratios):.1f}% of the variance ({', '.join(f'{r:.3f}' for r in ratios)})"
    )
    return PCAOut(fitted.transform(table), fitted)
