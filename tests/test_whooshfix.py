"""The in-place buffer file kb gives Whoosh reads like the BytesIO copy it replaces."""

from __future__ import annotations

import pickle
from io import BytesIO

from whoosh.filedb import compound

from kb import index as kb_index  # noqa: F401  (applies the fix)
from kb.whooshfix import BufferView, ViewBufferFile


def test_view_reads_seeks_and_unpickles_like_bytesio():
    data = b"line one\nline two\n" + pickle.dumps({"n": 7, "words": ["alliance", "lien"]})
    view, copy = BufferView(memoryview(data)), BytesIO(data)
    for f in (view, copy):
        assert f.readline() == b"line one\n"
        assert f.read(4) == b"line"
        assert f.tell() == 13
    view.seek(18)
    assert pickle.load(view) == {"n": 7, "words": ["alliance", "lien"]}
    assert view.read(10) == b""  # at the end, as a file
    view.seek(-3, 2)
    assert view.read() == data[-3:]


def test_segment_files_open_without_a_copy():
    assert compound.BufferFile is ViewBufferFile
    f = ViewBufferFile(memoryview(b"\x00\x00\x00\x2a" + b"rest"), name="x")
    assert f.get_int(0) == 42 and f.read_int() == 42
    assert f.subset(4, 4).read() == b"rest"


def test_positions_of_a_term_list_are_those_whoosh_computes():
    from whoosh.fields import TEXT

    from kb import whooshfix

    field = TEXT(phrase=True, field_boost=2.0)
    terms = ["allianc", "thérapeut", "lien", "allianc", "rupture", "lien", "allianc"]
    fast = list(field.format.word_values(terms, field.analyzer))
    slow = list(whooshfix._word_values(field.format, terms, field.analyzer))
    assert fast == slow
    assert [(w, n, weight) for w, n, weight, _ in fast][0] == ("allianc", 3, 6.0)
    assert field.format.decode_positions(fast[0][3]) == [0, 3, 6]
    # a text (not a term list) still goes through the field's analyzer
    assert [w for w, *_ in field.format.word_values("Alliance alliance", field.analyzer)] == ["alliance"]
