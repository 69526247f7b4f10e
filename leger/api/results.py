"""What the secret operations return, the same whichever route form the server speaks.

The two forms answer with different shapes (v0.1: ``deleted_at``, 201 on create,
no labels; REST: ``{deleted: true}``, 200 always, labels, no ``updated_at`` on a
read). Commands see only these types, so their output is the same on both forms
wherever the server gives the data, and a field one form lacks is ``None``.
"""

from __future__ import annotations

from collections.abc import Sized
from dataclasses import dataclass
from datetime import datetime

# The deployed server answers a list with one storage page: at most this many
# secrets, with no cursor and nothing saying that more exist.
LIST_LIMIT = 1000


def possibly_incomplete(listed: Sized) -> bool:
    """Whether a list answer of this many entries may lack secrets the server has.

    Such a list proves nothing by what it lacks: a name missing from it may
    still be a secret (``get_secret`` and ``fetch_values`` ask for it by name).
    """
    return len(listed) >= LIST_LIMIT


@dataclass(frozen=True)
class SecretInfo:
    """One secret's metadata, as a list shows it."""

    name: str
    version: int
    created_at: datetime
    updated_at: datetime
    label: str | None


@dataclass(frozen=True)
class Secret:
    """One secret's value."""

    name: str
    value: str
    version: int
    label: str | None


@dataclass(frozen=True)
class SetOutcome:
    """What ``set`` did: created (version 1) or updated, and the new version."""

    created: bool
    name: str
    version: int
    updated_at: datetime | None


@dataclass(frozen=True)
class DeleteOutcome:
    """What ``delete`` did; ``deleted_at`` only when the server said."""

    name: str
    deleted_at: datetime | None
