"""Text fidelity of kb's PDF reading: word recall and reading order against known text, and the cost of
kb's loader + normalisation against bare pypdf extraction.

Run: /tmp/venv/bin/python bench/fidelity.py [--timing]
Recall = share of ground-truth words (multiset, folded) found in kb's text; order = share of
ground-truth word 5-grams found as 5-grams in kb's text (interleaved columns break them).
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from kb.analysis import fold  # noqa: E402
from kb.config import Limits  # noqa: E402
from kb.errors import LoadError  # noqa: E402
from kb.load import pdf  # noqa: E402
from kb.normalize import clean  # noqa: E402

PDFS = ROOT.parent / "shared" / "data" / "pdfs"

# (pdf, ground truth, how the ground truth is laid out)
CASES = [
    ("py-pdf-sample-files/026-latex-multicolumn_multicolumn.pdf", "pypdf-resources/multicolumn-lorem-ipsum.txt",
     "two-column-layout"),
    ("pypdf-resources/crazyones.pdf", "pypdf-resources/crazyones.txt", "plain"),
    ("ocrmypdf-tests/linn.pdf", "ocrmypdf-tests/linn.txt", "plain"),
    ("docling-tests/2305.03393v1-pg9.pdf", "docling-tests/2305.03393v1-pg9.groundtruth.md", "markdown"),
    ("docling-tests/ocr_test_scanned.pdf", "docling-tests/ocr_test_scanned.groundtruth.md", "markdown"),
]


def words(text: str) -> list[str]:
    text = text.translate({0xFB01: "fi", 0xFB02: "fl", 0xFB00: "ff", 0xFB03: "ffi", 0xFB04: "ffl"})
    return [fold(w) for w in re.findall(r"[^\W_]+", text)]


def recall(truth: list[str], got: list[str]) -> float:
    want, have = Counter(truth), Counter(got)
    return sum(min(n, have[w]) for w, n in want.items()) / max(sum(want.values()), 1)


def order(truth: list[str], got: list[str], n: int = 5) -> float:
    grams = {tuple(got[i:i + n]) for i in range(len(got) - n + 1)}
    want = [tuple(truth[i:i + n]) for i in range(len(truth) - n + 1)]
    return sum(g in grams for g in want) / max(len(want), 1)


def columns_in_reading_order(layout: str) -> str:
    """A pdftotext -layout page (two columns side by side) as left column then right column."""
    lines = layout.split("\n")
    width = max(len(ln) for ln in lines)
    # The gutter: a character position in the middle third that is blank on nearly every line.
    best = max(range(width // 3, 2 * width // 3),
               key=lambda c: sum(1 for ln in lines if len(ln) <= c or ln[c - 1:c + 1] == "  "))
    left = [ln[:best] for ln in lines]
    right = [ln[best:] for ln in lines]
    text = "\n".join(s.strip() for s in left + right if s.strip())
    return re.sub(r"(\w)-\n(\w)", r"\1\2", text)


def truth_text(path: Path, kind: str) -> str:
    text = path.read_text(encoding="utf-8")
    if kind == "two-column-layout":
        return columns_in_reading_order(text)
    if kind == "markdown":
        text = re.sub(r"^\|[-| ]+\|$", "", text, flags=re.M)
        text = re.sub(r"^#+\s*", "", text, flags=re.M).replace("|", " ")
    return text


def kb_text(path: Path) -> str:
    return "\n".join(p.text for p in clean(pdf.load(path, Limits())).pages)


def shared_cases() -> list[tuple[str, float | None, float | None, str]]:
    rows = []
    for pdf_rel, truth_rel, kind in CASES:
        try:
            got = words(kb_text(PDFS / pdf_rel))
        except LoadError as exc:
            rows.append((pdf_rel, None, None, exc.reason))
            continue
        truth = words(truth_text(PDFS / truth_rel, kind))
        if kind == "two-column-layout":  # the ground truth covers page 1 only; so does the order check
            got_p1 = words(clean(pdf.load(PDFS / pdf_rel, Limits())).pages[0].text)
            rows.append((pdf_rel, recall(truth, got), order(truth, got_p1), ""))
        else:
            rows.append((pdf_rel, recall(truth, got), order(truth, got), ""))
    return rows


def generated_cases(tmp: Path) -> list[tuple[str, float, float, str]]:
    from pdfgen import make_article_pdf  # tests/pdfgen.py
    from fidelity_article import ARTICLE, HEADER, article_words  # noqa: WPS433 (tests/)

    rows = []
    for order_kind in ("column", "row"):
        path = tmp / f"article-{order_kind}.pdf"
        make_article_pdf(path, ARTICLE, columns=2, order=order_kind, hyphenate=True, running_header=HEADER)
        doc = clean(pdf.load(path, Limits()))
        text = "\n".join(p.text for p in doc.pages)
        truth = article_words()
        headers = sum(HEADER in p.text for p in doc.pages)
        rows.append((f"generated French article, {order_kind}-major, {len(doc.pages)} pages",
                     recall(truth, words(text)), order(truth, words(text)),
                     f"header lines left: {headers}"))
    return rows


def timing() -> None:
    """kb's loader + clean against bare pypdf extract_text on every readable shared PDF, same run."""
    import logging
    import warnings

    from pypdf import PdfReader

    files = []
    for path in sorted(PDFS.rglob("*.pdf")):
        try:
            pdf.load(path, Limits())
            files.append(path)
        except LoadError:
            pass
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    for _ in range(2):
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for path in files:
                reader = PdfReader(path)
                if reader.is_encrypted:
                    reader.decrypt("")
                for page in reader.pages:
                    page.extract_text()
        bare = time.perf_counter() - t0
        t0 = time.perf_counter()
        for path in files:
            clean(pdf.load(path, Limits()))
        ours = time.perf_counter() - t0
        print(f"timing: {len(files)} PDFs, bare pypdf {bare:.2f} s, kb load+clean {ours:.2f} s, "
              f"ratio {ours / bare:.2f}")


def main() -> None:
    import tempfile

    rows = shared_cases() if PDFS.exists() else []
    with tempfile.TemporaryDirectory() as tmp:
        rows += generated_cases(Path(tmp))
    for name, rec, ordr, note in rows:
        if rec is None:
            print(f"{name}: not readable ({note})")
        else:
            print(f"{name}: word recall {rec:.3f}, 5-gram order {ordr:.3f} {note}")
    if "--timing" in sys.argv:
        timing()


if __name__ == "__main__":
    main()
