"""The contract itself: valid OpenAPI 3.1, lint-clean, documented, and in step with generated/.

Lint: Spectral (``@stoplight/spectral-cli``, pinned in package.json) with the
``spectral:oas`` ruleset from ``.spectral.yaml``; any result, even a hint, fails.
"""

from __future__ import annotations

import filecmp
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from devtools.processes import REPO
from tests.support.contract import SPEC, SPEC_PATH, load_spec, operations, resolve

SPECTRAL = REPO / "node_modules" / ".bin" / "spectral"
GENERATED = REPO / "generated" / "leger_api_client"
# Caches that tools drop into generated/; not part of the generated client.
IGNORED_PARTS = frozenset({"__pycache__", ".ruff_cache", ".pytest_cache", ".mypy_cache"})


def pointer(*parts: str) -> str:
    """A JSON pointer (RFC 6901) from unescaped parts."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


# --- OpenAPI 3.1 and lint ---------------------------------------------------


def test_spec_is_openapi_3_1() -> None:
    assert str(SPEC["openapi"]).startswith("3.1."), SPEC["openapi"]
    validate(SPEC, cls=OpenAPIV31SpecValidator)


def test_spec_validator_rejects_a_broken_spec() -> None:
    # The check above must be able to fail: a response without a description is invalid.
    broken = load_spec()
    del broken["paths"]["/secrets/list"]["get"]["responses"]["200"]["description"]
    with pytest.raises(Exception, match="description"):
        validate(broken, cls=OpenAPIV31SpecValidator)


def spectral(spec: Path, tmp_path: Path) -> tuple[list[dict[str, Any]], str]:
    """Spectral's results for ``spec`` (JSON) and its console output."""
    if not SPECTRAL.exists():
        pytest.fail(
            "Spectral is not installed (node_modules/.bin/spectral is missing): "
            "run scripts/setup or `npm ci`",
            pytrace=False,
        )
    report = tmp_path / "spectral.json"
    proc = subprocess.run(
        [
            str(SPECTRAL),
            "lint",
            str(spec),
            "--ruleset",
            str(REPO / ".spectral.yaml"),
            "--fail-severity=warn",
            "--format",
            "json",
            "--output",
            str(report),
        ],
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = proc.stdout + proc.stderr
    assert report.exists(), f"spectral wrote no report (exit {proc.returncode}):\n{output}"
    results = json.loads(report.read_text() or "[]")
    if not results:
        assert proc.returncode == 0, f"spectral failed without results:\n{output}"
    return results, output


def test_spectral_reports_nothing(tmp_path: Path) -> None:
    results, output = spectral(SPEC_PATH, tmp_path)
    shown = "\n".join(
        f"{r.get('code')} (severity {r.get('severity')}) at "
        f"{'.'.join(map(str, r.get('path', [])))}: {r.get('message')}"
        for r in results
    )
    assert results == [], f"Spectral found problems in the contract:\n{shown}\n{output}"


def test_spectral_catches_a_missing_operation_id(tmp_path: Path) -> None:
    # Proves the ruleset is really loaded: an operation without operationId is reported.
    text = SPEC_PATH.read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(re.sub(r"\n\s+operationId: listSecrets\n", "\n", text), encoding="utf-8")
    results, output = spectral(broken, tmp_path)
    assert "operation-operationId" in {r.get("code") for r in results}, output


# --- what every operation and response must carry ---------------------------


def test_the_operations_of_both_route_forms() -> None:
    found = {(method, path): op.get("operationId") for method, path, op in operations(SPEC)}
    assert found == {
        ("post", "/auth/cli"): "authenticateCli",
        # the v0.1 design
        ("get", "/secrets/list"): "listSecrets",
        ("post", "/secrets/set"): "setSecret",
        ("get", "/secrets/get/{name}"): "getSecret",
        # the REST form leger.run deploys
        ("get", "/secrets"): "listSecretsRest",
        ("get", "/secrets/{name}"): "getSecretRest",
        ("post", "/secrets/{name}"): "setSecretRest",
        # shared
        ("delete", "/secrets/{name}"): "deleteSecret",
    }


def test_every_operation_has_an_operation_id_and_a_tag() -> None:
    declared_tags = {tag["name"] for tag in SPEC.get("tags", [])}
    problems = []
    ids = []
    for method, path, op in operations(SPEC):
        where = f"{method.upper()} {path}"
        if not op.get("operationId"):
            problems.append(f"{where}: no operationId")
        ids.append(op.get("operationId"))
        tags = op.get("tags") or []
        if not tags:
            problems.append(f"{where}: no tag")
        problems += [f"{where}: tag {t!r} is not declared" for t in tags if t not in declared_tags]
    assert len(ids) == len(set(ids)), f"duplicate operationIds: {ids}"
    assert not problems, "\n".join(problems)


def test_every_response_has_a_named_example() -> None:
    problems = []
    for method, path, op in operations(SPEC):
        for status, ref in op["responses"].items():
            where = f"{method.upper()} {path} {status}"
            response = resolve(SPEC, ref)
            content = response.get("content")
            if not content:
                problems.append(f"{where}: no content")
                continue
            for media_type, media in content.items():
                examples = media.get("examples") or {}
                if not examples:
                    problems.append(f"{where} {media_type}: no named example")
                for name, example in examples.items():
                    if "value" not in resolve(SPEC, example):
                        problems.append(f"{where} {media_type}: example {name!r} has no value")
    assert not problems, "\n".join(problems)


def test_every_named_example_matches_its_schema() -> None:
    # Prism serves these examples verbatim; one that breaks its own schema would
    # teach the client a shape the real backend must never send.
    registry = Registry().with_resource("urn:leger-api", DRAFT202012.create_resource(SPEC))
    problems = []
    count = 0
    for method, path, op in operations(SPEC):
        bodies = []
        if "requestBody" in op:
            bodies.append(("requestBody", op["requestBody"]))
        bodies += [(f"responses/{s}", r) for s, r in op["responses"].items()]
        for label, ref in bodies:
            body = resolve(SPEC, ref)
            body_pointer = (
                ref["$ref"][1:]
                if "$ref" in ref
                else pointer("paths", path, method, *label.split("/"))
            )
            for media_type, media in body.get("content", {}).items():
                schema = {
                    "$ref": "urn:leger-api#"
                    + body_pointer
                    + pointer("content", media_type, "schema")
                }
                validator = OAS31Validator(
                    schema, registry=registry, format_checker=oas31_format_checker
                )
                for name, example in (media.get("examples") or {}).items():
                    count += 1
                    for error in validator.iter_errors(resolve(SPEC, example)["value"]):
                        at = "/".join(map(str, error.absolute_path)) or "(root)"
                        problems.append(
                            f"{method.upper()} {path} {label} example {name!r} at {at}: "
                            f"{error.message}"
                        )
    assert count >= 15, f"only {count} examples found: is the walk broken?"
    assert not problems, "\n".join(problems)


def test_rate_limited_responses_document_retry_after() -> None:
    problems = []
    for method, path, op in operations(SPEC):
        response = op["responses"].get("429")
        if response is None:
            problems.append(f"{method.upper()} {path}: no 429 response")
            continue
        headers = {k.lower(): v for k, v in resolve(SPEC, response).get("headers", {}).items()}
        if "retry-after" not in headers:
            problems.append(f"{method.upper()} {path}: 429 without a Retry-After header")
    assert not problems, "\n".join(problems)


# --- generated/ is exactly what the generator makes from the spec -------------


def client_files(root: Path) -> dict[str, Path]:
    """Relative path -> file for everything under ``root`` except tool caches."""
    return {
        str(path.relative_to(root)): path
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and not IGNORED_PARTS.intersection(path.relative_to(root).parts)
        and path.suffix != ".pyc"
    }


def test_generated_client_matches_the_spec(tmp_path: Path) -> None:
    fresh_root = tmp_path / "leger_api_client"
    proc = subprocess.run(
        [str(REPO / "scripts" / "generate-client"), str(fresh_root)],
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, f"scripts/generate-client failed:\n{proc.stdout}{proc.stderr}"
    committed = client_files(GENERATED)
    fresh = client_files(fresh_root)
    assert fresh, "scripts/generate-client produced no files"
    differing = sorted(
        [f"only in generated/leger_api_client: {name}" for name in committed.keys() - fresh.keys()]
        + [
            f"missing from generated/leger_api_client: {name}"
            for name in fresh.keys() - committed.keys()
        ]
        + [
            f"differs: generated/leger_api_client/{name}"
            for name in committed.keys() & fresh.keys()
            if not filecmp.cmp(committed[name], fresh[name], shallow=False)
        ]
    )
    assert not differing, (
        "generated/ is out of step with openapi/leger-api.yaml; "
        "run scripts/generate-client and commit the result:\n" + "\n".join(differing)
    )


def test_drift_check_sees_a_changed_file(tmp_path: Path) -> None:
    # The comparison above must be able to fail: one changed byte is a difference.
    copy = tmp_path / "copy"
    shutil.copytree(GENERATED, copy, ignore=shutil.ignore_patterns(*IGNORED_PARTS))
    target = copy / "models" / "secret_data.py"
    target.write_bytes(target.read_bytes() + b"\n")
    original, changed = client_files(GENERATED), client_files(copy)
    assert original.keys() == changed.keys()
    assert not filecmp.cmp(
        original["models/secret_data.py"], changed["models/secret_data.py"], shallow=False
    )
