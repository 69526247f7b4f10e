"""What the secret operations return, the same whichever route form the server speaks.

The two forms answer with different shapes (v0.1: ``deleted_at``, 201 on create,
no labels; REST: ``{deleted: true}``, 200 always, labels, no ``updated_at`` on a
read). Commands see only these types, so their output is the same on both forms
wherever the server gives the data, and a field one form lacks is ``None``.
"""

from __future__ import annotations

from collections.abc import Sized
from typing import TYPE_CHECKING, Final

from leger.record import Record

if TYPE_CHECKING:
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


class SecretInfo(Record):
    """One secret's metadata, as a list shows it."""

    __slots__ = ("created_at", "label", "name", "updated_at", "version")

    def __init__(
        self, name: str, version: int, created_at: datetime, updated_at: datetime, label: str | None
    ) -> None:
        self.name: Final = name
        self.version: Final = version
        self.created_at: Final = created_at
        self.updated_at: Final = updated_at
        self.label: Final = label


class Secret(Record):
    """One secret's value."""

    __slots__ = ("label", "name", "value", "version")

    def __init__(self, name: str, value: str, version: int, label: str | None) -> None:
        self.name: Final = name
        self.value: Final = value
        self.version: Final = version
        self.label: Final = label


class SetOutcome(Record):
    """What ``set`` did: created (version 1) or updated, and the new version."""

    __slots__ = ("created", "name", "updated_at", "version")

    def __init__(self, created: bool, name: str, version: int, updated_at: datetime | None) -> None:
        self.created: Final = created
        self.name: Final = name
        self.version: Final = version
        self.updated_at: Final = updated_at


class DeleteOutcome(Record):
    """What ``delete`` did; ``deleted_at`` only when the server said."""

    __slots__ = ("deleted_at", "name")

    def __init__(self, name: str, deleted_at: datetime | None) -> None:
        self.name: Final = name
        self.deleted_at: Final = deleted_at
