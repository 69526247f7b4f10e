from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RestSecret")


@_attrs_define
class RestSecret:
    """
    Attributes:
        name (str): 1 to 64 ASCII letters, digits, `:`, `_` and `-` (REST form).
        value (str): The secret's value: non-empty, at most 10 KB counted as 10240 bytes of
            UTF-8 (`x-max-utf8-bytes`); JSON Schema's `maxLength` counts characters,
            so it can only bound the value loosely.
        version (int): Starts at 1 for a new secret and increments on every update.
        created_at (datetime.datetime): RFC 3339 in UTC, with milliseconds.
        label (str | Unset): A human label for a secret (REST form); absent when unset.
    """

    name: str
    value: str
    version: int
    created_at: datetime.datetime
    label: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        value = self.value

        version = self.version

        created_at = self.created_at.isoformat()

        label = self.label

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "value": value,
                "version": version,
                "created_at": created_at,
            }
        )
        if label is not UNSET:
            field_dict["label"] = label

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        value = d.pop("value")

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        label = d.pop("label", UNSET)

        rest_secret = cls(
            name=name,
            value=value,
            version=version,
            created_at=created_at,
            label=label,
        )

        rest_secret.additional_properties = d
        return rest_secret

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
