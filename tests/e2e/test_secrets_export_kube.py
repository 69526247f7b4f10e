"""``leger secrets export --format kube`` into the real ``podman kube play``.

Podman 4.3 turns a Secret manifest into one Podman secret named after
``metadata.name`` whose value is the whole Secret, re-written as YAML; its
pods cannot read single keys of it (Podman bugs 16269 and 16623). So what is
checked is what it can do: take the manifest from the pipe, and keep every
value byte for byte.
"""

from __future__ import annotations

import base64

import pytest
import yaml

pytestmark = pytest.mark.podman

PEM = "-----BEGIN KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END KEY-----\n"
UPSTREAM = {
    "openai_api_key": "sk-proj-abc123\n",
    "ssh_key": PEM,
    "unicode": "ünï 🙂 \\ \" ' $HOME `x` \t end",
}


def test_podman_kube_play_makes_the_exported_secret(
    cli, podman_store, fresh_proxied_backend_any_form
):
    proxy = fresh_proxied_backend_any_form
    cli.use_api(proxy.url)
    cli.env["LEGER_API_ROUTES"] = proxy.backend.routes
    assert cli.run("auth", "login").returncode == 0
    for name, value in UPSTREAM.items():
        (cli.root / name).write_text(value, encoding="utf-8")
        assert cli.run("secrets", "set", name, f"@{cli.root / name}").returncode == 0

    exported = cli.run("secrets", "export", "--format", "kube", "--kube-name", "myapp-secrets")
    assert (exported.returncode, exported.stderr) == (0, "")
    played = podman_store.run("kube", "play", "-", stdin=exported.stdout)  # the pipe
    assert played.returncode == 0

    [(name, secret)] = podman_store.secrets().items()
    assert (name, secret["Driver"]) == ("myapp-secrets", "file")
    stored = yaml.safe_load(podman_store.values()["myapp-secrets"])
    assert (stored["kind"], stored["metadata"]["name"]) == ("Secret", "myapp-secrets")
    assert {
        key: base64.b64decode(text).decode() for key, text in stored["data"].items()
    } == UPSTREAM
