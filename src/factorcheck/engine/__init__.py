"""Engine: evaluating the rules on one answer set (durable_rules), the reference evaluator and the floor."""
