"""`factorcheck batch`: many answer sets scored in input order, on several processes."""
