"""``leger secrets import`` through the installed ``leger``, against the local backend.

On each route form: what it creates and updates, a dry run, a file with
problems, and a backend that fails the third write (all or report).
"""

from __future__ import annotations

from leger.errors import ExitCode
from tests.support.roundtrip import read_back

# --- import -------------------------------------------------------------------------------

DOTENV = b"""\
# exported by hand
export API_KEY=plain
QUOTED="line one\\nline two"
SINGLE='single $HOME'
"""


def test_import_creates_and_updates_then_get_reads_back(seeded):
    cli = seeded({"API_KEY": "old"})
    result = cli.run("secrets", "import", "-", stdin=DOTENV.replace(b"\n", b"\r\n"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines() == [
        "Updated API_KEY (version 2)",
        "Created QUOTED (version 1)",
        "Created SINGLE (version 1)",
        "",
        "Imported 3: 2 created, 1 updated.",
    ]
    read_back(cli, "QUOTED", "line one\nline two", "import")
    read_back(cli, "SINGLE", "single $HOME", "import")


def test_dry_run_writes_nothing(seeded, routed_backend):
    cli = seeded({"API_KEY": "old"})
    result = cli.run("secrets", "import", "-", "--dry-run", stdin=DOTENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines() == [
        "Would update API_KEY",
        "Would create QUOTED",
        "Would create SINGLE",
        "",
        "Dry run: 2 to create, 1 to update; nothing was written.",
    ]
    assert routed_backend.state()["secrets"] == 1
    read_back(cli, "API_KEY", "old", "dry run")


def test_a_file_with_problems_writes_nothing_and_lists_them_all(seeded, routed_backend, tmp_path):
    cli = seeded({})
    path = tmp_path / "bad.env"
    path.write_bytes(b"GOOD=1\nEMPTY=\nsk-pasted-value\nGOOD=2\n")
    result = cli.run("secrets", "import", str(path))
    assert result.returncode == ExitCode.ERROR
    assert "3 problems; nothing was imported" in result.stderr
    assert "line 2 (EMPTY)" in result.stderr
    assert "line 3: no '='" in result.stderr
    assert "line 4 (GOOD): also set on line 1" in result.stderr
    assert "sk-pasted-value" not in result.stderr
    assert routed_backend.state()["secrets"] == 0


def test_a_server_that_fails_the_third_write_leaves_an_exact_report(seeded, routed_backend):
    cli = seeded({})
    routed_backend.fail_writes(after=2)
    result = cli.run("secrets", "import", "-", stdin=b"A=1\nB=2\nC=3\nD=4\nE=5\n")
    assert result.returncode == ExitCode.ERROR
    assert result.stdout.decode().splitlines() == [
        "Created A (version 1)",
        "Created B (version 1)",
    ]
    assert "The import stopped at C (line 3): " in result.stderr
    assert "  Written (2): A, B\n" in result.stderr
    assert "  Failed (1): C\n" in result.stderr
    assert "  Not attempted (2): D, E\n" in result.stderr
    routed_backend.fail_writes(after=None)
    assert sorted(routed_backend.names(routed_backend.login_data()["user_uuid"])) == ["A", "B"]
