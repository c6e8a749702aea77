"""Search by name or unit that works for Chinese: every text is indexed by its single characters and its
pairs of neighbouring characters (PostgreSQL's trigrams skip CJK characters in a C locale); a query matches
when the text holds all of the query's pairs (or its one character), and then the whole query in order."""
from __future__ import annotations

import unicodedata


def normalised(text: str) -> str:
    """Full-width to half-width, lower case, no spaces: what is indexed and what a query is compared to."""
    return "".join(unicodedata.normalize("NFKC", text or "").lower().split())


def search_text(*texts: str) -> str:
    return " ".join(normalised(text) for text in texts if text)


def search_terms(*texts: str) -> list[str]:
    """The characters and neighbouring pairs of each text, without repeats, sorted."""
    terms: set[str] = set()
    for text in texts:
        word = normalised(text)
        terms.update(word)
        terms.update(word[i:i + 2] for i in range(len(word) - 1))
    return sorted(terms)


def query_terms(query: str) -> list[str]:
    word = normalised(query)
    if len(word) <= 1:
        return [word] if word else []
    return sorted({word[i:i + 2] for i in range(len(word) - 1)})
