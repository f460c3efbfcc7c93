"""Whoosh 2.7 costs kb works around: segment sub-files read without copying, postings of term lists counted directly.

Whoosh maps each segment file into memory, then wraps every sub-file it opens (postings, stored fields,
terms...) in a BufferFile whose BytesIO copies the sub-file's bytes at once. Opening a 10,000-document
index copied about 130 MB this way, 0.12 s of every `kb search` process, though a query reads a few
kilobytes. Here the file-like side of a BufferFile reads the mapped buffer in place.

Writing a segment, Whoosh reads each posting's field length back from the new segment one byte at a
time through the file (a fifth of an index build); the lengths column is read once per field instead.
Adding a document, Whoosh turns each term of a pre-analysed field into a Token through five generators
before counting its positions; they are counted straight from kb's term lists (the same postings; 300
PDFs: 0.24 -> 0.18 s of the ingest's single writing process).
Applied once, when kb.index is imported; tests/test_search_ranking.py runs every query through it.
"""

from __future__ import annotations

from whoosh import formats
from whoosh.codec import whoosh3
from whoosh.filedb import compound, structfile
from whoosh.util.numeric import byte_to_length


class BufferView:
    """The read side of a binary file over a buffer, without copying the buffer."""

    def __init__(self, buf):
        self._buf = buf
        self._pos = 0

    def read(self, n: int | None = -1) -> bytes:
        end = len(self._buf) if n is None or n < 0 else min(len(self._buf), self._pos + n)
        out = bytes(self._buf[self._pos:end])
        self._pos = max(self._pos, end)
        return out

    def peek(self, n: int = 1) -> bytes:
        # pickle.load reads ahead through peek (then one read of what it used) instead of one read per
        # opcode: a term's postings header is unpickled per query term
        return bytes(self._buf[self._pos:self._pos + min(max(n, 1), 8192)])

    def readinto(self, target) -> int:
        data = self.read(len(target))
        target[:len(data)] = data
        return len(data)

    def readline(self, limit: int | None = -1) -> bytes:
        end = len(self._buf)
        if limit is not None and limit >= 0:
            end = min(end, self._pos + limit)
        chunk = bytes(self._buf[self._pos:end])
        cut = chunk.find(b"\n")
        return self.read(cut + 1 if cut >= 0 else len(chunk))

    def seek(self, pos: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: len(self._buf)}[whence]
        self._pos = max(0, base + pos)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._buf = b""


class ViewBufferFile(structfile.BufferFile):
    """Whoosh's BufferFile with a BufferView where it had a BytesIO copy of the buffer."""

    def __init__(self, buf, name=None, onclose=None):
        self._buf = buf
        self._name = name
        self.file = BufferView(buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    def subset(self, position, length, name=None):
        return ViewBufferFile(self.get(position, length), name=name or self._name)


def _doc_field_length(self, docnum, fieldname, default=0):
    """W3PerDocReader.doc_field_length (same results) from the field's lengths column read whole."""
    if docnum > self._doccount:
        raise IndexError("Asked for docnum %r of %d" % (docnum, self._doccount))
    columns = self.__dict__.setdefault("_kb_length_columns", {})
    column = columns.get(fieldname, False)
    if column is False:
        reader = self._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
        column = columns[fieldname] = None if reader is None else reader.load()
    if column is None:
        return default
    lbyte = column[docnum]
    return byte_to_length(lbyte) if lbyte else None  # None for an empty field, as Whoosh returns


_word_values = formats.Positions.word_values


def _positions_word_values(self, value, analyzer, **kwargs):
    """Positions.word_values (same output) for a field given as a list of analysed terms (kb.index's
    fields are): the positions counted here, without a Token per term through Whoosh's generators."""
    if not isinstance(value, (list, tuple)) or kwargs.get("start_pos"):
        yield from _word_values(self, value, analyzer, **kwargs)
        return
    poses: dict[str, list[int]] = {}
    for pos, term in enumerate(value):
        found = poses.get(term)
        if found is None:
            poses[term] = [pos]
        else:
            found.append(pos)
    fb, encode = self.field_boost, self.encode
    for term, poslist in poses.items():
        yield term, len(poslist), float(len(poslist)) * fb, encode(poslist)


def apply() -> None:
    compound.BufferFile = ViewBufferFile
    formats.Positions.word_values = _positions_word_values
    whoosh3.W3PerDocReader.doc_field_length = _doc_field_length
