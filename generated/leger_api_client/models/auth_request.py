from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tailscale_identity import TailscaleIdentity


T = TypeVar("T", bound="AuthRequest")


@_attrs_define
class AuthRequest:
    """
    Attributes:
        tailscale (TailscaleIdentity): Who the user is, as `tailscale status --json` reports it.
        cli_version (str):
    """

    tailscale: TailscaleIdentity
    cli_version: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tailscale = self.tailscale.to_dict()

        cli_version = self.cli_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tailscale": tailscale,
                "cli_version": cli_version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tailscale_identity import TailscaleIdentity

        d = dict(src_dict)
        tailscale = TailscaleIdentity.from_dict(d.pop("tailscale"))

        cli_version = d.pop("cli_version")

        auth_request = cls(
            tailscale=tailscale,
            cli_version=cli_version,
        )

        auth_request.additional_properties = d
        return auth_request

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
