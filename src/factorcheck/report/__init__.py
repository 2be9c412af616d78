"""Report: what the rules concluded, decided once, then written as JSON, text or Markdown."""
