"""Answers: the questionnaire model, reading and validating answer sets, and values derived from them."""
