"""Bench: ranking quality of `kb search` on the demo corpus against tests/demo_truth.json.

Run: python bench/relevance.py [--show]
The truth file's queries list the relevant documents, most relevant first, judged by reading the
documents (not by running kb). Gains are graded by that order (the first of n relevant documents gains n,
the last 1); the script prints nDCG@10 and P@5 per query and their means, from a fresh index of corpus/
built in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from kb import pipeline  # noqa: E402
from kb.search import close_all, search  # noqa: E402


def scores(ranked: list[str], relevant: list[str]) -> tuple[float, float]:
    """nDCG@10 with graded gains, and precision at 5 (over min(5, number relevant))."""
    gains = {name: len(relevant) - i for i, name in enumerate(relevant)}
    dcg = sum(gains.get(name, 0) / math.log2(i + 2) for i, name in enumerate(ranked[:10]))
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(sorted(gains.values(), reverse=True)[:10]))
    p5 = sum(name in gains for name in ranked[:5]) / min(5, len(relevant))
    return dcg / ideal, p5


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="print the ranked files of each query")
    args = ap.parse_args()
    truth = json.loads((ROOT / "tests" / "demo_truth.json").read_text("utf-8"))["queries"]
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        pipeline.ingest([ROOT / "corpus"], index, jobs=1)
        rows = []
        for query, relevant in truth.items():
            result = search(index, query, limit=10, with_facets=False)
            ranked = [Path(h.path).name for h in result.hits]
            ndcg, p5 = scores(ranked, relevant)
            rows.append((query, ndcg, p5, result.total))
            print(f"{query:38} nDCG@10 {ndcg:.3f}  P@5 {p5:.2f}  matches {result.total}")
            if args.show:
                print("    " + ", ".join(ranked))
        close_all()
    print(f"{'mean over ' + str(len(rows)) + ' queries':38} nDCG@10 {sum(r[1] for r in rows) / len(rows):.3f}"
          f"  P@5 {sum(r[2] for r in rows) / len(rows):.3f}")


if __name__ == "__main__":
    main()
