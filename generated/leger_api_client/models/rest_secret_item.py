from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RestSecretItem")


@_attrs_define
class RestSecretItem:
    """One secret in `GET /secrets`: with `updated_at` in a metadata list, with
    `value` (and no `updated_at`) when `include_values=true`.

        Attributes:
            name (str): 1 to 64 ASCII letters, digits, `:`, `_` and `-` (REST form).
            version (int): Starts at 1 for a new secret and increments on every update.
            created_at (datetime.datetime): RFC 3339 in UTC, with milliseconds.
            label (str | Unset): A human label for a secret (REST form); absent when unset.
            value (str | Unset): The secret's value: non-empty, at most 10 KB counted as 10240 bytes of
                UTF-8 (`x-max-utf8-bytes`); JSON Schema's `maxLength` counts characters,
                so it can only bound the value loosely.
            updated_at (datetime.datetime | Unset): RFC 3339 in UTC, with milliseconds.
    """

    name: str
    version: int
    created_at: datetime.datetime
    label: str | Unset = UNSET
    value: str | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        version = self.version

        created_at = self.created_at.isoformat()

        label = self.label

        value = self.value

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "version": version,
                "created_at": created_at,
            }
        )
        if label is not UNSET:
            field_dict["label"] = label
        if value is not UNSET:
            field_dict["value"] = value
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        label = d.pop("label", UNSET)

        value = d.pop("value", UNSET)

        _updated_at = d.pop("updated_at", UNSET)
        updated_at: datetime.datetime | Unset
        if isinstance(_updated_at, Unset):
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(_updated_at)

        rest_secret_item = cls(
            name=name,
            version=version,
            created_at=created_at,
            label=label,
            value=value,
            updated_at=updated_at,
        )

        rest_secret_item.additional_properties = d
        return rest_secret_item

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
