from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.rest_secret_list import RestSecretList


T = TypeVar("T", bound="RestListSecretsResponse")


@_attrs_define
class RestListSecretsResponse:
    """
    Attributes:
        success (bool):
        data (RestSecretList):
    """

    success: bool
    data: RestSecretList
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.rest_secret_list import RestSecretList

        d = dict(src_dict)
        success = d.pop("success")

        data = RestSecretList.from_dict(d.pop("data"))

        rest_list_secrets_response = cls(
            success=success,
            data=data,
        )

        rest_list_secrets_response.additional_properties = d
        return rest_list_secrets_response

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
