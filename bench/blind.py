"""Blind sets: concept tagging, reference parsing, citations, web-page cleaning and ranking, on material written
without kb's code.

Run: python bench/blind.py [concepts|refs|citations|html|relevance ...] [-v]

The files in bench/blind/ were written for kb by writers (helpers) who were shown only the concept list (id,
labels, definition) or the field names, never the tagger's terms, the parser, its training data or kb's code:
- concepts_dev.jsonl (70 passages), concepts_test.jsonl (60), concepts_test2.jsonl (80, a third writer, who saw
  neither) and concepts_test3.jsonl (80, a fourth: fewer paraphrases, more realistic and distractor passages): French and English paragraphs of the kinds users save, with the concepts a careful reader finds
  ("concepts") and borderline ones ("either", counted neither way). Many name a concept only by paraphrase,
  and many use a label's word in another sense (bread "pain", a tendon "rupture", an airline "alliance").
  Each passage is ingested as a text file by kb.pipeline.process; parents are implied on both sides.
- refs.jsonl (100) and refs2.jsonl (150, another writer, more French ISO 690, Vancouver, Chicago notes and
  strings copied from web pages), refs3.jsonl (160, a third writer: the field's own literature, APA in
  English and French, ISO 690, Cairn copies, strings damaged by PDF extraction or copied with "Google Scholar"
  links): reference strings with their fields. Matching is bench/refs.py's (case, accents, punctuation ignored).
- citations.jsonl, citations2.jsonl and citations3.jsonl (30 documents each; the second in harder styles:
  numbers glued to words, IEEE locators, "in press", "s.d.", footnote citations; the third mostly French,
  with "op. cit."/"Ibid." notes, reprint years, group authors and their abbreviations): a body, a reference
  list, every citation as printed and the entries it cites, and look-alikes that are no citation ("(n = 120)",
  "(Table 2)").
- html/: 16 saved web pages (blog, news, university, journal, health portal, forum, Medium-like, table
  layout in Latin-1, Blogger), html2/: 14 more by another writer (Cairn- and OpenEdition-like articles,
  PubMed, Frontiers, Wix, a CHU guide, a forum thread, Substack, Wikipedia, HAL, Latin-1 tables), html3/: 10
  more by a fifth writer (Ghost, Drupal, ScienceDirect, BMC, a WordPress/Divi federation, a class-less inline-styled
  site, a health portal, Stack Exchange, a newspaper with ads and a live ticker, AMP) with, for each, its title, sentences of the article a cleaner must keep and
  strings of the site's furniture (menus, cookie banners, ads, author boxes, comments) it must drop.
- relevance/: 48 short French and English documents and 36 queries (concept names, paraphrases, authors,
  acronyms, typos, quoted phrases, words with another sense), each with documents graded 2 (mainly about
  it) or 1 (treats it in part), judged by reading, in either language. relevance2/: 50 documents and 36
  queries by another writer, adding natural questions and cross-lingual queries.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

from refs import container_norm, norm, title_norm  # noqa: E402

from kb import pipeline, taxonomy  # noqa: E402
from kb.analysis import fold  # noqa: E402
from kb.errors import KbError  # noqa: E402
from kb.refparse import parse_reference  # noqa: E402

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


def refs(name: str, verbose: bool) -> str:
    fields = {k: [0, 0, 0] for k in ("first_author", "surnames", "year", "title", "container", "doi")}

    def add(field, gold, pred, ok):
        fields[field][0] += bool(gold and pred and ok)
        fields[field][1] += bool(pred)
        fields[field][2] += bool(gold)

    def surnames(names):
        return [norm(a.split(",")[0]) for a in names]

    rows = _rows(name)
    for r in rows:
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
        if verbose and container_norm(r["container"]) != container_norm(p.container):
            print(f"  {r['id']} container {r['container']!r} -> {p.container!r}")
    out = [f"{name} ({len(rows)} references): F1"]
    for field, (ok, pred, gold) in fields.items():
        p, r = ok / pred if pred else 0.0, ok / gold if gold else 0.0
        out.append(f"{field} {2 * p * r / (p + r) if p + r else 0:.3f}")
    return "  ".join(out)


def _gold_citations(r: dict) -> list[tuple[str, list[int]]]:
    """(marker as printed, entries cited) of each citation, from either file's shape."""
    if "gold" in r:
        return [(g["marker"], g["refs"]) for g in r["gold"]]
    return [(c["text"], c["cites"]) for c in r["citations"]]


def _marker(printed: str) -> str:
    """A marker as compared: folded, lower case, a line break's hyphenation and spacing undone (kb shows
    "Zilcha-Mano (2017)" where the page broke "Zilcha-\\nMano")."""
    return " ".join(re.sub(r"-\n", "-", fold(printed).lower()).split())


def _same_marker(gold: str, found: str) -> bool:
    """One marker is the other or a part of it ("Martin et al., 2000" of "(Horvath, 1991; Martin et al., 2000)").
    Numbers are printed whole, so they must be the same numbers: "1" is "France1" or "Atkins et al. [1]",
    not "12" nor "1,7"."""
    if re.fullmatch(r"[\d\s,;–\-\[\]()]+", gold):
        return re.findall(r"\d+", gold) == re.findall(r"\d+", found) and (gold in found or found in gold)
    return gold in found or found in gold


def citations(name: str, tmp: Path, verbose: bool) -> str:
    """One kb occurrence (a run of per-work citations with one marker in one sentence) answers one gold citation
    printed whole, or every gold citation that is a part of it (one work of a bracket of several)."""
    gold_items = found_items = extra = 0
    gold_links = pred_links = right_links = 0
    sized = lists = 0
    for r in _rows(name):
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
        gold = _gold_citations(r)
        want = {i for _, refs_ in gold for i in refs_}
        got = {c.ref_index for c in result.citations if c.ref_index is not None}
        gold_links, pred_links = gold_links + len(want), pred_links + len(got)
        right_links += len(want & got)
        occurrences: list[dict] = []
        for c in result.citations:
            if occurrences and occurrences[-1]["key"] == (c.passage, c.marker, c.sentence):
                occurrences[-1]["years"].add(str(c.year))
            else:
                occurrences.append({"key": (c.passage, c.marker, c.sentence), "marker": _marker(c.marker),
                                    "years": {str(c.year)}})
        used: set[int] = set()
        for printed, _ in gold:
            gold_items += 1
            marker, years = _marker(printed), re.findall(r"\d{4}", printed)
            hits = [k for k, o in enumerate(occurrences) if _same_marker(marker, o["marker"])
                    and (not years or "None" in o["years"] or set(years) & o["years"])]
            whole = [k for k in hits if occurrences[k]["marker"] == marker and k not in used]
            part = [k for k in hits if occurrences[k]["marker"] != marker]
            found_items += bool(whole or part)
            used.update(whole[:1] + part)
            if verbose and not (whole or part):
                print(f"  {r['id']} missed {printed!r}")
        either = [_marker(e) for e in r.get("either", [])]
        for k, o in enumerate(occurrences):
            if k not in used and not any(o["marker"] in e or e in o["marker"] for e in either):
                extra += 1
                if verbose:
                    print(f"  {r['id']} not in the gold {o['marker']!r}")
    return (f"{name}: citations found {found_items}/{gold_items} ({found_items / gold_items:.3f}), "
            f"{extra} found that are none; links precision {right_links / pred_links:.3f} recall "
            f"{right_links / gold_links:.3f}; lists split into the right number of entries {sized}/{lists}")


def _canon(s: str) -> str:
    """Text as compared for the web pages: NFKC, typographic quotes and dashes plain, spaces collapsed, lower."""
    s = unicodedata.normalize("NFKC", s).replace("\u00ad", "")
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("«", '"'), ("»", '"'), ("–", "-"), ("—", "-")):
        s = s.replace(a, b)
    return re.sub(r"\s+", " ", s).strip().lower()


def html(name: str, verbose: bool) -> str:
    rows = _rows(f"{name}/truth.jsonl")
    keep = kept = drop = dropped = titles = sized = 0
    for r in rows:
        try:
            record = pipeline.process(BLIND / name / f"{r['id']}.html")
        except KbError as exc:
            keep, drop, dropped = keep + len(r["body_must"]), drop + len(r["chrome_must_not"]), dropped + len(
                r["chrome_must_not"])
            print(f"  {r['id']} failed: {exc}")
            continue
        text = _canon(" ".join(p.text for p in record.document.passages))
        title = record.document.meta.title or ""
        titles += _canon(title).rstrip(".") == _canon(r["title"]).rstrip(".")
        sized += len(record.citations.references) == r["references"]
        lost = [x for x in r["body_must"] if _canon(x) not in text]
        leaked = [x for x in r["chrome_must_not"] if _canon(x) in text]
        keep, kept = keep + len(r["body_must"]), kept + len(r["body_must"]) - len(lost)
        drop, dropped = drop + len(r["chrome_must_not"]), dropped + len(r["chrome_must_not"]) - len(leaked)
        if verbose:
            if _canon(title).rstrip(".") != _canon(r["title"]).rstrip("."):
                print(f"  {r['id']} title {title!r}, want {r['title']!r}")
            for x in lost:
                print(f"  {r['id']} lost {x[:90]!r}")
            for x in leaked:
                print(f"  {r['id']} kept furniture {x[:90]!r}")
    return (f"{name} ({len(rows)} pages): titles {titles}/{len(rows)}; article sentences kept {kept}/{keep} "
            f"({kept / keep:.3f}); furniture strings dropped {dropped}/{drop} ({dropped / drop:.3f}); reference "
            f"lists of the right size {sized}/{len(rows)}")


def relevance(name: str, tmp: Path, verbose: bool) -> str:
    """nDCG@10 with gains 2^grade - 1, P@5 over min(5, relevant), recall in the top 10; per query kind too."""
    from kb.search import close_all, search

    queries = _rows(f"{name}/queries.jsonl")
    docs = BLIND / name / "docs"
    index = tmp / f"{name}-index"
    pipeline.ingest([docs], index, jobs=1)
    by: dict[str, list[tuple[float, float, float]]] = {}
    for q in queries:
        ranked = [Path(h.path).stem for h in search(index, q["query"], limit=10, with_facets=False).hits]
        grades = q["relevant"]
        dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked))
        ideal = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(sorted(grades.values(), reverse=True)[:10]))
        row = (dcg / ideal, sum(d in grades for d in ranked[:5]) / min(5, len(grades)),
               sum(d in grades for d in ranked) / len(grades))
        for key in ("all", q["kind"]):
            by.setdefault(key, []).append(row)
        if verbose:
            print(f"  {q['id']} {q['kind']:10} {q['query'][:36]:36} nDCG@10 {row[0]:.2f}  "
                  + " ".join(d + "*" * grades.get(d, 0) for d in ranked))
    close_all()

    def mean(rows, k):
        return sum(r[k] for r in rows) / len(rows)

    kinds = "; ".join(f"{k} {mean(v, 0):.2f}" for k, v in sorted(by.items()) if k != "all")
    return (f"{name} ({len(queries)} queries, {len(list(docs.iterdir()))} documents): nDCG@10 {mean(by['all'], 0):.3f}  P@5 "
            f"{mean(by['all'], 1):.3f}  recall@10 {mean(by['all'], 2):.3f}\n  nDCG@10 by kind: {kinds}")


SETS = ("concepts", "refs", "citations", "html", "relevance")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sets", nargs="*", metavar="SET", help=f"{', '.join(SETS)} (default: all)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list each error")
    args = ap.parse_args()
    chosen = args.sets or list(SETS)
    if unknown := set(chosen) - set(SETS):
        ap.error(f"unknown set {', '.join(sorted(unknown))}: choose among {', '.join(SETS)}")
    with tempfile.TemporaryDirectory() as tmp:
        if "concepts" in chosen:
            for name in ("concepts_dev.jsonl", "concepts_test.jsonl", "concepts_test2.jsonl", "concepts_test3.jsonl"):
                print(concepts(name, Path(tmp), args.verbose))
        if "refs" in chosen:
            for name in ("refs.jsonl", "refs2.jsonl", "refs3.jsonl"):
                print(refs(name, args.verbose))
        if "citations" in chosen:
            for name in ("citations.jsonl", "citations2.jsonl", "citations3.jsonl"):
                print(citations(name, Path(tmp), args.verbose))
        if "html" in chosen:
            for name in ("html", "html2", "html3"):
                print(html(name, args.verbose))
        if "relevance" in chosen:
            for name in ("relevance", "relevance2"):
                print(relevance(name, Path(tmp), args.verbose))


if __name__ == "__main__":
    main()
