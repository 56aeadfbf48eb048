"""``python -m adapters.cli``: the ``shopcrew`` command without its console script."""

from adapters.cli import main

raise SystemExit(main())
