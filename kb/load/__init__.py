"""Chooses the loader for a file by its name and first bytes; every loader returns a RawDocument.

Loaders: pdf.py (pypdf), html.py (BeautifulSoup; with readable.py, the article as Readability finds it, and
furniture.py, what a page's furniture is), text.py (.txt/.md). None touches the network.
"""

from __future__ import annotations

from pathlib import Path

from kb.config import Limits
from kb.errors import LoadError
from kb.models import RawDocument

SUFFIXES = {".pdf": "pdf", ".html": "html", ".htm": "html", ".xhtml": "html",
            ".txt": "text", ".md": "text", ".markdown": "text"}
# Bibliographic metadata files: read by kb.bib, not as documents.
METADATA_SUFFIXES = {".bib", ".ris", ".json"}


def is_document(path: Path) -> bool:
    """Whether kb reads this file as a document (by suffix; hidden files never)."""
    return path.suffix.lower() in SUFFIXES and not path.name.startswith(".")


def load(path: Path, limits: Limits | None = None) -> RawDocument:
    """Reads one file with the loader for its format; raises LoadError with the reason."""
    limits = limits or Limits()
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise LoadError(path, f"unsupported file type '{path.suffix}' (kb reads .pdf, .html, .htm, .txt, .md)")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError(path, f"cannot read ({exc.strerror})") from None
    if size == 0:
        raise LoadError(path, "empty file (0 bytes)")
    if size > limits.max_file_mb * 1024 * 1024:
        raise LoadError(path, f"file is {size / 1048576:.0f} MB, over the {limits.max_file_mb:g} MB limit "
                              "(KB_MAX_FILE_MB); not read")
    try:
        if kind == "pdf":
            from kb.load import pdf as loader
        elif kind == "html":
            from kb.load import html as loader
        else:
            from kb.load import text as loader
        return loader.load(path, limits)
    except LoadError:
        raise
    except MemoryError:
        raise LoadError(path, "ran out of memory reading the file") from None
    except RecursionError:
        raise LoadError(path, "structure nested too deeply to read") from None
    except OSError as exc:
        raise LoadError(path, f"cannot read ({exc.strerror or exc})") from None
    except Exception as exc:  # a loader bug or an odd file: report it, never crash the run
        raise LoadError(path, f"unreadable {kind} file ({type(exc).__name__}: {exc})"[:300]) from None
