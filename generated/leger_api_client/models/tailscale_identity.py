from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TailscaleIdentity")


@_attrs_define
class TailscaleIdentity:
    """Who the user is, as `tailscale status --json` reports it.

    Attributes:
        user_id (str): The Tailscale user id (an int64) as its exact decimal string.
        login_name (str):
        device_id (str): The stable node id.
        device_hostname (str):
        tailnet (str):
    """

    user_id: str
    login_name: str
    device_id: str
    device_hostname: str
    tailnet: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user_id = self.user_id

        login_name = self.login_name

        device_id = self.device_id

        device_hostname = self.device_hostname

        tailnet = self.tailnet

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "user_id": user_id,
                "login_name": login_name,
                "device_id": device_id,
                "device_hostname": device_hostname,
                "tailnet": tailnet,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        user_id = d.pop("user_id")

        login_name = d.pop("login_name")

        device_id = d.pop("device_id")

        device_hostname = d.pop("device_hostname")

        tailnet = d.pop("tailnet")

        tailscale_identity = cls(
            user_id=user_id,
            login_name=login_name,
            device_id=device_id,
            device_hostname=device_hostname,
            tailnet=tailnet,
        )

        tailscale_identity.additional_properties = d
        return tailscale_identity

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
