"""``--rotating-reads``: every read of a secret by name sees a new value and version."""

from __future__ import annotations

from devtools.leger_backend.__main__ import parse_args
from devtools.leger_backend.app import Backend, Options
from devtools.leger_backend.store import Store


def test_each_read_by_name_rotates_the_secret_first():
    store = Store(rotating_reads=True)
    store.set("u", "k", "v")
    reads = [store.get("u", "k") for _ in range(3)]
    assert [(s.value, s.version) for s in reads if s is not None] == [
        ("v~2", 2),
        ("v~3", 3),
        ("v~4", 4),
    ]
    assert store.get("u", "missing") is None
    assert [name for name, _ in store.list("u")] == ["k"]


def test_a_list_does_not_rotate_and_reads_stay_put_without_the_option():
    rotating = Store(rotating_reads=True)
    rotating.set("u", "k", "v")
    assert [(s.value, s.version) for _, s in rotating.list("u")] == [("v", 1)]
    plain = Store()
    plain.set("u", "k", "v")
    assert {(s.value, s.version) for s in (plain.get("u", "k"), plain.get("u", "k")) if s} == {
        ("v", 1)
    }


def test_the_command_line_turns_it_on_for_the_backends_store():
    assert parse_args([]).rotating_reads is False
    backend = Backend(Options(rotating_reads=parse_args(["--rotating-reads"]).rotating_reads))
    backend.store.set("u", "k", "v")
    read = backend.store.get("u", "k")
    assert read is not None
    assert (read.value, read.version) == ("v~2", 2)
