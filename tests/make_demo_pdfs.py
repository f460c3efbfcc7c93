"""Builds the demo corpus PDFs (corpus/*.pdf) from the article sources in tests/demo_sources/.

The sources live outside corpus/ because every text file there is ingested as a document. Output is
deterministic (pdfgen uses reportlab's invariant mode), so re-running leaves git clean.

Source format (one file per PDF, UTF-8):
    title: ...              header lines "key: value" up to a line "=="
    authors: A; B           ("; "-separated lists for authors and keywords)
    columns: 2 / order: row / hyphenate: yes / header: running header text / info: no
    ==
    The abstract, one paragraph.
    # Heading               a section; following lines are its paragraphs (one per line)
    # References            the last heading named References/Références: one reference per line

Usage: python tests/make_demo_pdfs.py [--out DIR]   (default: corpus/ beside tests/)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pdfgen import Article, Section, make_article_pdf  # noqa: E402

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "demo_sources"
REF_HEADINGS = {"references", "références", "bibliographie"}


def parse_source(path: Path) -> tuple[Article, dict]:
    """Returns the article and the layout options of one source file."""
    head, _, body = path.read_text(encoding="utf-8").partition("\n==\n")
    meta: dict[str, str] = {}
    for line in head.splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            raise ValueError(f"{path}: header line without a colon: {line!r}")
        meta[key.strip()] = value.strip()
    lines = [ln.strip() for ln in body.splitlines() if ln.strip()]
    abstract = lines.pop(0)
    sections: list[Section] = []
    references: list[str] = []
    in_refs = False
    for ln in lines:
        if ln.startswith("# "):
            heading = ln[2:].strip()
            in_refs = heading.lower() in REF_HEADINGS
            if not in_refs:
                sections.append(Section(heading, []))
        elif in_refs:
            references.append(ln)
        else:
            sections[-1].paragraphs.append(ln)
    article = Article(
        title=meta["title"], authors=[a.strip() for a in meta["authors"].split(";")], abstract=abstract,
        sections=sections, references=references,
        keywords=[k.strip() for k in meta.get("keywords", "").split(";") if k.strip()],
        lang=meta.get("lang", "en"), year=int(meta["year"]) if meta.get("year") else None,
        journal=meta.get("journal") or None, doi=meta.get("doi") or None)
    options = dict(columns=int(meta.get("columns", "1")), order=meta.get("order", "column"),
                   hyphenate=meta.get("hyphenate", "no") == "yes", running_header=meta.get("header") or None,
                   set_info=meta.get("info", "yes") == "yes")
    return article, options


def build(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for src in sorted(SOURCES.glob("*.txt")):
        article, options = parse_source(src)
        target = out / f"{src.stem}.pdf"
        make_article_pdf(target, article, **options)
        written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE.parent / "corpus")
    args = parser.parse_args()
    for path in build(args.out):
        print(path)


if __name__ == "__main__":
    main()
