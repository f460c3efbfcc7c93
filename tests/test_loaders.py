"""Text and HTML loaders: page chrome, Markdown, encodings, citation meta tags, furniture removal."""

from __future__ import annotations

import pytest

from kb.errors import LoadError
from kb.load import load

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en"><head><title>Site name | Ruptures</title>
<meta name="citation_title" content="Repairing alliance ruptures in brief therapy">
<meta name="citation_author" content="Doe, Jane">
<meta name="citation_author" content="Roe, Richard">
<meta name="citation_publication_date" content="2021/03/15">
<meta name="citation_doi" content="10.1234/ABCD.5678">
<script>var tracking = "do not index me";</script><style>.x{color:red}</style>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/a">About</a></li><li><a href="/b">Blog</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience.</div>
<header class="site-header"><a href="/">Logo</a></header>
<article><h1>Repairing alliance ruptures</h1>
<p>Withdrawal and confrontation ruptures are moments when the collaboration between client and
therapist breaks down. Naming the rupture openly often repairs it.</p>
<p>Therapists who notice a rupture early can invite the client to talk about the relationship itself.</p>
<ul><li>Notice the marker</li><li>Invite exploration</li></ul>
</article>
<aside class="related"><a href="/x">Related post one</a></aside>
<div class="share-buttons"><a href="#">Share on Facebook</a></div>
<footer>Copyright 2024 Example Clinic. All rights reserved.</footer>
</body></html>"""


def test_html_main_text_without_furniture(tmp_path):
    path = tmp_path / "a.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    raw = load(path)
    text = raw.pages[0].text
    assert "Withdrawal and confrontation ruptures" in text
    assert "- Invite exploration" in text
    for junk in ("do not index me", "cookies", "Copyright", "Related post", "Share on Facebook", "About", "color:red"):
        assert junk not in text
    # paragraphs stay apart, so passages follow the page's structure
    assert "\n\n" in text


def test_html_citation_meta_tags(tmp_path):
    path = tmp_path / "a.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    meta = load(path).meta
    assert meta.title == "Repairing alliance ruptures in brief therapy"
    assert meta.authors == ("Doe, Jane", "Roe, Richard")
    assert meta.year == 2021
    assert meta.doi == "10.1234/abcd.5678"


def test_html_dublin_core_and_title_fallback(tmp_path):
    path = tmp_path / "dc.htm"
    path.write_text('<html><head><title>Le cadre thérapeutique</title><meta name="DC.creator" content="Martin, '
                    'Claire"><meta name="DC.date" content="2019-05-02"></head><body><main><p>' + "Le cadre protège "
                    "la relation. " * 30 + "</p></main></body></html>", encoding="utf-8")
    meta = load(path).meta
    assert (meta.title, meta.authors, meta.year) == ("Le cadre thérapeutique", ("Martin, Claire",), 2019)


@pytest.mark.parametrize("head, body, title", [
    ("<title>Therapeutic alliance in physiotherapy: a systematic review - PMC</title>",
     "<h1>Therapeutic alliance in physiotherapy: a systematic review</h1>",
     "Therapeutic alliance in physiotherapy: a systematic review"),
    ("<title>Therapeutic alliance - Wikipedia</title>", "", "Therapeutic alliance"),
    ("<title>L'alliance thérapeutique | Psychologie Magazine</title>", "<h1>Psychologie Magazine</h1>",
     "L'alliance thérapeutique"),
    ("<title>Alliance ruptures - a primer</title>", "", "Alliance ruptures - a primer"),
])
def test_html_title_without_the_site_name(tmp_path, head, body, title):
    path = tmp_path / "page.html"
    path.write_text(f"<html><head>{head}</head><body><main>{body}<p>" + "The alliance matters. " * 30
                    + "</p></main></body></html>", encoding="utf-8")
    assert load(path).meta.title == title


def test_html_external_entity_is_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    path = tmp_path / "xxe.html"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">'
                    '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                    "<html><body><p>Alliance text &xxe; and &b; here, long enough to keep.</p></body></html>",
                    encoding="utf-8")
    text = load(path).pages[0].text
    assert "TOPSECRET" not in text and "aaaaaaaaaa" not in text
    assert "Alliance text" in text


def test_markdown_is_flattened(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("# Le lien affectif en thérapie\n\nUn **lien** solide, voir [Bordin](https://x.org).\n"
                    "![figure](fig.png)\n", encoding="utf-8")
    raw = load(path)
    assert raw.meta.title == "Le lien affectif en thérapie"
    assert "Un lien solide, voir Bordin." in raw.pages[0].text
    assert "fig.png" not in raw.pages[0].text


def test_markdown_emphasis_closing_after_a_word_is_removed(tmp_path):
    # APA in Markdown italicises the journal and volume: "*Psychotherapy, 55*(4)"
    path = tmp_path / "refs.md"
    path.write_text("Flückiger, C. (2018). The alliance. *Psychotherapy, 55*(4), 316–340. See _also_ my_file.\n"
                    "* a bullet *in italics*.\n", encoding="utf-8")
    text = load(path).pages[0].text
    assert "The alliance. Psychotherapy, 55(4), 316–340. See also my_file." in text
    assert "- a bullet in italics." in text


def test_windows_1252_text_is_read_with_a_warning(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("L'alliance thérapeutique protège le lien.".encode("cp1252"))
    raw = load(path)
    assert "thérapeutique" in raw.pages[0].text
    assert raw.warnings and "Windows-1252" in raw.warnings[0]


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.md", b"   \n\n", "empty file"),
    ("junk.txt", bytes(range(256)) * 20, "binary content"),
    ("bad.txt", b"\x81\x8d\x8f\x90\x9d" * 50 + b"\x00", "binary content"),
    ("undecodable.txt", b"caf\xc3 \x81\x8d\x8f\x90\x9d\x81\x8d\x8f \x90\x9d\x81\x8d", "not UTF-8"),
    ("empty.html", b"", "empty file"),
    ("notes.docx", b"PK\x03\x04", "unsupported file type"),
])
def test_bad_files_are_named_with_a_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LoadError) as err:
        load(path)
    assert reason in str(err.value) and name in str(err.value)


REF_ITEMS = [  # project-written entries (invented works)
    "Arnaud, L., & Berthe, M. (2015). Le lien thérapeutique en pratique libérale. Revue fictive, 3(2), 10-19.",
    "Carver, J. (2009). Bond, goals and tasks revisited. Journal of Made-up Studies, 41, 200-214.",
    "Durand, P., Van der Berg, K., & Del Re, S. (2020). Ruptures in online therapy. Imaginary Review, 7, 1-12.",
]


def _page(tmp_path, refs_html: str):
    path = tmp_path / "refs.html"
    prose = "<p>" + "The alliance between client and therapist predicts the outcome of therapy. " * 6 + "</p>"
    path.write_text(f"<html><body><article><h1>Alliance</h1>{prose}<h2>References</h2>{refs_html}"
                    "</article></body></html>", encoding="utf-8")
    return path


def test_html_ordered_list_items_get_their_number_and_one_line_each(tmp_path):
    items = "".join(f"<li><p>{r}</p></li>" for r in REF_ITEMS)
    text = load(_page(tmp_path, f'<ol start="4">{items}</ol>')).pages[0].text
    lines = text.split("\n")
    assert [ln[:12] for ln in lines if ln[:1].isdigit()] == ["4. Arnaud, L", "5. Carver, J", "6. Durand, P"]


def test_html_csl_entries_keep_number_and_text_on_one_line(tmp_path):
    entries = "".join(f'<div class="csl-entry"><div class="csl-left-margin">[{i}]</div>'
                      f'<div class="csl-right-inline">{r}</div></div>' for i, r in enumerate(REF_ITEMS, 1))
    text = load(_page(tmp_path, f'<div class="csl-bib-body">{entries}</div>')).pages[0].text
    assert f"[2] {REF_ITEMS[1]}" in text.split("\n")


def test_html_reference_list_of_links_is_not_taken_for_a_menu(tmp_path):
    items = "".join(f'<li><a href="https://example.org/{i}">{r}</a></li>' for i, r in enumerate(REF_ITEMS))
    text = load(_page(tmp_path, f"<ul>{items}</ul>")).pages[0].text
    assert f"- {REF_ITEMS[2]}" in text


def test_html_superscript_citations_become_numbered_markers_but_not_exponents_or_footnotes(tmp_path):
    body = ("<p>L'alliance prédit la douleur<sup>1,2</sup>. Ferreira et al.<sup>3</sup> le confirment. "
            "L'IMC était de 27 kg/m<sup>2</sup> pour 10<sup>3</sup> UI. Le 1<sup>er</sup> groupe a progressé"
            "<sup>[1-3]</sup>. Voir la note<sup><a href=\"#fn4\">4</a></sup>.</p>")
    text = load(_page(tmp_path, body)).pages[0].text
    assert "la douleur [1,2]." in text
    assert "Ferreira et al.[3] le" in text
    assert "27 kg/m2 pour 103 UI" in text
    assert "Le 1er groupe a progressé [1-3]." in text
    assert "la note4." in text


@pytest.mark.parametrize("head, warned", [
    ("", True),  # no charset: not UTF-8, so Windows-1252, said so
    ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">', False),  # Latin-1 is read as cp1252
    ('<meta charset="utf-8">', True),  # a wrong declaration: the bytes decide
])
def test_html_in_windows_1252_is_read_as_written(tmp_path, head, warned):
    f = tmp_path / "page.html"
    body = "<h1>L’alliance</h1><p>L’alliance thérapeutique — « le cœur » de la cure, selon Bordin, naïvement.</p>"
    f.write_bytes(f"<html><head>{head}<title>T</title></head><body>{body}</body></html>".encode("cp1252"))
    raw = load(f)
    assert "L’alliance thérapeutique — « le cœur » de la cure, selon Bordin, naïvement." in raw.pages[0].text
    assert raw.warnings == (("not UTF-8: read as Windows-1252",) if warned else ())


@pytest.mark.parametrize("text, title", [
    ("Empathie\n\nL'empathie du thérapeute est liée au résultat. Elle se mesure par le client.\n\nSuite.\n",
     "Empathie"),  # a note's one-word title, set apart by a blank line
    ("Le lien affectif\nest une composante de l'alliance selon Bordin, qui la décrit en 1979.\n", None),  # prose
    ("12 mars 2021\n\nL'empathie du thérapeute est liée au résultat. Elle se mesure par le client.\n", None),
    ("top of page\nFleurs en papier\n\nL'alliance thérapeutique, ou : la part de travail du patient !\n\n"
     "Imaginez-vous dans le cabinet d'un psychothérapeute. Au-delà des techniques, quelque chose se joue.\n",
     "L'alliance thérapeutique, ou : la part de travail du patient !"),  # a site name under page chrome
])
def test_text_note_title_may_be_short(tmp_path, text, title):
    f = tmp_path / "note.txt"
    f.write_text(text, encoding="utf-8")
    assert load(f).meta.title == title


_PROSE = ("<p>Ruptures in the alliance are moments of tension, and how the therapist meets them shapes what "
          "follows in the work, as research on withdrawal and confrontation has shown for two decades.</p>" * 6)


def test_html_page_without_article_tag_keeps_the_post_and_drops_the_sidebar(tmp_path):
    # Blogger's layout: the whole post sits in a "widget Blog" block, beside link lists and a profile
    page = f"""<html><head><title>The Moving Clinic: Why the relationship matters</title></head><body>
    <div class="widget Header"><h1>The Moving Clinic</h1></div>
    <div class="columns"><div class="main section"><div class="widget Blog"><div class="post hentry">
    <h3 class="post-title">Why the relationship matters</h3><div class="post-body">{_PROSE}
    Physiotherapists who listen first get better adherence to the exercises.<br><br>
    The last line of the post says that trust is built in the first session.</div>
    <div class="post-footer">Posted by Sam at 10:02 <a href="#">Email This</a> <a href="#">Share to X</a></div>
    </div></div></div>
    <div class="sidebar section"><div class="widget Profile">View my complete profile of a physiotherapist
    in Leeds, writing about pain, movement and the people who live with both.</div>
    <div class="widget BlogArchive"><ul><li><a href="/1">Five myths about back pain and rest</a></li>
    <li><a href="/2">Pacing and flare-ups in chronic pain</a></li><li><a href="/3">When to see a GP</a></li>
    </ul></div></div></div></body></html>"""
    path = tmp_path / "blog.html"
    path.write_text(page, encoding="utf-8")
    text = load(path).pages[0].text
    assert "Physiotherapists who listen first get better adherence to the exercises." in text
    assert "trust is built in the first session" in text
    for junk in ("View my complete profile", "Five myths about back pain", "Share to X"):
        assert junk not in text


def test_html_advertisement_and_author_box_inside_the_article_are_dropped(tmp_path):
    page = f"""<html><head><title>Ruptures</title></head><body><article><h1>Ruptures and repair</h1>{_PROSE}
    <div class="ad-inline"><span class="ad-label">Advertisement</span>
    <div class="ad-slot">Find a registered counsellor near you, book online in minutes</div></div>
    <p>Naming the rupture openly is often the first step of its repair.</p>
    <div class="blog-entry__about-author"><p>Jane Doe is a clinical psychologist in Leeds who specializes in
    brief relational therapy.</p></div></article></body></html>"""
    path = tmp_path / "ad.html"
    path.write_text(page, encoding="utf-8")
    text = load(path).pages[0].text
    assert "Naming the rupture openly is often the first step of its repair." in text
    assert "Find a registered counsellor" not in text and "specializes in brief" not in text


def test_html_title_without_its_section_and_site(tmp_path):
    path = tmp_path / "forum.html"
    path.write_text("<html><head><title>Attachement anxieux : comment en parler ? | Forum Psychologie - "
                    f"EspaceSanté</title></head><body><div>{_PROSE}</div></body></html>", encoding="utf-8")
    assert load(path).meta.title == "Attachement anxieux : comment en parler ?"


@pytest.mark.parametrize("head, body, title", [
    # the share card's title is shortened; the <title> holds the <h1>
    ('<title>Living with tinnitus: a guide for new patients | Riverside Hospital</title>'
     '<meta property="og:title" content="Living with tinnitus">',
     "<h1>Living with tinnitus: a guide for new patients</h1>", "Living with tinnitus: a guide for new patients"),
    # og:title carries the site's name too
    ('<title>Sleep hygiene - Openpedia</title><meta property="og:title" content="Sleep hygiene - Openpedia">',
     "<h1>Sleep hygiene</h1>", "Sleep hygiene"),
    # a blog's <h1> is its name, a link home, which the <title> puts first
    ('<title>Notes from the Dunes: What I learned from a year of walking</title>'
     '<meta property="og:title" content="What I learned from a year of walking">',
     '<h1><a href="https://dunes.example.org/">Notes from the Dunes</a></h1>', "What I learned from a year of walking"),
])
def test_html_title_from_the_heading_the_page_titles_hold(tmp_path, head, body, title):
    path = tmp_path / "page.html"
    path.write_text(f"<html><head>{head}</head><body><main>{body}<p>" + "The alliance matters. " * 30
                    + "</p></main></body></html>", encoding="utf-8")
    assert load(path).meta.title == title


# --- saved pages: furniture inside the article's column, leads Readability leaves out, reference lists ---
_LONG = ("<p>Graded activity asks the patient to do a little more each week, whatever the pain says that day, "
         "and the physiotherapist agrees each step with them before the next visit, in plain words.</p>") * 6


def _loaded(tmp_path, body: str, head: str = "<title>Pacing</title>") -> str:
    path = tmp_path / "page.html"
    path.write_text(f"<html><head>{head}</head><body>{body}</body></html>", encoding="utf-8")
    return load(path).pages[0].text


def test_html_sections_headed_as_furniture_are_dropped(tmp_path):
    text = _loaded(tmp_path, f"""<article><h1>Pacing in chronic pain</h1>{_LONG}
    <h2>Keeping a diary</h2><p>Writing down what was done each day shows the patient the progress made.</p>
    <section><h2>How to cite this article</h2><p>Lopez, A. (2022). Pacing in chronic pain. Pain Notes, 4, 1-9.</p>
    </section>
    <h3>You may also like</h3><p>Ten stretches for the office chair, tried by our readers</p>
    <h3>Who is online</h3><p>Members browsing this page: none, and 9 guests</p>
    <h2>About the author</h2><p>Ana Lopez is a physiotherapist who runs a pain clinic in a small town.</p></article>""")
    assert "Writing down what was done each day" in text
    for junk in ("How to cite", "Lopez, A. (2022)", "Ten stretches", "9 guests", "runs a pain clinic"):
        assert junk not in text


def test_html_publication_details_in_labelled_lines_are_dropped(tmp_path):
    text = _loaded(tmp_path, f"""<article><h1>Pacing in chronic pain</h1>{_LONG}
    <p><strong>Results:</strong> Patients who paced their activity reported less fatigue at six months.</p>
    <div class="article-info"><p><strong>Received:</strong> 3 May 2021; <strong>Accepted:</strong> 9 June 2021</p>
    <p><strong>Edited by:</strong> Maria Gomez, University of Nowhere</p>
    <p><strong>*Correspondence:</strong> someone@example.org</p></div></article>""")
    assert "Patients who paced their activity reported less fatigue" in text
    for junk in ("Received", "Edited by", "Maria Gomez", "someone@example.org"):
        assert junk not in text


def test_html_bibliography_followed_by_notes_goes_last(tmp_path):
    # OpenEdition's order: text, bibliography, notes; kb reads all after a reference heading as the list
    refs = "".join(f"<p>{r}</p>" for r in REF_ITEMS)
    text = _loaded(tmp_path, f"""<article><h1>Alliance</h1>{_LONG}<h2>Bibliography</h2>{refs}
    <h2>Notes</h2><p>1 The interviews were recorded with the consent of every participant in 2019.</p>
    <p>2 Two sessions were held online because of a strike.</p></article>""")
    assert text.index("The interviews were recorded") < text.index("Bibliography") < text.index(REF_ITEMS[2])


def test_html_reference_list_headed_sources_is_found(tmp_path):
    from kb import pipeline

    items = "".join(f"<li>{r}</li>" for r in REF_ITEMS)
    path = tmp_path / "guide.html"
    path.write_text(f"<html><body><article><h1>Pacing</h1>{_LONG}<h2>Sources</h2><ul>{items}</ul>"
                    "</article></body></html>", encoding="utf-8")
    assert len(pipeline.process(path).citations.references) == 3


def test_html_link_labels_after_reference_entries_are_dropped(tmp_path):
    labels = ('<p class="links"><a href="#">PubMed Abstract</a> | <a href="#">CrossRef Full Text</a> | '
              '<a href="#">Google Scholar</a></p>')
    refs = "".join(f'<div class="ref"><p>{i}. {r}</p>{labels}</div>' for i, r in enumerate(REF_ITEMS, 1))
    inline = "".join(f'<li>{r} <span><a href="#">DOI</a> <a href="#">Google Scholar</a></span></li>' for r in REF_ITEMS)
    text = _loaded(tmp_path, f"""<article><h1>Alliance</h1>{_LONG}<p>We searched <a href="#">PubMed</a> for
    trials of pacing.</p><h2>References</h2>{refs}<h2>Further reading</h2><ul>{inline}</ul></article>""")
    assert "We searched PubMed for trials of pacing." in text
    assert "Google Scholar" not in text and "CrossRef" not in text and "DOI" not in text
    assert f"- {REF_ITEMS[1]}" in text.split("\n")


def test_html_dates_credits_rights_and_site_widgets_are_dropped(tmp_path):
    text = _loaded(tmp_path, f"""<article><header><p class="article__kicker">Health · Subscribers only</p>
    <h1>Pacing in chronic pain</h1><div class="entry-meta">By Ann Lee, <span class="meta-date">4 May 2023</span>
    </div></header>{_LONG}
    <p>Published studies in 2019 found that pacing reduced flare-ups in most patients.</p>
    <p>Updated on 12/05/2023 at 10:00</p>
    <figure><img src="x.jpg"><figcaption>A patient on an exercise bike. <span class="photo-credit">J. DOE / AGENCY
    </span></figcaption></figure>
    <table class="ambox"><tr><td>This article needs more sources.</td></tr></table>
    <div class="page-feedback"><p>Was this page useful?</p></div>
    <p><a class="btn btn-primary" href="/rdv">Book an appointment</a></p>
    <div class="disclaimer">This site does not replace a visit to your doctor.</div>
    <p><font size="1">Texts protected. Any reproduction, even partial, is prohibited.</font></p></article>""")
    assert "Published studies in 2019 found that pacing reduced flare-ups" in text
    assert "A patient on an exercise bike." in text
    for junk in ("Subscribers only", "4 May 2023", "Updated on", "J. DOE", "needs more sources", "page useful",
                 "Book an appointment", "does not replace", "reproduction"):
        assert junk not in text


def test_html_accordion_heading_keeps_its_text(tmp_path):
    text = _loaded(tmp_path, f"""<main><h1>Your first visit</h1>{_LONG}<div class="accordion">
    <h2><button type="button" aria-expanded="false" aria-controls="p1">What happens at the first visit?</button></h2>
    <div id="p1">The nurse asks about your pain and how it affects your sleep and your work.</div></div></main>""")
    assert "What happens at the first visit?" in text


def test_html_lead_caption_and_called_notes_left_out_by_readability_are_kept(tmp_path):
    prose = "".join(f"<p>{s} The clinic keeps the same therapist for each patient, so that trust can grow, "
                    "and it reviews goals together every month, writing them down in the patient's own words.</p>"
                    for s in ("First,", "Second,", "Third,", "Fourth,", "Fifth,", "Sixth,"))
    text = _loaded(tmp_path, f"""<div class="page"><div class="post-header"><h1>Trust in the clinic</h1>
    <h3 class="subtitle">What a small rural practice learned about keeping patients in care</h3>
    <div class="post-meta"><a href="/a">Ann Lee</a> <span>Mar 3, 2024</span></div></div>
    <figure class="lead-image"><img src="x.jpg"><figcaption>The waiting room, which doubles as a meeting
    room for the patient group on Thursdays.</figcaption></figure>
    <div class="body">{prose}<p>The last point matters most.<a href="#footnote-1" id="fnref-1">1</a></p>
    <div class="footnote" id="footnote-1"><a href="#fnref-1">1</a><div class="footnote-content"><p>The group was
    started by two patients in 2019 and now meets without staff.</p></div></div></div></div>""")
    for kept in ("What a small rural practice learned", "The waiting room, which doubles as a meeting room",
                 "The group was started by two patients in 2019"):
        assert kept in text
    assert "Ann Lee" not in text


def test_html_wiki_backlinks_do_not_open_reference_entries(tmp_path):
    items = "".join(f'<li id="cite_note-{i}"><span class="mw-cite-backlink">^ <a href="#r{i}">a</a></span> '
                    f'<span class="reference-text">{r}</span></li>' for i, r in enumerate(REF_ITEMS))
    text = load(_page(tmp_path, f'<ol class="references">{items}</ol>')).pages[0].text
    assert f"1. {REF_ITEMS[0]}" in text.split("\n")


def test_html_title_from_a_tag_naming_both_twitter_and_og_and_from_a_title_holding_the_heading(tmp_path):
    for head in ('<meta name="twitter:title" property="og:title" content="Does the alliance cause change?">'
                 "<title>psychotherapy - Does the alliance cause change? - Q&amp;A site</title>",
                 "<title>psychotherapy - Does the alliance cause change? - Q&amp;A site</title>"):
        path = tmp_path / "q.html"
        path.write_text(f"<html><head>{head}</head><body><h1>Does the alliance cause change?</h1>{_LONG}"
                        "</body></html>", encoding="utf-8")
        assert load(path).meta.title == "Does the alliance cause change?"


def test_html_amp_ads_feedback_forms_and_licence_boilerplate_are_dropped(tmp_path):
    text = _loaded(tmp_path, f"""<article><h1>Pacing</h1>{_LONG}
    <amp-ad width="300" height="250"><div placeholder>Loading the advertisement now</div></amp-ad>
    <fieldset><legend>Was this article helpful to you today?</legend><label>Yes</label></fieldset>
    <p><b>Open Access</b> This article is licensed under a Creative Commons Attribution 4.0 International License,
    which permits use, sharing, adaptation, distribution and reproduction in any medium or format.</p>
    <p>The publisher remains neutral with regard to jurisdictional claims in published maps.</p></article>""")
    assert "Graded activity asks the patient" in text
    for gone in ("Loading the advertisement", "helpful", "Creative Commons", "jurisdictional"):
        assert gone not in text


def test_html_bibliography_readability_leaves_out_is_put_back(tmp_path):
    from kb import pipeline

    links = " ".join(f'<a href="https://ex.org/{k}">Link {k}</a>' for k in range(8))
    items = "".join(f"<li>{r} {links}</li>" for r in REF_ITEMS)
    path = tmp_path / "journal.html"
    path.write_text(f"<html><head><title>Pacing</title></head><body><div id='main'><article><h1>Pacing</h1>{_LONG}"
                    f"</article></div><div id='suffix'><section><h2>References</h2><ol>{items}</ol></section></div>"
                    "</body></html>", encoding="utf-8")
    assert len(pipeline.process(path).citations.references) == 3
