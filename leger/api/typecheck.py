"""Check that a parsed response holds the types the contract declares.

The generated ``from_dict`` builds models without checking scalars, so a 200
with ``"value": null`` or ``"version": "3"`` would reach the commands. The
checks are derived from the generated models' annotations (so they follow the
contract after every regeneration) and compiled once per type, which keeps a
10,000-item list cheap to verify.
"""

from __future__ import annotations

import datetime
import functools
import types
import typing
from collections.abc import Callable
from typing import Any

import attrs
import leger_api_client.models

Check = Callable[[Any], bool]


def well_typed(model: object) -> bool:
    """True when ``model`` (a generated model instance) matches its annotations."""
    hint: Any = type(model)
    return _check_for(hint)(model)


@functools.cache
def _check_for(hint: Any) -> Check:
    if attrs.has(hint):
        return _model_check(hint)
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        options = [_check_for(arg) for arg in typing.get_args(hint)]
        return lambda value: any(check(value) for check in options)
    if origin is list:
        (item,) = typing.get_args(hint)
        check_item = _check_for(item)
        return lambda value: isinstance(value, list) and all(map(check_item, value))
    if hint is type(None):
        return lambda value: value is None
    if hint is datetime.datetime:
        return _utc_datetime
    if hint in (int, float):
        # bool is an int subclass, but true is not a version number.
        return lambda value: isinstance(value, hint) and not isinstance(value, bool)
    return lambda value: isinstance(value, hint)


def _model_check(cls: type) -> Check:
    # Generated models import each other only under TYPE_CHECKING.
    hints = typing.get_type_hints(cls, localns=_MODELS)
    fields = [
        (field.name, _check_for(hints[field.name]))
        for field in attrs.fields(cls)
        if field.name != "additional_properties"
    ]
    return lambda value: (
        isinstance(value, cls) and all(check(getattr(value, name)) for name, check in fields)
    )


class _Models(dict[str, Any]):
    """The generated models by name, for annotations that name another model.

    Generated models import each other only under TYPE_CHECKING, and the models
    package loads them on first use, so a name is looked up when an annotation
    asks for it (``eval`` calls ``__missing__`` on a dict subclass).
    """

    def __missing__(self, name: str) -> Any:
        try:
            value = getattr(leger_api_client.models, name)
        except AttributeError:
            raise KeyError(name) from None
        self[name] = value
        return value


_MODELS = _Models()


def _utc_datetime(value: object) -> bool:
    # RFC 3339 requires an offset, and leger shows times in UTC: year 1 at +14:00
    # parses, but has no UTC representation.
    if not isinstance(value, datetime.datetime) or value.tzinfo is None:
        return False
    try:
        value.astimezone(datetime.UTC)
    except OverflowError:
        return False
    return True
