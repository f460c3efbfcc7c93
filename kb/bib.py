"""Bibliographic metadata: the one import point for reading (kb.bibread) and writing (kb.bibwrite).

Callers use `bib.read_metadata`, `bib.match`, `bib.apply` on the way in and `bib.to_bibtex`... on the way
out; the two halves live in their own modules.
"""

from __future__ import annotations

from kb.bibread import TITLE_MATCH, BibEntry, apply, delatex, match, normalize_doi, read_metadata
from kb.bibwrite import (FORMATS, ExportItem, cite_key, export_works, item_from_document, item_from_work, tex,
                         to_bibtex, to_csljson, to_ris)

__all__ = ["TITLE_MATCH", "BibEntry", "apply", "delatex", "match", "normalize_doi", "read_metadata", "FORMATS",
           "ExportItem", "cite_key", "export_works", "item_from_document", "item_from_work", "tex", "to_bibtex",
           "to_csljson", "to_ris"]
