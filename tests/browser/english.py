"""Which words on a screen are English (issue 9: "fails on any English word outside a
short allow-list"). Vietnamese is written with diacritics; a word of plain ASCII
letters is Vietnamese only if it is a possible Vietnamese syllable without tone
marks ("theo", "tin", "khoa"). Everything else in plain ASCII — "Cancel", "None",
"List", "True" — is English, unless allowed: names, identifiers shown on purpose,
and a few loan words."""
from __future__ import annotations

import re

from tests.conftest import USERS

_INITIAL = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x"
_NUCLEUS = "oai|oay|oao|oeo|uya|uyu|uay|ai|ao|au|ay|eo|ia|iu|oa|oe|oi|ua|ui|uy|ya|a|e|i|o|u|y"
_FINAL = "ch|nh|ng|c|m|n|p|t"
SYLLABLE = re.compile(f"(?:{_INITIAL})?(?:{_NUCLEUS})(?:{_FINAL})?")

# English words that happen to be possible syllables, and what untranslated screens show.
ENGLISH_SYLLABLES = {"no", "yes", "none", "null", "true", "false", "the", "of", "and", "to", "is", "it", "not"}

ROLE_IDENTIFIERS = {"Admin", "OfficeLeader", "OfficeOfficial", "Chairman", "AgencyHead", "AgencyStaff",
                    "CommuneChair", "WorkingGroupMember", "Connector", "Public"}
ALLOWED = {
    "excel", "pdf", "docx", "xlsx", "api", "ok", "email", "e-mail", "swagger", "json", "word",
    "openid", "ldap",  # names of sign-in methods in FAB's help texts
    "edxml",  # the document exchange format's name
    "test",  # the test users' names ("Test officer")
    *(name.lower() for name in USERS), *(part.lower() for name in USERS for part in name.split("_")),
    *(name.lower() for name in ROLE_IDENTIFIERS),
}
_WORD = re.compile(r"[A-Za-zÀ-ỹĐđ]+")


def english_words(text: str) -> list[str]:
    found = []
    for chunk in text.split():
        if re.search(r"[@/\\_0-9]|://|\w\.\w", chunk):
            continue  # numbers, document symbols, addresses, file names, identifiers
        for word in _WORD.findall(chunk):
            if not word.isascii():
                continue  # Vietnamese with diacritics
            low = word.lower()
            if low in ALLOWED or len(word) == 1 or (word.isupper() and len(word) <= 8):
                    continue  # allowed words, points of an article ("điểm d"), acronyms (UBND, STC, VP)
            if low in ENGLISH_SYLLABLES or not SYLLABLE.fullmatch(low):
                found.append(word)
    return found


# What a user reads on the page: visible text outside code, and the visible
# placeholders, button captions, tooltips and labels for assistive technology.
VISIBLE_TEXT_JS = r"""
() => {
  const skip = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "CODE", "PRE", "TEMPLATE"]);
  const visible = (el) => el && el.checkVisibility ? el.checkVisibility({checkVisibilityCSS: true}) : true;
  const parts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    let el = node.parentElement, skipped = false;
    for (let a = el; a; a = a.parentElement) { if (skip.has(a.tagName)) { skipped = true; break; } }
    if (skipped || !node.textContent.trim() || !visible(el)) continue;
    parts.push(node.textContent);
  }
  document.querySelectorAll("[placeholder], [title], [aria-label], input[type=submit], input[type=button]")
    .forEach((el) => {
      if (!visible(el)) return;
      ["placeholder", "title", "aria-label"].forEach((a) => { if (el.getAttribute(a)) parts.push(el.getAttribute(a)); });
      if (el.tagName === "INPUT" && (el.type === "submit" || el.type === "button")) parts.push(el.value);
    });
  document.querySelectorAll("select").forEach((sel) => {  // the choices of a visible list
    if (visible(sel)) Array.from(sel.options).forEach((o) => parts.push(o.textContent));
  });
  return parts.join("\n");
}
"""
