"""Turns the typed records of kb.models into compressed JSON and back, for the index's stored fields."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
import zlib
from functools import lru_cache


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _identity(value):
    return value


@lru_cache(maxsize=None)
def _converter(tp):
    """A function turning JSON data into values of type tp, built once per type (records are read per hit,
    so the type inspection is done at most once per field, not once per value)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) != 1:
            return _identity
        inner = _converter(args[0])
        return lambda v: None if v is None else inner(v)
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = {f.name: _converter(hints[f.name]) for f in dataclasses.fields(tp)}
        plain = {name for name, conv in fields.items() if conv is _identity}

        def build(data):
            if data is None:
                return None
            return tp(**{k: (v if k in plain else fields[k](v)) for k, v in data.items() if k in fields})
        return build
    if origin in (tuple, list):
        args = typing.get_args(tp)
        inner = _converter(args[0]) if args else _identity
        kind = tuple if origin is tuple else list
        if inner is _identity:
            return lambda v: None if v is None else kind(v)
        return lambda v: None if v is None else kind(inner(x) for x in v)
    return _identity


def from_dict(cls, data: dict):
    """Rebuilds a record of type cls from pack's JSON data; unknown keys are ignored (forward compatible)."""
    return _converter(cls)(data)


def _fields(value) -> dict:
    """A dataclass's fields, one level: json's encoder walks the rest (and writes tuples as lists)."""
    kind = type(value)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        if not dataclasses.is_dataclass(value):
            raise TypeError(f"cannot pack {kind.__name__}")
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(value))
    return {name: getattr(value, name) for name in names}


def pack(record) -> bytes:
    """A record as compressed JSON bytes (stored fields are the bulk of the index): each dataclass as the
    dict of its fields, tuples as lists, the encoder doing the walk."""
    return zlib.compress(json.dumps(record, default=_fields, ensure_ascii=False).encode("utf-8"), 1)


def unpack_json(blob: bytes) -> dict:
    """pack's JSON data, as dicts."""
    return json.loads(zlib.decompress(blob).decode("utf-8"))


def unpack(cls, blob: bytes):
    """The inverse of pack."""
    return from_dict(cls, unpack_json(blob))
