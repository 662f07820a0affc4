"""Regenerate src/test/fixtures/catalogue.json: the real catalogue (GET /api/components/ body),
trimmed to the components the tests and the visual check use.
Run from the repo root: .venv/bin/python frontend/scripts/trim-catalogue.py"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import components.library as library  # noqa: E402

KEEP = [
    "datasets.iris", "datasets.wine", "datasets.breast_cancer", "datasets.make_classification",
    "io.read_csv", "io.write_csv",
    "preprocessing.train_test_split", "preprocessing.filter_rows", "preprocessing.concat_rows",
    "preprocessing.standard_scaler", "preprocessing.fill_missing", "preprocessing.apply_transformer",
    "preprocessing.select_columns",
    "training.logistic_regression", "training.random_forest_classifier", "training.kmeans",
    "evaluation.predict", "evaluation.classification_metrics", "evaluation.roc_curve",
    "evaluation.confusion_matrix", "evaluation.feature_importance",
]

full = library.load().describe()
comps = [c for c in full["components"] if c["id"] in KEEP]
missing = sorted(set(KEEP) - {c["id"] for c in comps})
if missing:
    sys.exit(f"not in the catalogue any more: {', '.join(missing)}; update KEEP")
out = {
    "types": full["types"],
    "connectable": full["connectable"],
    "categories": [c for c in full["categories"] if any(x["category"] == c for x in comps)],
    "components": comps,
}
path = ROOT / "frontend/src/test/fixtures/catalogue.json"
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path} ({len(comps)} components)")
