"""The hand-written name and value rules equal the contract's, and hold at their edges."""

from __future__ import annotations

import re

import pytest

from leger import validation
from leger.errors import ExitCode, InputError
from leger.validation import check_name, check_value
from tests.support.contract import SPEC


@pytest.fixture(scope="module")
def schemas() -> dict:
    return SPEC["components"]["schemas"]


# --- the rules come from the contract ------------------------------------------


# Each route form's name schema, and the form check_name applies it for.
FORMS = [("SecretName", "v0.1"), ("RestSecretName", "rest")]


def test_name_patterns_are_the_contracts(schemas):
    assert schemas["SecretName"]["pattern"] == validation.NAME_PATTERN
    assert schemas["RestSecretName"]["pattern"] == validation.REST_NAME_PATTERN


@pytest.mark.parametrize(("schema", "routes"), FORMS)
def test_name_length_is_the_contracts(schemas, schema, routes):
    assert schemas[schema]["maxLength"] == validation.NAME_MAX_LENGTH
    assert schemas[schema]["minLength"] == 1


def test_value_limit_is_the_contracts(schemas):
    assert schemas["SecretValue"]["x-max-utf8-bytes"] == validation.VALUE_MAX_BYTES
    assert schemas["SecretValue"]["minLength"] == 1


def test_every_schema_that_carries_a_name_or_value_uses_the_shared_ones(schemas):
    # If an operation inlined its own pattern, the constants above would not cover it.
    for schema in ("SecretMetadata", "SetSecretRequest", "SetSecretData", "SecretData"):
        assert schemas[schema]["properties"]["name"] == {"$ref": "#/components/schemas/SecretName"}
    for schema in ("DeleteSecretData", "RestSecretItem", "RestSecret", "RestSetSecretData"):
        assert schemas[schema]["properties"]["name"] == {
            "$ref": "#/components/schemas/RestSecretName"
        }
    for schema in ("SetSecretRequest", "SecretData", "RestSecretItem", "RestSecret"):
        assert schemas[schema]["properties"]["value"] == {
            "$ref": "#/components/schemas/SecretValue"
        }


@pytest.mark.parametrize(
    "name",
    ["a", "A", "0", "_", "-", "a" * 64, "openai_api_key", "github-token", "--", "-x", "A-Z_09"],
)
@pytest.mark.parametrize(("schema", "routes"), FORMS)
def test_check_name_accepts_what_the_contract_pattern_accepts(schemas, name, schema, routes):
    assert re.search(schemas[schema]["pattern"], name)
    assert check_name(name, routes) == name


def test_a_colon_is_for_the_rest_form_only():
    assert check_name("db:url", "rest") == "db:url"
    assert check_name("db:url") == "db:url"  # form not known yet: the looser rule
    with pytest.raises(InputError, match="':' is allowed only by servers of the REST form"):
        check_name("db:url", "v0.1")


@pytest.mark.parametrize(
    "name",
    [
        "",
        "a" * 65,
        "a\n",  # `$` in a Python regex would match before a trailing newline
        "\na",
        "a b",
        "a.b",
        "a/b",
        "a=b",
        "@x",
        "é",  # a unicode letter: `\w` would take it, the contract does not
        "ñame",
        "名前",
        "\uff21",  # fullwidth A
        "١٢٣",  # Arabic-Indic digits: `\d` would take them
        "a\tb",
        "a\x00",
        "key\udcff",  # a surrogate escape, as os.fsdecode makes of a non-UTF-8 argv byte
    ],
)
@pytest.mark.parametrize("routes", ["v0.1", "rest"])
def test_check_name_refuses_what_the_contract_pattern_refuses(name, routes):
    with pytest.raises(InputError) as caught:
        check_name(name, routes)
    assert caught.value.message.startswith("Invalid secret name")
    assert caught.value.exit_code == ExitCode.ERROR


@pytest.mark.parametrize(("schema", "routes"), FORMS)
def test_check_name_agrees_with_the_contract_pattern_on_every_single_character(
    schemas, schema, routes
):
    # JSON Schema patterns are ECMA-262 regexes matched anywhere in the string; the
    # anchors make this one whole-string. Compare on each BMP character.
    contract = re.compile(schemas[schema]["pattern"].replace("$", r"\Z"))
    for code in range(0x10000):
        char = chr(code)
        expected = contract.search(char) is not None
        try:
            check_name(char, routes)
            accepted = True
        except InputError:
            accepted = False
        assert accepted == expected, f"U+{code:04X}"


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "is empty"),
        ("a" * 65, "65 characters long (at most 64)"),
        ("a.b", "characters other than letters, digits"),
    ],
)
def test_check_name_says_which_rule_failed(name, says):
    with pytest.raises(InputError) as caught:
        check_name(name)
    assert says in caught.value.message
    assert "1-64" in (caught.value.hint or "")


def test_check_name_does_not_echo_the_name():
    # A value typed where the name goes must not land in a terminal log.
    name = "sk-proj-SECRET.value"
    with pytest.raises(InputError) as caught:
        check_name(name)
    assert name not in caught.value.message
    assert name not in (caught.value.hint or "")


# --- values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "x",
        " ",
        "\n",
        "a\n",
        "x" * 10240,
        "é" * 5120,  # 2 bytes each: exactly 10240
        "€" * 3413 + "x",  # 3 bytes each: 10239 + 1
        "😀" * 2560,  # 4 bytes each: exactly 10240
        "-----BEGIN KEY-----\nabc\n-----END KEY-----\n",
    ],
)
def test_check_value_accepts_up_to_10240_bytes_of_utf8(value):
    assert len(value.encode("utf-8")) <= 10240
    assert check_value(value) is value


@pytest.mark.parametrize(
    ("value", "size"),
    [
        ("x" * 10241, 10241),
        ("é" * 5120 + "x", 10241),
        ("€" * 3414, 10242),
        ("😀" * 2560 + "x", 10241),
        ("😀" * 2561, 10244),
    ],
)
def test_check_value_refuses_more_than_10240_bytes_counting_bytes_not_characters(value, size):
    assert len(value.encode("utf-8")) == size
    with pytest.raises(InputError) as caught:
        check_value(value)
    assert f"{size} bytes" in caught.value.message
    assert "10240" in caught.value.message


def test_a_value_under_the_character_limit_but_over_the_byte_limit_is_refused():
    value = "é" * 6000  # 6000 characters (JSON Schema's maxLength passes), 12000 bytes
    assert len(value) <= 10240
    with pytest.raises(InputError):
        check_value(value)


def test_check_value_refuses_empty():
    with pytest.raises(InputError) as caught:
        check_value("")
    assert "empty" in caught.value.message


@pytest.mark.parametrize("value", ["abc\udcff", "\udc80", "\ud800x"])
def test_check_value_refuses_surrogate_escaped_text_cleanly(value):
    with pytest.raises(InputError) as caught:
        check_value(value)
    assert "UTF-8" in caught.value.message
    assert value not in caught.value.message


def test_check_value_messages_never_quote_the_value():
    value = "S3CRET-" + "x" * 10240
    with pytest.raises(InputError) as caught:
        check_value(value)
    assert "S3CRET" not in caught.value.message
    assert "S3CRET" not in (caught.value.hint or "")
