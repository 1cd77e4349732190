"""What a text field may hold (issue 8, finding 10): PostgreSQL refuses NUL and lone
surrogates and a string longer than its column, so the service refuses them first,
naming the field, instead of the database answering 500."""
from __future__ import annotations

# Long texts (task content, summary, notes, results, comments): a directive's task is
# a paragraph, not a book; this leaves room for the longest real ones.
TEXT_MAX = 10_000


def unstorable(value: str) -> bool:
    """NUL, or a lone surrogate (not valid UTF-8)."""
    return "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value)
