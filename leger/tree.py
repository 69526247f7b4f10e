"""The command tree Fire walks: ``leger auth ...``, ``leger secrets ...``, ``leger run``, ...

Each method is the user-facing surface of one command: its signature is the
command line (positional text arguments; keyword-only ones are options,
``--name VALUE``; ``bool`` defaults are flags; a ``list[str]`` takes everything
after ``--``) and its docstring is the help Fire shows. The work happens in
``leger.commands``; commands only some users run are imported when they run.
"""

from __future__ import annotations

from typing import NoReturn

from leger.commands import auth, secrets
from leger.context import Context


class Auth:
    """Authenticate with leger.run using your Tailscale identity."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def login(self) -> None:
        """Authenticate with leger.run.

        Workflow:
          1. Reads your Tailscale identity locally (tailscale status --json)
          2. Sends it to leger.run for verification
          3. Receives and stores an authentication token (valid 30 days)

        Requires an active Tailscale connection.
        """
        auth.login(self._ctx)

    def status(self, json: bool = False) -> None:
        """Show authentication status. Exits 0 only when authenticated.

        Args:
            json: Print one JSON object: authenticated, expired, source ("file" or
                "env"), user_email, user_uuid, expires_at.
        """
        auth.status(self._ctx, as_json=json)

    def logout(self) -> None:
        """Clear the stored authentication credentials."""
        auth.logout(self._ctx)


class Secrets:
    """Manage secrets stored in the leger.run backend (encrypted at rest)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def set(self, name: str, value: str | None = None, *, label: str | None = None) -> None:
        """Create or update a secret.

        Examples:
          leger secrets set openai_api_key sk-proj-abc123
          echo "sk-proj-abc123" | leger secrets set openai_api_key -
          leger secrets set ssh_key @~/.ssh/id_ed25519
          leger secrets set openai_api_key          (prompts without echo)

        Args:
            name: 1-64 letters, digits, '_' and '-' (and ':' on leger.run's REST routes).
            value: The value as typed; '-' reads stdin (one trailing newline is
                removed); '@PATH' reads a file exactly. Omitted: prompt on a
                terminal, else read stdin. Use '--' before a value starting with '-'.
            label: A human label (REST routes only); --label= clears it.
        """
        secrets.set_secret(self._ctx, name, value, label=label)

    def list(self, json: bool = False) -> None:
        """List all secrets (metadata only, values are never shown).

        Args:
            json: Print a JSON array of {name, created_at, updated_at, version, label}.
        """
        secrets.list_secrets(self._ctx, as_json=json)

    def get(self, name: str) -> None:
        """Print a secret's value to stdout, exactly, with no trailing newline.

        Examples:
          export OPENAI_KEY=$(leger secrets get openai_api_key)
          leger secrets get ssh_key > ~/.ssh/id_ed25519

        Args:
            name: The secret's name.
        """
        secrets.get_secret(self._ctx, name)

    def delete(self, name: str, force: bool = False) -> None:
        """Delete a secret. This is permanent and cannot be undone.

        Args:
            name: The secret's name.
            force: Skip the confirmation prompt (required when stdin is not a terminal).
        """
        secrets.delete_secret(self._ctx, name, force=force)

    def export(self, *, format: str = "dotenv", only: str | None = None) -> None:
        """Write your secrets to stdout, in one request, for a file, a shell or a container.

        Examples:
          leger secrets export > .env
          eval "$(leger secrets export --format shell)"
          podman run --env-file <(leger secrets export --format env-file) IMAGE
          leger secrets export --format json --only openai_api_key,github-token

        Variable names are the secret names upper-cased, with every character
        other than A-Z, 0-9 and _ made _ (github-token -> GITHUB_TOKEN); two
        secrets with one variable name, or one that would replace PATH, HOME,
        SHELL, USER, PWD, IFS, LD_* or PYTHON*, are an error.

        Args:
            format: dotenv (NAME="value", read back exactly by 'leger secrets
                import' and python-dotenv), shell (export NAME='value', for eval),
                json (one object, secret name -> value) or env-file (NAME=value
                for podman/docker --env-file; no multi-line values).
            only: Comma-separated secret names to export (default: all).
        """
        from leger.commands.secrets_export import export_secrets

        export_secrets(self._ctx, format, only)

    def _import(self, file: str, *, dry_run: bool = False) -> None:
        """Create or update one secret per entry of a dotenv file.

        Examples:
          leger secrets import .env
          leger secrets import .env --dry-run
          leger secrets export | ssh other-host leger secrets import -

        Reads NAME=value, NAME="value" (escapes, multi-line), NAME='value',
        'export NAME=...', comments, blank lines and CRLF files. Every entry is
        checked before anything is sent; a write that fails midway stops with
        the list of entries written, failed and not attempted (exit 1).

        Args:
            file: A dotenv file, or '-' for stdin.
            dry_run: Show which secrets would be created or updated; write nothing.
        """
        # Imported here: only import needs the dotenv parser.
        from leger.commands.secrets_import import import_secrets

        import_secrets(self._ctx, file, dry_run=dry_run)

    def sync(
        self,
        *,
        only: str | None = None,
        prune: bool = False,
        dry_run: bool = False,
        json: bool = False,
    ) -> None:
        """Make your Podman secrets match your leger.run secrets (rootless, or rootful as root).

        Each leger.run secret becomes a Podman secret of the same name, labelled
        io.leger.managed=true with the server, user, version and update time.
        Unchanged secrets are neither fetched nor rewritten; changed ones are
        replaced. Podman secrets leger did not create are never touched.
        Running containers see a replaced secret only after a restart
        (Quadlet: systemctl --user restart NAME.service).
        Exits 1 when a secret failed or was skipped (name clash, a name Podman
        cannot take), 0 when everything is in step.

        Examples:
          leger secrets sync
          leger secrets sync --only openai_api_key,github_token --dry-run
          leger secrets sync --prune --json

        Args:
            only: Comma-separated names: sync (and prune) only these.
            prune: Also remove Podman secrets leger created for this server and
                user that no longer exist on leger.run.
            dry_run: Print the plan (create, update, unchanged, remove, skip); change nothing.
            json: Print the result as one JSON object.
        """
        # Imported here: only sync needs the Podman code.
        from leger.commands.sync import sync_secrets

        sync_secrets(self._ctx, only, prune=prune, dry_run=dry_run, as_json=json)


# 'import' is a Python keyword: the command is bound under its name here.
setattr(Secrets, "import", Secrets._import)


class Leger:
    """leger: log in to leger.run with your Tailscale identity and manage your secrets.

    Run 'leger --version' for the version. Exit codes: 0 success, 1 error,
    2 usage error, 4 authentication required; 'leger run' exits with its
    command's status (126: cannot be executed, 127: not found).
    """

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self.auth = Auth(ctx)
        self.secrets = Secrets(ctx)

    def run(self, command: list[str], *, only: str | None = None) -> NoReturn:
        """Run a command with your secrets in its environment.

        Usage: leger run [--only NAME,NAME...] -- COMMAND [ARG...]

        Examples:
          leger run -- python app.py
          leger run --only github-token -- gh api user   (gh reads GITHUB_TOKEN)
          ExecStart=/usr/local/bin/leger run -- /usr/bin/myservice   (a systemd unit)

        Each secret becomes a variable named like the secret, upper-cased, with
        every character other than A-Z, 0-9 and _ made _ (github-token ->
        GITHUB_TOKEN); secrets override inherited variables. leger then becomes
        COMMAND (exec): same process id, signals go straight to it, and its exit
        status is leger's. Before that, leger's errors exit 1, 2 or 4; a command
        not found exits 127, one that cannot be executed 126.

        Args:
            command: The command and its arguments, after '--', passed as they are.
            only: Comma-separated secret names to pass (default: all).
        """
        from leger.commands.run import run

        run(self._ctx, command, only)

    def completion(self, shell: str) -> None:
        """Print a shell completion script for leger's commands and options.

        Install:
          bash: echo 'eval "$(leger completion bash)"' >> ~/.bashrc
          zsh:  echo 'eval "$(leger completion zsh)"' >> ~/.zshrc  (after compinit)
          fish: leger completion fish > ~/.config/fish/completions/leger.fish

        Args:
            shell: bash, zsh or fish.
        """
        from leger.commands.completion import completion

        completion(self._ctx, self, shell)
