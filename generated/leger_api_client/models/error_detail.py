from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ErrorDetail")


@_attrs_define
class ErrorDetail:
    """
    Attributes:
        code (str): A machine-readable error code. Known codes of the v0.1 design:
            `invalid_token`, `tailscale_verification_failed`, `account_not_linked`,
            `secret_not_found`, `invalid_secret_name`, `secret_value_too_large`,
            `rate_limit_exceeded`, `insufficient_permissions`. Of the REST form:
            `validation_error`, `invalid_request`, `authentication_failed`,
            `unauthorized`, `not_found` (a missing secret and an unknown route alike),
            `internal_error`, `account_not_linked`. Clients must accept codes they do
            not know.
        message (str): Human text with guidance.
        action (str | Unset): What the user can do about it, e.g. "Please run leger auth login".
        docs (str | Unset): A page that explains the error.
    """

    code: str
    message: str
    action: str | Unset = UNSET
    docs: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        action = self.action

        docs = self.docs

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
            }
        )
        if action is not UNSET:
            field_dict["action"] = action
        if docs is not UNSET:
            field_dict["docs"] = docs

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        action = d.pop("action", UNSET)

        docs = d.pop("docs", UNSET)

        error_detail = cls(
            code=code,
            message=message,
            action=action,
            docs=docs,
        )

        error_detail.additional_properties = d
        return error_detail

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
