"""Lets `python -m factorcheck` run the command line."""

from factorcheck.cli import main

raise SystemExit(main())
