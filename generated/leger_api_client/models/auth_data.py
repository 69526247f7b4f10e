from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.auth_user import AuthUser


T = TypeVar("T", bound="AuthData")


@_attrs_define
class AuthData:
    """
    Attributes:
        token (str): Opaque bearer token; never parsed by the client.
        token_type (str):  Example: Bearer.
        expires_in (int): Seconds until the token expires.
        user_uuid (UUID):
        user (AuthUser):
    """

    token: str
    token_type: str
    expires_in: int
    user_uuid: UUID
    user: AuthUser
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        token = self.token

        token_type = self.token_type

        expires_in = self.expires_in

        user_uuid = str(self.user_uuid)

        user = self.user.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "token": token,
                "token_type": token_type,
                "expires_in": expires_in,
                "user_uuid": user_uuid,
                "user": user,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.auth_user import AuthUser

        d = dict(src_dict)
        token = d.pop("token")

        token_type = d.pop("token_type")

        expires_in = d.pop("expires_in")

        user_uuid = UUID(d.pop("user_uuid"))

        user = AuthUser.from_dict(d.pop("user"))

        auth_data = cls(
            token=token,
            token_type=token_type,
            expires_in=expires_in,
            user_uuid=user_uuid,
            user=user,
        )

        auth_data.additional_properties = d
        return auth_data

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
