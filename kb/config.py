"""Where kb reads and writes: one resolver for the corpus folder, the index folder and the taxonomy, and
the cache folder.

Precedence: an explicit option > KB_INDEX (index only) > KB_HOME (corpus and index together) > the
working directory (./corpus, ./index).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    """The folders and files one kb run uses."""

    home: Path
    corpus: Path
    index: Path
    taxonomy: Path | None  # a user taxonomy extending the built-in one, when present


def resolve(index: str | os.PathLike | None = None, corpus: str | os.PathLike | None = None,
            taxonomy: str | os.PathLike | None = None) -> Paths:
    """The paths for this run, from options first, then the environment, then the working directory."""
    home = Path(os.environ.get("KB_HOME") or ".")
    corpus_dir = Path(corpus) if corpus else home / "corpus"
    if index:
        index_dir = Path(index)
    elif os.environ.get("KB_INDEX"):
        index_dir = Path(os.environ["KB_INDEX"])
    else:
        index_dir = home / "index"
    if taxonomy:
        tax = Path(taxonomy)
    elif os.environ.get("KB_TAXONOMY"):
        tax = Path(os.environ["KB_TAXONOMY"])
    else:
        default = corpus_dir / "taxonomy.toml"
        tax = default if default.exists() else None
    return Paths(home=home, corpus=corpus_dir, index=index_dir, taxonomy=tax)


def cache_dir() -> Path | None:
    """Where kb keeps what it can always rebuild (the compiled taxonomy): KB_CACHE, else
    $XDG_CACHE_HOME/kb, else ~/.cache/kb; None when there is no home to put it in."""
    if os.environ.get("KB_CACHE"):
        return Path(os.environ["KB_CACHE"])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "kb"
    try:
        return Path.home() / ".cache" / "kb"
    except RuntimeError:  # no home directory to resolve
        return None


@dataclass(frozen=True)
class Limits:
    """Guards against files that would exhaust memory or time; a file over a limit is reported."""

    max_file_mb: float = float(os.environ.get("KB_MAX_FILE_MB", 200))
    max_pages: int = int(os.environ.get("KB_MAX_PAGES", 2000))
