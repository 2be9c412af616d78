"""Lets `python -m factorcheck` run the command line."""

from factorcheck.cli.main import main

raise SystemExit(main())
