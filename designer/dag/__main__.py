"""``python -m designer.dag``: the same as the ``designer`` command (see ``designer.dag.cli``)."""

from designer.dag.cli import main

raise SystemExit(main())
