"""Engine: evaluating the rules (durable_rules, and what it can hold), the reference evaluator, the floor."""
