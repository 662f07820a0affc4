"""The Python SDK: build graphs in code, run them locally, export and import them.

    from designer.sdk import Pipeline
    from designer.sdk.components import datasets, preprocessing

    with Pipeline() as p:
        split = preprocessing.train_test_split(datasets.iris(), test_size=0.3)
    p.run()

Pure Python: never imports Django, DRF, Channels or Celery.
"""

from designer.sdk.handles import NodeHandle, Output
from designer.sdk.pipeline import Pipeline

NodeHandle.__module__ = Output.__module__ = Pipeline.__module__ = __name__

__all__ = ["NodeHandle", "Output", "Pipeline"]
