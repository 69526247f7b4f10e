"""The type check of parsed responses, derived from the generated models."""

from __future__ import annotations

import pytest
from leger_api_client.models import GetSecretResponse, ListSecretsData, SetSecretData

from leger.api.typecheck import well_typed

META = {"name": "k", "created_at": "2025-10-15T10:00:00Z", "updated_at": "2025-10-16T12:00:00Z"}


def test_a_well_formed_list_passes():
    data = ListSecretsData.from_dict({"secrets": [{**META, "version": 2}], "total_count": 1})
    assert well_typed(data)


@pytest.mark.parametrize(
    "change",
    [
        {"version": "2"},
        {"version": True},
        {"version": None},
        {"name": 5},
        {"updated_at": "2025-10-16T12:00:00"},  # no offset: not RFC 3339
        {"updated_at": "0001-01-01T00:00:00+14:00"},  # no UTC equivalent
    ],
)
def test_wrong_types_and_unusable_times_fail(change):
    item = {**META, "version": 2, **change}
    data = ListSecretsData.from_dict({"secrets": [item], "total_count": 1})
    assert not well_typed(data)


def test_nested_models_are_checked():
    ok = {"success": True, "data": {"name": "k", "value": "v", "version": 1}}
    assert well_typed(GetSecretResponse.from_dict(ok))
    bad = {"success": True, "data": {"name": "k", "value": None, "version": 1}}
    assert not well_typed(GetSecretResponse.from_dict(bad))


def test_set_data_with_a_valid_time_passes():
    data = SetSecretData.from_dict(
        {"name": "k", "version": 1, "updated_at": "2025-10-16T15:00:00+02:00", "message": "m"}
    )
    assert well_typed(data)
