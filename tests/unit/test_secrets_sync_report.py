"""What ``secrets sync`` shows: its text report and its JSON document, for either driver.

leger/commands/secrets_sync/report.py, fed by the engine between a fake API and a fake Podman.
"""

from __future__ import annotations

import json
import os

from leger.commands.secrets_sync.engine import Report
from leger.commands.secrets_sync.report import print_report, report_json
from leger.iostreams import IOStreams
from leger.podman import PodmanSecret
from tests.support.fake_podman import OWNER, FakePodman, sync
from tests.support.fake_secrets import FakeSecrets


def render(report: Report) -> str:
    io, _, stdout, _ = IOStreams.test()
    print_report(io, report)
    return stdout.getvalue().decode()


def test_text_output_is_the_plan_as_done_with_counts_and_the_restart_advice():
    podman, api = FakePodman(), FakeSecrets()
    for name in ("keep", "change", "gone", "bad"):
        api.put(name, "v")
    sync(api, podman)
    api.put("change", "v2")
    api.put("new\x1b[2J", "v")  # a name Podman cannot take, and hostile on a terminal
    del api.store["gone"]
    podman.store["foreign"] = PodmanSecret("f1", "foreign", {})
    api.put("foreign", "v")
    text = render(sync(api, podman, prune=True))
    assert "\x1b" not in text
    lines = text.splitlines()
    where = "rootful" if os.geteuid() == 0 else "rootless"
    assert lines[0] == f"From http://127.0.0.1:8000 to Podman 4.3.1 ({where})"
    table = [line.split(None, 2) for line in lines[1:7]]
    assert table == [
        ["unchanged", "bad", "version 1"],
        ["updated", "change", "version 1 -> 2"],
        ["skipped", "foreign", "a Podman secret of this name was not made by leger"],
        ["removed", "gone", "deleted on leger.run"],
        ["unchanged", "keep", "version 1"],
        ["skipped", "new?[2J", table[5][2]],
    ]
    assert table[5][2].startswith("Podman cannot take this name")
    assert "1 updated, 2 unchanged, 1 removed, 2 skipped, 0 failed." in text
    assert "keep the value they started with until they restart" in text
    assert "restart NAME.service" in text


def test_dry_run_output_says_nothing_changed():
    podman, api = FakePodman(), FakeSecrets()
    api.put("a", "1")
    text = render(sync(api, podman, dry_run=True))
    assert "Dry run: nothing was changed." in text
    assert "  create  a  version 1" in text
    assert "Plan: 1 create, 0 update, 0 unchanged, 0 remove, 0 skip." in text
    assert podman.calls == []


def test_json_output_is_one_object():
    podman, api = FakePodman(fail_on=("b",)), FakeSecrets()
    api.put("a", "1")
    api.put("b", "2")
    document = report_json(sync(api, podman))
    json.dumps(document)
    assert document["server"] == OWNER.server
    assert document["user"] == OWNER.user
    assert document["podman"]["version"] == "4.3.1"
    assert document["podman"]["replace"] is False
    assert document["secrets"] == [
        {
            "name": "a",
            "action": "create",
            "result": "done",
            "driver": "file",
            "version": 1,
            "previous_version": None,
            "reason": "new",
            "error": None,
        },
        {
            "name": "b",
            "action": "create",
            "result": "failed",
            "driver": "file",
            "version": 1,
            "previous_version": None,
            "reason": "new",
            "error": "podman secret create failed: no space left on device",
        },
    ]
    assert document["counts"] == {
        "create": 1,
        "update": 0,
        "unchanged": 0,
        "remove": 0,
        "skip": 0,
        "failed": 1,
    }
    assert document["ok"] is False
    assert document["restart_needed"] is False


# --- the shell driver -----------------------------------------------------------------------------


def test_the_report_says_shell_driver_and_that_values_are_read_live():
    api, podman = FakeSecrets({"a": "1", "b": "2"}), FakePodman()
    sync(api, podman, only=frozenset({"b"}))
    report = sync(api, podman, driver="shell")
    lines = render(report).splitlines()
    assert lines[0].endswith("(rootful, shell driver)") or lines[0].endswith(
        "(rootless, shell driver)"
    )
    assert [line.split(None, 2) for line in lines[1:3]] == [
        ["created", "a", "read from leger.run at each container start"],
        ["updated", "b", "switching from the file driver"],
    ]

    document = report_json(report)
    assert document["driver"] == "shell"
    assert [(s["name"], s["driver"], s["version"]) for s in document["secrets"]] == [
        ("a", "shell", None),
        ("b", "shell", None),
    ]


def test_back_to_the_file_driver_the_report_names_the_version():
    api, podman = FakeSecrets({"k": "v"}), FakePodman()
    sync(api, podman, driver="shell")
    report = sync(api, podman)
    assert "  updated  k  version 1, switching from the shell driver" in render(report)
    assert report_json(report)["driver"] == "file"
