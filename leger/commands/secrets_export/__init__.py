"""``leger secrets export [--format FORMAT] [--only NAMES]``: the secrets, in one request."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from leger.command import Command, Param
from leger.commands.secrets_export.formats import FORMAT_NAMES, KUBE, formatter
from leger.context import Context
from leger.envnames import Entry, env_entries
from leger.errors import UsageError
from leger.selection import ONLY_PARAM, fetch_selected

Writer = Callable[[Sequence[tuple[str, str]]], str]


def export_secrets(
    ctx: Context, *, format: str = "dotenv", only: str | None = None, kube_name: str | None = None
) -> None:
    """Write the chosen secrets to stdout in one format, and nothing else there."""
    write = _writer(format, kube_name)  # a wrong --format or --kube-name costs no request
    pairs = [(secret.name, secret.value) for secret in fetch_selected(ctx, only)]
    ctx.io.write(write(pairs).encode("utf-8"))


def _writer(format: str, kube_name: str | None) -> Writer:
    """What turns (secret name, value) pairs into ``format``'s text."""
    if format == KUBE:
        # Imported here: only this format needs the manifest writer.
        from leger.kube_manifest import DEFAULT_NAME, check_manifest_name, secret_manifest

        name = check_manifest_name(DEFAULT_NAME if kube_name is None else kube_name)
        return lambda pairs: secret_manifest(pairs, name)
    if kube_name is not None:
        raise UsageError("--kube-name is the name of a manifest: it needs --format kube")
    write = formatter(format)
    if format == "json":  # JSON keeps the secret names as they are
        return lambda pairs: write([Entry(name, name, value) for name, value in pairs])
    return lambda pairs: write(env_entries(pairs))


COMMAND = Command(
    run=export_secrets,
    summary="Write your secrets to stdout, for a file, a shell or a container",
    params={
        "format": Param(
            "dotenv: NAME=\"value\", read back exactly by 'leger secrets import' and "
            "python-dotenv; shell: export NAME='value', for eval; json: one object, secret "
            "name -> value (names kept as they are), read back exactly by 'leger secrets "
            "import --format json'; env-file: NAME=value for podman or docker --env-file "
            "(no multi-line values); kube: a Kubernetes Secret manifest for "
            "kubectl apply -f - (keys are the secret names).",
            metavar="FORMAT",
            choices=FORMAT_NAMES,
        ),
        "only": ONLY_PARAM,
        "kube_name": Param(
            "The Secret's metadata.name with --format kube (default: leger-secrets).",
            metavar="NAME",
        ),
    },
    description="""\
Fetches the secrets in one request (on leger.run's REST routes) and writes
them to stdout, sorted by name; messages go to stderr. Variable names are the
secret names upper-cased, every character other than A-Z, 0-9 and _ made _
(github-token -> GITHUB_TOKEN); two secrets with one variable name, or one
that would replace PATH, HOME, SHELL, USER, PWD, IFS, LD_* or PYTHON*, are an
error. --format kube writes one Secret (apiVersion v1, type Opaque) whose data
keys are the secret names and values their base64; a name Kubernetes does not
take as a key (':' is not allowed) is an error naming it.""",
    examples=(
        "leger secrets export > .env",
        'eval "$(leger secrets export --format shell)"',
        "podman run --env-file <(leger secrets export --format env-file) IMAGE",
        "leger secrets export --format json --only openai_api_key,github-token",
        "leger secrets export --format kube --kube-name myapp | kubectl apply -f -",
    ),
    see_also=("secrets import", "run"),
)
