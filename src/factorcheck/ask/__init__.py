"""`factorcheck ask`: the conversation in a terminal, as arrow-key screens or plain lines."""
