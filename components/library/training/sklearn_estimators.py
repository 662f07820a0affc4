"""The explicit allowlist of scikit-learn estimators that become trainer components.

Parameters are generated from each estimator's constraints (``components.adapters.sklearn``);
``sklearn_params.json`` caches them for the installed scikit-learn. After upgrading scikit-learn
or changing this list, refresh it: ``python -m components.adapters.sklearn
components.library.training.sklearn_estimators`` (a test says when it is stale).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from components.adapters.sklearn import load_descriptions
from components.adapters.sklearn_components import EstimatorEntry, register_estimator
from components.sdk import TableSchema

SNAPSHOT = Path(__file__).with_name("sklearn_params.json")


def cluster_schema(
    inputs: dict[str, TableSchema | None], params: Any
) -> dict[str, TableSchema | None]:
    """Clustering output table: the input columns plus an int ``cluster`` column."""
    schema = inputs.get("table")
    return {"table": None if schema is None else schema.add([("cluster", "int")])}


C, R = "classification", "regression"
ESTIMATORS: tuple[EstimatorEntry, ...] = (
    EstimatorEntry(
        "training.logistic_regression", "Logistic regression",
        "sklearn.linear_model.LogisticRegression", C,
        "Linear classifier with class probabilities; a strong, fast baseline.", ("linear",),
    ),
    EstimatorEntry(
        "training.decision_tree_classifier", "Decision tree classifier",
        "sklearn.tree.DecisionTreeClassifier", C,
        "A single decision tree: interpretable, no scaling needed.", ("tree",),
    ),
    EstimatorEntry(
        "training.decision_tree_regressor", "Decision tree regressor",
        "sklearn.tree.DecisionTreeRegressor", R,
        "A single regression tree: interpretable, no scaling needed.", ("tree",),
    ),
    EstimatorEntry(
        "training.random_forest_classifier", "Random forest classifier",
        "sklearn.ensemble.RandomForestClassifier", C,
        "An ensemble of randomized trees; robust with little tuning.", ("tree", "ensemble"),
        progress="warm_start",
    ),
    EstimatorEntry(
        "training.random_forest_regressor", "Random forest regressor",
        "sklearn.ensemble.RandomForestRegressor", R,
        "An ensemble of randomized regression trees; robust with little tuning.",
        ("tree", "ensemble"), progress="warm_start",
    ),
    EstimatorEntry(
        "training.gradient_boosting_classifier", "Gradient boosting classifier",
        "sklearn.ensemble.GradientBoostingClassifier", C,
        "Boosted trees, built one stage at a time; often the most accurate here.",
        ("tree", "ensemble", "boosting"), progress="monitor",
    ),
    EstimatorEntry(
        "training.gradient_boosting_regressor", "Gradient boosting regressor",
        "sklearn.ensemble.GradientBoostingRegressor", R,
        "Boosted regression trees, built one stage at a time.",
        ("tree", "ensemble", "boosting"), progress="monitor",
    ),
    EstimatorEntry(
        "training.linear_regression", "Linear regression",
        "sklearn.linear_model.LinearRegression", R,
        "Ordinary least squares: the simplest regression baseline.", ("linear",),
    ),
    EstimatorEntry(
        "training.ridge_regression", "Ridge regression",
        "sklearn.linear_model.Ridge", R,
        "Least squares with an L2 penalty; stable with correlated features.", ("linear",),
    ),
    EstimatorEntry(
        "training.lasso_regression", "Lasso regression",
        "sklearn.linear_model.Lasso", R,
        "Least squares with an L1 penalty; drives some coefficients to zero.", ("linear",),
    ),
    EstimatorEntry(
        "training.knn_classifier", "k-nearest neighbours classifier",
        "sklearn.neighbors.KNeighborsClassifier", C,
        "Votes among the nearest training rows; scale features first.", ("neighbors",),
    ),
    EstimatorEntry(
        "training.gaussian_nb", "Gaussian naive Bayes",
        "sklearn.naive_bayes.GaussianNB", C,
        "Naive Bayes with Gaussian features: very fast, few parameters.", ("bayes",),
    ),
    EstimatorEntry(
        "training.svc", "Support vector classifier",
        "sklearn.svm.SVC", C,
        "Kernel support vector machine; scale features first, slow on large tables.",
        ("kernel",),
    ),
    EstimatorEntry(
        "training.extra_trees_classifier", "Extra trees classifier",
        "sklearn.ensemble.ExtraTreesClassifier", C,
        "Extremely randomized trees: like a random forest, with random split points; faster.",
        ("tree", "ensemble"), progress="warm_start",
    ),
    EstimatorEntry(
        "training.extra_trees_regressor", "Extra trees regressor",
        "sklearn.ensemble.ExtraTreesRegressor", R,
        "Extremely randomized regression trees; like a random forest, faster to fit.",
        ("tree", "ensemble"), progress="warm_start",
    ),
    EstimatorEntry(
        "training.hist_gradient_boosting_classifier", "Histogram gradient boosting classifier",
        "sklearn.ensemble.HistGradientBoostingClassifier", C,
        "Fast boosted trees on binned features (LightGBM-style); handles missing values and "
        "large tables.",
        ("tree", "ensemble", "boosting"), progress="warm_start",
    ),
    EstimatorEntry(
        "training.hist_gradient_boosting_regressor", "Histogram gradient boosting regressor",
        "sklearn.ensemble.HistGradientBoostingRegressor", R,
        "Fast boosted regression trees on binned features; handles missing values and large "
        "tables.",
        ("tree", "ensemble", "boosting"), progress="warm_start",
    ),
    EstimatorEntry(
        "training.elastic_net", "Elastic net regression",
        "sklearn.linear_model.ElasticNet", R,
        "Least squares with a mix of L1 and L2 penalties; scale features first.", ("linear",),
    ),
    EstimatorEntry(
        "training.knn_regressor", "k-nearest neighbours regressor",
        "sklearn.neighbors.KNeighborsRegressor", R,
        "Averages the targets of the nearest training rows; scale features first.",
        ("neighbors",),
    ),
    EstimatorEntry(
        "training.svr", "Support vector regressor",
        "sklearn.svm.SVR", R,
        "Kernel support vector regression; scale features first, slow on large tables.",
        ("kernel",),
    ),
    EstimatorEntry(
        "training.sgd_classifier", "SGD linear classifier",
        "sklearn.linear_model.SGDClassifier", C,
        "Linear classifier fitted by stochastic gradient descent; scales to large tables. "
        "Scale features first; loss log_loss or modified_huber gives probabilities.",
        ("linear",),
    ),
    EstimatorEntry(
        "training.linear_svc", "Linear support vector classifier",
        "sklearn.svm.LinearSVC", C,
        "Linear support vector machine (liblinear): fast on many rows; no probabilities.",
        ("linear",),
    ),
    EstimatorEntry(
        "training.kmeans", "k-means clustering",
        "sklearn.cluster.KMeans", "clustering",
        "Groups rows into k clusters around their means.", ("unsupervised",),
        schema=cluster_schema,
    ),
    EstimatorEntry(
        "training.dbscan", "DBSCAN clustering",
        "sklearn.cluster.DBSCAN", "clustering",
        "Finds dense groups of rows of any shape; cluster -1 marks noise. Labels only the rows "
        "it was fitted on: its model cannot predict new rows.",
        ("unsupervised", "density"), schema=cluster_schema,
    ),
)

_DESCRIPTIONS = load_descriptions([e.estimator for e in ESTIMATORS], SNAPSHOT)
for _entry in ESTIMATORS:
    _trainer = register_estimator(_entry, _DESCRIPTIONS[_entry.estimator], module=__name__)
    # Module attributes, like hand-written components: importable and picklable by name.
    globals()[_trainer.__name__] = _trainer
    globals()[_trainer.__component__.params_model.__name__] = _trainer.__component__.params_model
