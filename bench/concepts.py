"""Concept tagging precision and recall on the demo corpus, against the hand-written truth.

Run: python bench/concepts.py [--json]

Each document of corpus/ goes through kb.pipeline.process; its DocRecord's tagging.concepts (ids,
parents implied) are compared with tests/demo_truth.json: `concepts` are the ids a correct tagger finds,
`either` are borderline ids (brief mentions) that count neither way, `about` what the document is mainly
about. Precision = right / (found - either); recall = right / concepts; both micro-averaged over
documents (every id counts once per document). The truth was written by reading, not by running kb.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kb import pipeline  # noqa: E402

TRUTH = ROOT / "tests" / "demo_truth.json"
CORPUS = ROOT / "corpus"


def score(corpus: Path = CORPUS, truth_file: Path = TRUTH) -> dict:
    """Per-document and micro-averaged figures: found, right, wrong (false positives), missed."""
    truth = json.loads(truth_file.read_text("utf-8"))["docs"]
    docs = {}
    for name, want in sorted(truth.items()):
        record = pipeline.process(corpus / name)
        found = {c.id for c in record.tagging.concepts}
        expected, either = set(want["concepts"]), set(want.get("either", ()))
        judged = found - either
        docs[name] = {"found": sorted(found), "right": sorted(judged & expected),
                      "wrong": sorted(judged - expected), "missed": sorted(expected - found),
                      "about_missed": sorted(set(want.get("about", ())) - found)}
    right = sum(len(d["right"]) for d in docs.values())
    wrong = sum(len(d["wrong"]) for d in docs.values())
    missed = sum(len(d["missed"]) for d in docs.values())
    about = sum(len(w.get("about", ())) for w in truth.values())
    about_missed = sum(len(d["about_missed"]) for d in docs.values())
    return {"docs": docs, "right": right, "wrong": wrong, "missed": missed,
            "precision": right / (right + wrong) if right + wrong else None,
            "recall": right / (right + missed) if right + missed else None,
            "about_recall": (about - about_missed) / about if about else None}


def table(res: dict) -> str:
    rows = [f"{'document':40} {'right':>5} {'wrong':>5} {'missed':>6}  wrong ids / missed ids"]
    for name, d in res["docs"].items():
        detail = " ".join(["+" + i for i in d["wrong"]] + ["-" + i for i in d["missed"]])
        rows.append(f"{name:40} {len(d['right']):5} {len(d['wrong']):5} {len(d['missed']):6}  {detail}")
    rows.append(f"{'all ' + str(len(res['docs'])) + ' documents':40} {res['right']:5} {res['wrong']:5} "
                f"{res['missed']:6}")
    rows.append(f"precision {res['precision']:.3f}  recall {res['recall']:.3f}  "
                f"(main topics found: {res['about_recall']:.3f})")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    started = time.perf_counter()
    res = score()
    print(json.dumps(res, indent=1) if args.json else table(res))
    print(f"\n({time.perf_counter() - started:.1f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
