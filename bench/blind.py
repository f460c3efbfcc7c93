"""Blind sets: concept tagging, reference parsing and citation linking on material written without kb's code.

Run: python bench/blind.py [concepts|refs|citations ...] [-v]

The files in bench/blind/ were written for kb by writers who were shown only the concept list (id, labels,
definition) or the field names, never the tagger's terms, the parser or its training data:
- concepts_dev.jsonl (70 passages) and concepts_test.jsonl (60, written later by another writer who did not
  see the first set): French and English paragraphs of the kinds users save, with the concepts a careful
  reader finds ("concepts") and borderline ones ("either", counted neither way). Many name a concept only
  by paraphrase, and many use a label's word in another sense (bread "pain", a tendon "rupture").
  Each passage is ingested as a text file by kb.pipeline.process; parents are implied on both sides.
- refs.jsonl: 100 reference strings in APA, Vancouver, Harvard, Chicago/MLA, French ISO 690 and other
  styles, with their fields. Matching is bench/refs.py's (case, accents, punctuation ignored).
- citations.jsonl: 30 short documents (body, reference list) with every citation as printed, the entries
  it cites, and look-alikes that are no citation ("(n = 120)", "(Table 2)", "COVID-19").
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

from refs import container_norm, norm, title_norm

from kb import pipeline, taxonomy
from kb.analysis import fold
from kb.refparse import parse_reference

BLIND = ROOT / "blind"


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (BLIND / name).read_text("utf-8").splitlines() if line.strip()]


def concepts(name: str, tmp: Path, verbose: bool) -> str:
    tx = taxonomy.load()

    def close(ids):
        return {a for i in ids for a in (i, *tx.ancestors(i))}

    right = wrong = missed = 0
    for r in _rows(name):
        path = tmp / f"{r['id']}.txt"
        path.write_text(r["text"], "utf-8")
        found = {c.id for c in pipeline.process(path).tagging.concepts}
        want = close(r["concepts"])
        judged = found - (close(r.get("either", ())) - want)
        right, wrong, missed = right + len(judged & want), wrong + len(judged - want), missed + len(want - found)
        if verbose and (judged - want or want - found):
            signs = ["+" + i for i in sorted(judged - want)] + ["-" + i for i in sorted(want - found)]
            print(f"  {r['id']} {' '.join(signs)}")
    return (f"{name}: precision {right / (right + wrong):.3f}  recall {right / (right + missed):.3f}  "
            f"(right {right}, wrong {wrong}, missed {missed})")


def refs(verbose: bool) -> str:
    fields = {k: [0, 0, 0] for k in ("first_author", "surnames", "year", "title", "container", "doi")}

    def add(field, gold, pred, ok):
        fields[field][0] += bool(gold and pred and ok)
        fields[field][1] += bool(pred)
        fields[field][2] += bool(gold)

    def surnames(names):
        return [norm(a.split(",")[0]) for a in names]

    for r in _rows("refs.jsonl"):
        p = parse_reference(r["raw"])
        gold, pred = surnames(r["authors"]), surnames(p.authors)
        add("first_author", gold[:1], pred[:1], gold[:1] == pred[:1])
        add("surnames", gold, pred, gold == pred)
        add("year", r["year"], p.year, r["year"] == p.year)
        add("title", r["title"], p.title, title_norm(r["title"]) == title_norm(p.title))
        add("container", r["container"], p.container, container_norm(r["container"]) == container_norm(p.container))
        doi = (r["doi"] or "").lower().rstrip("./")
        add("doi", doi, p.doi, doi == (p.doi or "").lower())
        if verbose and title_norm(r["title"]) != title_norm(p.title):
            print(f"  {r['id']} title {r['title']!r} -> {p.title!r}")
    out = ["refs.jsonl (100 references): F1"]
    for field, (ok, pred, gold) in fields.items():
        p, r = ok / pred if pred else 0.0, ok / gold if gold else 0.0
        out.append(f"{field} {2 * p * r / (p + r) if p + r else 0:.3f}")
    return "  ".join(out)


def citations(tmp: Path, verbose: bool) -> str:
    gold_items = found_items = extra = 0
    gold_links = pred_links = right_links = 0
    sized = lists = 0
    for r in _rows("citations.jsonl"):
        text = r["body"].strip()
        if r["references"]:
            heading = "Références" if r["lang"] == "fr" else "References"
            text += f"\n\n{heading}\n\n" + "\n".join(r["references"]) + "\n"
        path = tmp / f"{r['id']}.txt"
        path.write_text(text, "utf-8")
        result = pipeline.process(path).citations
        if r["references"]:
            lists += 1
            sized += len(result.references) == len(r["references"])
        want = {i for g in r["gold"] for i in g["refs"]}
        got = {c.ref_index for c in result.citations if c.ref_index is not None}
        gold_links, pred_links = gold_links + len(want), pred_links + len(got)
        right_links += len(want & got)
        used = set()
        for g in r["gold"]:
            gold_items += 1
            marker, years = fold(g["marker"]).lower(), re.findall(r"\d{4}", g["marker"])
            hits = [k for k, c in enumerate(result.citations)
                    if (marker in fold(c.marker).lower() or fold(c.marker).lower() in marker)
                    and (not years or not c.year or str(c.year) in years)]
            found_items += bool(hits)
            used.update(hits)
            if verbose and not hits:
                print(f"  {r['id']} missed {g['marker']!r}")
        for k, c in enumerate(result.citations):
            if k not in used:
                extra += 1
                if verbose:
                    print(f"  {r['id']} not in the gold {c.marker!r}")
    return (f"citations.jsonl: citations found {found_items}/{gold_items} ({found_items / gold_items:.3f}), "
            f"{extra} found that are none; links precision {right_links / pred_links:.3f} recall "
            f"{right_links / gold_links:.3f}; lists split into the right number of entries {sized}/{lists}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sets", nargs="*", metavar="SET", help="concepts, refs or citations (default: all three)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list each error")
    args = ap.parse_args()
    chosen = args.sets or ["concepts", "refs", "citations"]
    if unknown := set(chosen) - {"concepts", "refs", "citations"}:
        ap.error(f"unknown set {', '.join(sorted(unknown))}: choose concepts, refs or citations")
    with tempfile.TemporaryDirectory() as tmp:
        if "concepts" in chosen:
            print(concepts("concepts_dev.jsonl", Path(tmp), args.verbose))
            print(concepts("concepts_test.jsonl", Path(tmp), args.verbose))
        if "refs" in chosen:
            print(refs(args.verbose))
        if "citations" in chosen:
            print(citations(Path(tmp), args.verbose))


if __name__ == "__main__":
    main()
