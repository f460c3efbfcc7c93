"""Loads plain text and Markdown files, including web pages saved as text, dropping page chrome.

Saved pages carry site furniture ("top of page", "Commentaires", share buttons) and image captions
that the site repeats verbatim; neither is the author's text.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from kb.config import Limits
from kb.errors import LoadError
from kb.models import Meta, Page, RawDocument

# Whole lines that are website furniture, compared case-insensitively after stripping punctuation.
CHROME_LINES = frozenset("""
top of page|bottom of page|back to top|skip to content|skip to main content|retour en haut|haut de page
commentaires|commentaire|comments|comment|leave a comment|laisser un commentaire|ecrire un commentaire
écrire un commentaire|share|partager|partagez|tweet|like|j'aime|menu|search|rechercher|log in|login
se connecter|connexion|sign up|subscribe|s'abonner|abonnez-vous|newsletter|cookies|accept|accepter
read more|lire la suite|en savoir plus|previous|next|précédent|suivant|article précédent|article suivant
related posts|articles similaires|posts récents|recent posts|tags|catégories|categories|home|accueil
facebook|twitter|linkedin|instagram|pinterest|whatsapp|email|imprimer|print|ree|all posts|tous les articles
""".strip().replace("\n", "|").split("|"))

_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")  # ![alt](src)
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")  # [text](url) -> text
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")  # "## Heading"
_MD_EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)\*(?!\s)|(?<!\w)_(?!\s))")  # **bold**, *it*, _it_
_BULLET = re.compile(r"^\s*(?:[•·▪◦‣∙*+-])\s+")  # "  • item", "- item"


def _decode(data: bytes, path: Path) -> tuple[str, tuple[str, ...]]:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or plausible Windows-1252 French/English text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ()
        except UnicodeDecodeError:
            raise LoadError(path, "not valid UTF-16 text") from None
    if b"\x00" in data:
        raise LoadError(path, "binary content (NUL bytes): not a text file")
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError as exc:
        utf8_error = exc
    text = data.decode("cp1252", errors="replace")
    odd = sum(1 for c in text if c == "\ufffd" or (ord(c) < 32 and c not in "\t\n\r\f")
              or (ord(c) > 127 and not c.isalpha() and c not in "«»‘’“”–—…°€·•œŒ\u00a0"))
    if odd > max(2, len(text) // 500):
        raise LoadError(path, f"not UTF-8 text (invalid byte at offset {utf8_error.start}) and not "
                              "readable as Windows-1252 either; save it as UTF-8")
    return text, ("not UTF-8: read as Windows-1252",)


def _is_chrome(line: str) -> bool:
    key = re.sub(r"[\W_]+$|^[\W_]+", "", line.strip().lower())
    return key in CHROME_LINES


def clean_lines(lines: list[str], markdown: bool) -> list[str]:
    """Drops chrome lines and verbatim-repeated captions; strips Markdown syntax to plain text."""
    stripped = [line.strip() for line in lines]
    # A short line repeated verbatim is an image caption or a banner, not the author's prose.
    counts = Counter(s for s in stripped if s and len(s.split()) <= 15 and not s.endswith((".", ":", "?", "!")))
    out: list[str] = []
    for raw, s in zip(lines, stripped):
        if s and (_is_chrome(s) or counts.get(s, 0) >= 2):
            continue
        line = raw.rstrip()
        if markdown:
            line = _MD_IMAGE.sub("", line)
            line = _MD_LINK.sub(r"\1", line)
            line = _MD_HEADING.sub("", line)
            line = _MD_EMPHASIS.sub("", line)
        line = _BULLET.sub("- ", line)
        out.append(line)
    return out


def guess_title(lines: list[str]) -> str | None:
    """The first line that reads like a title: 4-25 words, standing apart from the prose after it."""
    for i, line in enumerate(lines[:40]):
        s = line.strip()
        words = re.findall(r"\w+", s)
        if not 4 <= len(words) <= 25 or s.endswith((".", ",", ";")) or not s[:1].isupper():
            continue
        if re.match(r"(?i)(résumé|abstract|summary)\b", s):
            continue
        following = next((x.strip() for x in lines[i + 1:] if x.strip()), "")
        if i + 1 < len(lines) and lines[i + 1].strip() and following[:1].islower():
            continue  # the line wraps into a sentence: prose, not a title
        return s
    return None


def load(path: Path, limits: Limits) -> RawDocument:
    """Reads a .txt or .md file as one page (number None), chrome dropped, Markdown flattened."""
    data = path.read_bytes()
    text, warnings = _decode(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise LoadError(path, "empty file (no text)")
    markdown = path.suffix.lower() in (".md", ".markdown")
    lines = clean_lines(text.split("\n"), markdown)
    title = None
    if markdown:
        title = next((_MD_HEADING.sub("", x).strip() for x in text.split("\n") if _MD_HEADING.match(x)), None)
    title = title or guess_title(lines)
    return RawDocument(path=str(path), format="text", pages=(Page(None, "\n".join(lines)),),
                       meta=Meta(title=title, source="text" if title else None), warnings=warnings)
