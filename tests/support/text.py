"""Values, terminal bytes and messages several test files share (wire facts: see wire.py)."""

from __future__ import annotations

GREEN_CHECK = b"\x1b[32m\xe2\x9c\x93\x1b[0m "  # what success looks like on a colour terminal
ESC = b"\x1b["
PEM = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "QyNTUxOQAAACBk8wQq0a2bX7m1qZb9Qw==\n"
    "-----END OPENSSH PRIVATE KEY-----\n"
)
EMPTY_STATE = "No secrets configured\n\nAdd secrets with: leger secrets set <name> <value>\n"
# What leger says of a list of 1000 secrets, all the deployed server lists (more may exist).
MORE_MAY_EXIST = "leger.run lists at most 1000 secrets, so more may exist"
ONLY_THE_LISTED = (
    f"Warning: {MORE_MAY_EXIST}; only the listed ones are used; name others with --only "
    "NAME,NAME..."
)


def not_found_message(name: str) -> str:
    """The seed's message for a missing secret, as leger prints it on stderr."""
    return (
        f'Error: Secret "{name}" not found\n'
        "\n"
        "List available secrets:\n"
        "  leger secrets list\n"
        "\n"
        "Create secret:\n"
        f"  leger secrets set {name} <value>\n"
    )
