from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RestSetSecretData")


@_attrs_define
class RestSetSecretData:
    """
    Attributes:
        name (str): 1 to 64 ASCII letters, digits, `:`, `_` and `-` (REST form).
        created_at (datetime.datetime): RFC 3339 in UTC, with milliseconds.
        updated_at (datetime.datetime): RFC 3339 in UTC, with milliseconds.
        version (int): Starts at 1 for a new secret and increments on every update.
        label (str | Unset): A human label for a secret (REST form); absent when unset.
    """

    name: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int
    label: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        version = self.version

        label = self.label

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "created_at": created_at,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if label is not UNSET:
            field_dict["label"] = label

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        label = d.pop("label", UNSET)

        rest_set_secret_data = cls(
            name=name,
            created_at=created_at,
            updated_at=updated_at,
            version=version,
            label=label,
        )

        rest_set_secret_data.additional_properties = d
        return rest_set_secret_data

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
