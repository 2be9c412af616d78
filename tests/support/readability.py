"""The Flesch-Kincaid grade level of English text, with a plain vowel-group syllable count."""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
# A sentence ends at . ! or ? followed by a space or the end (not inside "e.g." style abbreviations).
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


def syllables(word: str) -> int:
    """Syllables in one word: groups of vowels, a silent final e dropped, at least one."""
    word = word.lower()
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(1, count)


def grade(text: str) -> float:
    """Flesch-Kincaid grade: 0.39 * words per sentence + 11.8 * syllables per word - 15.59."""
    words = _WORD.findall(text)
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    if not words:
        return 0.0
    per_sentence = len(words) / sentences
    per_word = sum(syllables(word) for word in words) / len(words)
    return 0.39 * per_sentence + 11.8 * per_word - 15.59
