"""The pseudo-terminal harness (tests/support/pty.py) runs leger as a foreground job."""

from __future__ import annotations

import signal


def test_a_terminal_session_gets_ctrl_c_even_when_the_test_run_ignores_it(cli):
    # A test run started in the background by a script ignores SIGINT, and a child
    # inherits that: Ctrl-C at a session's prompt then did nothing (the flaky
    # test_ctrl_c_at_the_prompt... of tests/process/test_secrets_set.py).
    cli.env["LEGER_TOKEN"] = "t"
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        session = cli.terminal("secrets", "set", "k")
    finally:
        signal.signal(signal.SIGINT, previous)
    session.expect(b"Secret value: ")
    session.send(b"\x03")
    code, _output, stderr = session.finish()
    assert code == 130, stderr
    assert stderr == "\nInterrupted\n"
