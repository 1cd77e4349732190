"""Merge the Vietnamese sources under translations/src (FAB's strings, ours)
into translations/vi/LC_MESSAGES/messages.po and compile messages.mo.

Run by `make` before the app starts or the tests run; the .mo is not committed."""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "translations" / "src").glob("*.vi.po"))
TARGET = ROOT / "translations" / "vi" / "LC_MESSAGES"


def main() -> int:
    merged = Catalog(locale="vi", project="theo-doi-nhiem-vu", charset="utf-8")
    for source in SOURCES:  # later sources (app.vi.po after fab.vi.po) win
        with source.open("rb") as handle:
            for message in read_po(handle, locale="vi"):
                if message.id and message.string:
                    merged[message.id] = message
    TARGET.mkdir(parents=True, exist_ok=True)
    with (TARGET / "messages.po").open("wb") as out:
        write_po(out, merged, width=0)
    with (TARGET / "messages.mo").open("wb") as out:
        write_mo(out, merged)
    print(f"translations: {len(merged)} Vietnamese messages from {len(SOURCES)} sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
