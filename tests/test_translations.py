"""Every user-visible English string of app/ has a Vietnamese translation.

No app, no database: Babel's extractor runs over app/ with translations/babel.cfg
(the same keywords as `pybabel extract -k _ -k gettext -k lazy_gettext -k _l
-k ngettext`), and each msgid must have a non-empty msgstr in
translations/src/app.vi.po or translations/src/fab.vi.po. A new English string
without a translation fails here; translate it in app.vi.po.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
BABEL_CFG = ROOT / "translations" / "babel.cfg"
SOURCES = ROOT / "translations" / "src"
CATALOGS = ("app.vi.po", "fab.vi.po", "auth.vi.po")
KEYWORDS = {"_": None, "gettext": None, "lazy_gettext": None, "_l": None, "ngettext": (1, 2)}

# %(name)s, %s, %d, %.2f, %% ... (no space flag: "50% done" is not a placeholder).
PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0+\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
BRACE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}")


def _key(msgid) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]


def _load(name: str):
    with (SOURCES / name).open("rb") as handle:
        return read_po(handle, locale="vi")


@pytest.fixture(scope="module")
def catalogs():
    return {name: _load(name) for name in CATALOGS}


def _extracted() -> dict[str, list[str]]:
    """msgid -> ["app/views.py:48", ...] for every string of app/."""
    with BABEL_CFG.open() as handle:
        method_map, options_map = parse_mapping_cfg(handle, filename=str(BABEL_CFG))
    app_dir = ROOT / "app"

    def only_app(dirpath: str) -> bool:
        # Walk app/ only (not .venv, instance/uploads...), minus __pycache__ and dot dirs.
        path = Path(dirpath)
        return (path == app_dir or app_dir in path.parents) and not path.name.startswith((".", "_"))

    found: dict[str, list[str]] = {}
    for filename, lineno, msgid, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, directory_filter=only_app
    ):
        if msgid:
            found.setdefault(_key(msgid), []).append(f"{filename}:{lineno}")
    return found


def test_every_app_msgid_has_a_vietnamese_translation(catalogs):
    extracted = _extracted()
    # A broken babel.cfg (no file matched) must not pass vacuously.
    assert len(extracted) > 100, f"only {len(extracted)} msgids extracted: check {BABEL_CFG}"

    translated: set[str] = set()
    for catalog in catalogs.values():
        for message in catalog:
            if message.id and not message.fuzzy and all(f.strip() for f in _forms(message)):
                translated.add(_key(message.id))

    missing = {msgid: where for msgid, where in extracted.items() if msgid not in translated}
    assert not missing, (
        f"{len(missing)} English string(s) of app/ have no Vietnamese translation in "
        f"translations/src/app.vi.po (or fab.vi.po):\n"
        + "\n".join(f"  {msgid!r}  ({', '.join(where)})" for msgid, where in sorted(missing.items()))
    )


def _placeholders(text: str) -> tuple[Counter, list[str], Counter]:
    named, positional = Counter(), []
    for match in PERCENT.finditer(text):
        token = match.group(0)
        if token == "%%":
            continue
        if match.group("name") is not None:
            named[(match.group("name"), token[-1])] += 1
        else:
            positional.append(token)
    return named, positional, Counter(BRACE.findall(text))


def _stray_percent(text: str) -> bool:
    """A '%' that is not part of a placeholder breaks `text % values`."""
    return "%" in PERCENT.sub("", text)


def test_placeholders_match_between_msgid_and_msgstr(catalogs):
    problems = []
    for name, catalog in catalogs.items():
        for message in catalog:
            if not message.id:
                continue
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            # Vietnamese has one plural form: it stands for the plural msgid.
            expected = _placeholders(ids[-1])
            for form in _forms(message):
                if not form:
                    continue
                if _placeholders(form) != expected:
                    problems.append(f"  {name}: {ids[0]!r}\n    -> {form!r}")
                elif message.python_format and _stray_percent(form) and not _stray_percent(ids[-1]):
                    problems.append(f"  {name}: stray '%' in {form!r} (write '%%')")
    assert not problems, "placeholders differ between msgid and msgstr:\n" + "\n".join(problems)


def test_app_catalog_is_clean(catalogs):
    """No fuzzy entry (gettext ignores them) and no msgid fab.vi.po already has
    (two translations of one msgid: whichever is merged last would win)."""
    fab_ids = {_key(m.id) for m in catalogs["fab.vi.po"] if m.id}
    fuzzy, duplicated = [], []
    for name, catalog in catalogs.items():
        fuzzy += [f"{name}: {_key(m.id)!r}" for m in catalog if m.id and m.fuzzy]
    duplicated = [_key(m.id) for m in catalogs["app.vi.po"] if m.id and _key(m.id) in fab_ids]
    assert not fuzzy, "fuzzy entries:\n  " + "\n  ".join(fuzzy)
    assert not duplicated, "already in fab.vi.po, remove from app.vi.po:\n  " + "\n  ".join(
        map(repr, duplicated))
