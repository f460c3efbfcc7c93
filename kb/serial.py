"""Turns the typed records of kb.models into JSON-ready dicts and back, for the index's stored fields."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
import zlib
from functools import lru_cache


def to_dict(record) -> dict:
    """A dataclass record as plain dicts, lists and scalars."""
    return dataclasses.asdict(record)


@lru_cache(maxsize=None)
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _convert(tp, value):
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(args[0], value) if len(args) == 1 else value
    if dataclasses.is_dataclass(tp):
        return from_dict(tp, value)
    if origin is tuple:
        args = typing.get_args(tp)
        item = args[0] if args else typing.Any
        return tuple(_convert(item, v) for v in value)
    if origin is list:
        (item,) = typing.get_args(tp) or (typing.Any,)
        return [_convert(item, v) for v in value]
    return value


def from_dict(cls, data: dict):
    """Rebuilds a record of type cls from to_dict's output; unknown keys are ignored (forward compatible)."""
    hints = _hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: _convert(hints[k], v) for k, v in data.items() if k in names})


def pack(record) -> bytes:
    """A record as compressed JSON bytes (stored fields are the bulk of the index)."""
    return zlib.compress(json.dumps(to_dict(record), ensure_ascii=False).encode("utf-8"), 1)


def unpack(cls, blob: bytes):
    """The inverse of pack."""
    return from_dict(cls, json.loads(zlib.decompress(blob).decode("utf-8")))
