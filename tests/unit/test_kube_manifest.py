"""leger.kube_manifest: what a YAML reader gets back, byte for byte, and every refusal."""

from __future__ import annotations

import base64

import pytest
import yaml

from leger.errors import InputError, UsageError
from leger.kube_manifest import DEFAULT_NAME, check_manifest_name, is_data_key, secret_manifest

PEM = "-----BEGIN KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END KEY-----\n"
TRICKY = {
    "trailing-newline": "value\n",
    "pem": PEM,
    "crlf": "a\r\nb\r\n",
    "nul": "a\0b",
    "unicode": "ünï 🙂 \\ \" ' $HOME `x` \t end",
    "yaml-ish": "key: value\n- item\n# not a comment\n---\n",
    "big": "x" * 10240,
    "empty": "",
}


def parsed(secrets, **kwargs):
    return yaml.safe_load(secret_manifest(secrets, **kwargs))


def test_the_manifest_is_a_kubernetes_secret_with_each_value_in_base64():
    document = parsed(list(TRICKY.items()))
    assert {k: document[k] for k in ("apiVersion", "kind", "type")} == {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
    }
    assert document["metadata"] == {"name": DEFAULT_NAME}
    assert set(document) == {"apiVersion", "kind", "type", "metadata", "data"}
    decoded = {key: base64.b64decode(text, validate=True) for key, text in document["data"].items()}
    assert decoded == {key: value.encode("utf-8") for key, value in TRICKY.items()}


def test_base64_is_standard_with_padding():
    manifest = secret_manifest([("a", "ab"), ("b", "abc"), ("c", "\xff\xfe")])
    assert '  "a": "YWI="\n' in manifest
    assert '  "b": "YWJj"\n' in manifest
    assert '  "c": "w7/Dvg=="\n' in manifest  # U+00FF U+00FE in UTF-8, not Latin-1


def test_the_exact_text_keys_sorted_every_scalar_quoted():
    manifest = secret_manifest([("zeta", "z"), ("Alpha", "a"), ("mid.dle", "m")], name="app-1")
    assert manifest == (
        "apiVersion: v1\n"
        "kind: Secret\n"
        "metadata:\n"
        '  name: "app-1"\n'
        "type: Opaque\n"
        "data:\n"
        '  "Alpha": "YQ=="\n'
        '  "mid.dle": "bQ=="\n'
        '  "zeta": "eg=="\n'
    )


@pytest.mark.parametrize("key", ["on", "yes", "null", "true", "-", "123", "1e3", "0x1F", ".inf"])
def test_keys_that_plain_yaml_would_retype_stay_strings(key):
    assert parsed([(key, "v")])["data"] == {key: "dg=="}


@pytest.mark.parametrize("name", ["123", "1.5", "a.b.c", "x" * 253, "0"])
def test_names_that_plain_yaml_would_retype_stay_strings(name):
    assert parsed([("k", "v")], name=name)["metadata"]["name"] == name


def test_no_secrets_is_an_empty_data_map():
    document = parsed([])
    assert document["data"] == {}
    assert document["kind"] == "Secret"


@pytest.mark.parametrize(
    "key",
    ["team:key", "a b", "a/b", "ü", "", ".", "..", "..a", "x" * 254, "tab\t", "new\nline"],
)
def test_a_key_kubernetes_refuses_is_named_in_the_error(key):
    assert not is_data_key(key)
    with pytest.raises(InputError) as raised:
        secret_manifest([("fine", "v"), (key, "secret-value")])
    assert "not a valid Kubernetes Secret key" in raised.value.message
    assert "secret-value" not in raised.value.message + str(raised.value.hint)
    assert "fine" not in raised.value.message


@pytest.mark.parametrize("key", ["a", "A-Z_0.9", ".a", "a..b", "-", "_", "x" * 253])
def test_keys_kubernetes_takes(key):
    assert is_data_key(key)


def test_every_bad_key_is_named_once():
    with pytest.raises(InputError) as raised:
        secret_manifest([("team:b", "1"), ("ok", "2"), ("team:a", "3")])
    assert raised.value.message == ('"team:a" and "team:b" are not valid Kubernetes Secret keys')
    assert "--only" in str(raised.value.hint)


@pytest.mark.parametrize(
    "name",
    ["", "Leger", "leger_secrets", "-leger", "leger-", "a..b", "a.-b", "a.", ".a", "x" * 254,
     "a b", "ü"],
)  # fmt: skip
def test_a_name_kubernetes_refuses_is_a_usage_error(name):
    with pytest.raises(UsageError) as raised:
        secret_manifest([("k", "v")], name=name)
    assert raised.value.exit_code == 2
    assert "--kube-name" in raised.value.message
    assert "leger-secrets" in str(raised.value.hint)


@pytest.mark.parametrize("name", ["leger-secrets", "a", "0", "a.b-c.d9", "x" * 253])
def test_names_kubernetes_takes(name):
    assert check_manifest_name(name) == name
