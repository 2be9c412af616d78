"""Conversation: the questionnaire as a flow of prompts and typed replies, with no screen and no I/O."""
