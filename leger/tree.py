"""The command tree Fire walks: ``leger auth ...`` and ``leger secrets ...``.

Each method is the user-facing surface of one command: its signature is the
command line (positional text arguments, ``bool`` defaults are flags) and its
docstring is the help Fire shows. The work happens in ``leger.commands``.
"""

from __future__ import annotations

from leger.commands import auth, secrets, sync
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
        sync.sync_secrets(self._ctx, only, prune=prune, dry_run=dry_run, as_json=json)


class Leger:
    """leger: log in to leger.run with your Tailscale identity and manage your secrets.

    Run 'leger --version' for the version. Exit codes: 0 success, 1 error,
    2 usage error, 4 authentication required.
    """

    def __init__(self, ctx: Context) -> None:
        self.auth = Auth(ctx)
        self.secrets = Secrets(ctx)
