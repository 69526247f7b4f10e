from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RestSetSecretRequest")


@_attrs_define
class RestSetSecretRequest:
    """
    Attributes:
        value (str): The secret's value: non-empty, at most 10 KB counted as 10240 bytes of
            UTF-8 (`x-max-utf8-bytes`); JSON Schema's `maxLength` counts characters,
            so it can only bound the value loosely.
        label (str | Unset): A human label for a secret (REST form); absent when unset.
    """

    value: str
    label: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        value = self.value

        label = self.label

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "value": value,
            }
        )
        if label is not UNSET:
            field_dict["label"] = label

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        value = d.pop("value")

        label = d.pop("label", UNSET)

        rest_set_secret_request = cls(
            value=value,
            label=label,
        )

        rest_set_secret_request.additional_properties = d
        return rest_set_secret_request

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
