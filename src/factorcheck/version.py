"""The package version, in one place: reports and `--version` show it, the build reads it."""

__version__ = "0.1.0"
