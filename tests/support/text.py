"""Values and terminal bytes that several test files share (not wire facts: see wire.py)."""

from __future__ import annotations

GREEN_CHECK = b"\x1b[32m\xe2\x9c\x93\x1b[0m "  # what success looks like on a colour terminal
ESC = b"\x1b["
PEM = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "QyNTUxOQAAACBk8wQq0a2bX7m1qZb9Qw==\n"
    "-----END OPENSSH PRIVATE KEY-----\n"
)
