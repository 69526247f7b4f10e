"""What both route forms share (leger/api/secrets.py): a delete whose first answer was lost."""

from __future__ import annotations

import pytest

from leger.errors import SecretNotFound
from tests.support import wire
from tests.support.api import MockServer, answer


def test_a_delete_whose_first_answer_was_lost_and_then_404s_has_succeeded(no_backoff) -> None:
    script = iter(
        [
            answer(502, content=b"<html>Bad Gateway</html>"),
            answer(404, wire.error("secret_not_found", "gone")),
        ]
    )
    with MockServer(lambda request: next(script)).client() as client:
        outcome = client.delete_secret("k")
    assert outcome.name == "k"
    assert outcome.deleted_at is None


@pytest.mark.parametrize("first", [503, None])
def test_a_404_after_an_answer_that_was_not_lost_is_still_not_found(no_backoff, first) -> None:
    steps = [answer(404, wire.error("secret_not_found", "gone"))]
    if first is not None:
        steps.insert(0, answer(first, content=b""))
    script = iter(steps)
    with MockServer(lambda request: next(script)).client() as client, pytest.raises(SecretNotFound):
        client.delete_secret("k")
