"""Shapes records for output: the JSON contracts of `kb show`, and its plain-text rendering."""

from __future__ import annotations


from kb.models import DocRecord


def _reference_json(ref, work_id: str | None) -> dict:
    return {"n": ref.n, "raw": ref.raw, "authors": list(ref.authors), "year": ref.year, "title": ref.title,
            "container": ref.container, "doi": ref.doi, "work_id": work_id,
            "volume": ref.volume, "issue": ref.issue, "pages": ref.pages, "url": ref.url, "page": ref.page}


def document_json(record: DocRecord, works=None) -> dict:
    """The `kb show --json` shape: metadata, passages, concepts with evidence, references, citations.

    works is the corpus registry (kb.registry.Registry) giving each reference and citation its work id."""
    doc = record.document
    refs = record.citations.references
    ref_ids = [works.refs.get(f"{doc.doc_id}:{i}") if works else None for i in range(len(refs))]
    cites = []
    for i, c in enumerate(record.citations.citations):
        work = works.cites.get(f"{doc.doc_id}:{i}") if works else None
        if work is None and c.ref_index is not None and c.ref_index < len(ref_ids):
            work = ref_ids[c.ref_index]
        cites.append({"marker": c.marker, "work_id": work, "page": c.page, "sentence": c.sentence})
    return {
        "doc_id": doc.doc_id, "title": doc.meta.title, "authors": list(doc.meta.authors), "year": doc.meta.year,
        "lang": doc.lang, "path": doc.path, "format": doc.format, "pages": doc.pages,
        "doi": doc.meta.doi, "abstract": doc.meta.abstract, "metadata_source": doc.meta.source,
        "passages": [{"page": p.page, "text": p.text, "kind": p.kind, "lang": p.lang} for p in doc.passages],
        "concepts": [{"id": c.id, "count": c.count, "labels": list(c.labels),
                      "evidence": [{"page": e.page, "text": e.text} for e in c.evidence]}
                     for c in record.tagging.concepts],
        "references": [_reference_json(r, w) for r, w in zip(refs, ref_ids)],
        "citations": cites,
        "warnings": list(doc.warnings),
    }


def document_text(data: dict, full: bool = False) -> list[str]:
    """Human-readable lines for `kb show`."""
    out = [data["title"] or data["path"]]
    if data["authors"]:
        out.append("  " + "; ".join(data["authors"]))
    facts = [f"id {data['doc_id']}", data["format"], f"lang {data['lang']}"]
    if data["year"]:
        facts.append(str(data["year"]))
    if data["pages"]:
        facts.append(f"{data['pages']} pages")
    if data.get("doi"):
        facts.append(f"doi {data['doi']}")
    out += ["  " + ", ".join(facts), f"  {data['path']}", ""]
    if data["concepts"]:
        out.append(f"Concepts ({len(data['concepts'])}):")
        for c in data["concepts"]:
            out.append(f"  {c['id']} ({c['count']})")
            for e in c["evidence"][:3]:
                page = f"p. {e['page']}: " if e["page"] else ""
                out.append(f"      {page}{e['text'][:200]}")
        out.append("")
    if data["references"]:
        out.append(f"References ({len(data['references'])}):")
        for r in data["references"]:
            num = f"[{r['n']}] " if r["n"] is not None else "- "
            out.append(f"  {num}{r['raw'][:160]}")
        out.append("")
    if data["citations"]:
        out.append(f"In-text citations: {len(data['citations'])}")
        out.append("")
    body = [p for p in data["passages"] if p["kind"] != "references"]
    out.append(f"Passages ({len(body)}):")
    for i, p in enumerate(body):
        page = f"p. {p['page']}" if p["page"] else f"#{i + 1}"
        text = p["text"].replace("\n", " ")
        out.append(f"  [{page}] " + (text if full else text[:160] + ("…" if len(text) > 160 else "")))
    return out
