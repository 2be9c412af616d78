"""Rules: the rule model, its strict YAML loader, loading and checking rule files, and the shipped files."""
