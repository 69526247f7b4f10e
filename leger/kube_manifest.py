"""A Kubernetes Secret manifest of leger.run secrets, as ``kubectl apply -f -`` takes it.

One object: ``apiVersion: v1``, ``kind: Secret``, ``type: Opaque``, and
``data`` mapping each secret name to its value's UTF-8 bytes in base64 (so any
value, NUL and line breaks included, survives). ``podman kube play`` turns the
same manifest into one Podman secret named after ``metadata.name``.

The YAML is written by hand: the shape is fixed and tiny. Every scalar is
double-quoted, because a plain one can change type (a key ``on`` or ``null``,
a name ``123``) in the YAML 1.1 readers that Kubernetes and Podman use.
Names are checked against Kubernetes' own rules before anything is written.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Sequence

from leger.envnames import ONLY_HINT, quoted_names
from leger.errors import InputError, UsageError

DEFAULT_NAME = "leger-secrets"
# Kubernetes' limit on both a DNS-1123 subdomain and a Secret's data key.
MAX_LENGTH = 253
# k8s.io/apimachinery: IsDNS1123Subdomain (metadata.name) and IsConfigMapKey (data keys).
_DNS1123_LABEL = "[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
_DNS1123_SUBDOMAIN = re.compile(rf"{_DNS1123_LABEL}(?:\.{_DNS1123_LABEL})*")
_DATA_KEY = re.compile(r"[-._a-zA-Z0-9]+")
KEY_RULE = (
    f"1-{MAX_LENGTH} characters of A-Z, a-z, 0-9, '-', '_' and '.', not '.' or '..',"
    " and not starting with '..'"
)
NAME_RULE = (
    f"1-{MAX_LENGTH} characters of a-z, 0-9, '-' and '.', each dot-separated part"
    " starting and ending with a letter or digit (e.g. leger-secrets)"
)


def secret_manifest(secrets: Sequence[tuple[str, str]], name: str = DEFAULT_NAME) -> str:
    """The manifest of ``(secret name, value)`` pairs, as a Secret called ``name``.

    Keys are sorted. A ``name`` Kubernetes refuses is a UsageError; secret
    names that are not valid data keys (``:`` is not) are one InputError
    naming them all. Values never appear in an error.
    """
    check_manifest_name(name)
    by_name = dict(secrets)
    bad = sorted(key for key in by_name if not is_data_key(key))
    if bad:
        plural = len(bad) > 1
        raise InputError(
            f"{quoted_names(bad)} {'are' if plural else 'is'} not "
            f"{'valid Kubernetes Secret keys' if plural else 'a valid Kubernetes Secret key'}",
            hint=f"A key is {KEY_RULE}. {ONLY_HINT}, or rename "
            f"{'them' if plural else 'it'} (leger secrets set NEW_NAME, then "
            "leger secrets delete OLD_NAME).",
        )
    lines = [
        "apiVersion: v1",
        "kind: Secret",
        "metadata:",
        f"  name: {_quoted(name)}",
        "type: Opaque",
    ]
    if not by_name:
        lines.append("data: {}")
    else:
        lines.append("data:")
        lines += [f"  {_quoted(key)}: {_quoted(_base64(by_name[key]))}" for key in sorted(by_name)]
    return "\n".join(lines) + "\n"


def check_manifest_name(name: str) -> str:
    """``name`` if Kubernetes takes it as a Secret's ``metadata.name``, else a UsageError.

    The name is not echoed: a mistyped command line can put a value in its place.
    """
    if len(name) <= MAX_LENGTH and _DNS1123_SUBDOMAIN.fullmatch(name):
        return name
    raise UsageError(
        "Invalid --kube-name: Kubernetes does not take it as a Secret's name",
        hint=f"A Secret's name is {NAME_RULE}.",
    )


def is_data_key(key: str) -> bool:
    """Whether Kubernetes takes ``key`` as a key of a Secret's ``data``."""
    return (
        len(key) <= MAX_LENGTH
        and _DATA_KEY.fullmatch(key) is not None
        and key not in (".", "..")
        and not key.startswith("..")
    )


def _base64(value: str) -> str:
    return base64.b64encode(value.encode("utf-8")).decode("ascii")


def _quoted(text: str) -> str:
    # Only [-._a-zA-Z0-9] and base64 reach here: a JSON string is a YAML double-quoted one.
    return json.dumps(text)
