"""No models: the catalogue lives in code (``components.library``), samples in
``designer.samples``."""
