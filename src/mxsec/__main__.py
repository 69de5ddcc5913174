"""`python -m mxsec`: the same as the `mxsec` command."""

from .cli import main

raise SystemExit(main())
