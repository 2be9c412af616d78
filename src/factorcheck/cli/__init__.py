"""The command line: parsing arguments and dispatching to the commands."""
