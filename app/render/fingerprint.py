"""What a generated file was rendered from, as one short string (issue 8, finding 14).

A file stored beside its record carries the fingerprint of the OfficialDocument it
was rendered from; the record's current document fingerprinted again tells whether
the file still matches it. Raise LAYOUT when the templates or renderers change the
output for the same document, so files rendered before are rendered again."""
from __future__ import annotations

import hashlib

from app.render.model import OfficialDocument

LAYOUT = "2026-12-02"


def fingerprint(document: OfficialDocument) -> str:
    # A dataclass's repr names every field, nested paragraphs and tables included,
    # in declaration order: the same document always gives the same text.
    return hashlib.sha256(f"{LAYOUT}\n{document!r}".encode("utf-8")).hexdigest()
