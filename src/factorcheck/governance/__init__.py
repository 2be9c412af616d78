"""Clinical governance of the rules: the rule book, the impact of a rule change, the hazard log."""
