"""Reference entries: splitting a reference section into entries and parsing one entry into fields."""

from __future__ import annotations

from kb.models import Reference
from kb.refparse.names import fold, parse_authors
from kb.refparse.rules import parse_rules
from kb.refparse.split import split_entries

__all__ = ["fold", "parse_authors", "parse_reference", "split_entries"]


def parse_reference(raw: str) -> Reference:
    """Parse one reference entry (any common style, French or English) into a Reference."""
    return parse_rules(raw)
