"""``leger run [--only NAMES] -- COMMAND [ARG...]``: a command with your secrets in its env."""

from __future__ import annotations

from typing import NoReturn

from leger.command import Command, Param
from leger.commands.run.exec import child_environment, exec_command
from leger.context import Context
from leger.envnames import env_entries
from leger.offline import MAX_AGE_PARAM, NO_CACHE_PARAM, OFFLINE_PARAM, CacheUse
from leger.selection import ONLY_PARAM, fetch_selected


def run(
    ctx: Context,
    command: list[str],
    *,
    only: str | None = None,
    max_age: str | None = None,
    offline: bool = False,
    no_cache: bool = False,
) -> NoReturn:
    """Become ``command`` with the chosen secrets added to the inherited environment.

    Everything that can fail (login, request, names, values) fails before the
    exec, with leger's own exit codes; after it, the command is on its own.
    """
    cache = CacheUse.of(ctx, offline=offline, no_cache=no_cache, max_age=max_age)
    secrets = fetch_selected(ctx, only, cache)
    entries = env_entries((secret.name, secret.value) for secret in secrets)
    exec_command(command, child_environment(ctx.environ, entries))


COMMAND = Command(
    run=run,
    summary="Run a command with your secrets in its environment",
    params={
        "command": Param("The command and its arguments, after '--', passed as they are."),
        "only": ONLY_PARAM,
        "max_age": MAX_AGE_PARAM,
        "offline": OFFLINE_PARAM,
        "no_cache": NO_CACHE_PARAM,
    },
    description="""\
Each secret becomes a variable named like the secret, upper-cased, with every
character other than A-Z, 0-9 and _ made _ (github-token -> GITHUB_TOKEN);
secrets override inherited variables. leger then becomes COMMAND (exec): same
process id, signals go straight to it, and its exit status is leger's. Before
that, leger's errors exit 1, 2 or 4; a command not found exits 127, one that
cannot be executed 126. leger writes nothing to stdout.

The secrets fetched are kept in an encrypted offline cache. When leger.run
cannot be reached (no connection, no answer in time, a 5xx), the cached ones
are used instead, and one line on stderr says how old they are: all secrets
only from a cache of all of them, --only names if each is cached.""",
    examples=(
        "leger run -- python app.py",
        "leger run --only github-token -- gh api user",
        "leger run --only openai_api_key,github-token -- ./deploy.sh --prod",
        "leger run --max-age 7d -- /usr/local/bin/myapp",
    ),
    see_also=("secrets export", "secrets list", "cache status"),
)
