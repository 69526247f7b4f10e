"""``secrets sync --driver``: what is refused before Podman or leger.run is asked."""

from __future__ import annotations


def test_the_shell_driver_never_takes_leger_token(leger):
    leger.with_token()
    result = leger.run("secrets", "sync", "--driver", "shell")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: --driver shell uses the stored login, not LEGER_TOKEN\n"
    )
    assert "Unset LEGER_TOKEN and run: leger auth login" in result.stderr
    assert leger.registry.requests == []


def test_even_beside_a_stored_login_leger_token_is_refused(leger):
    leger.logged_in(expires_at="2099-01-01T00:00:00+00:00")
    result = leger.with_token().run("secrets", "sync", "--driver=shell", "--dry-run")
    assert result.exit_code == 2
    assert "not LEGER_TOKEN" in result.stderr


def test_an_unknown_driver_is_a_usage_error(leger):
    result = leger.run("secrets", "sync", "--driver", "secretsdata")
    assert result.exit_code == 2
    assert result.stderr == "Error: Unknown --driver\n\nDrivers: file (the default) and shell.\n"


def test_dash_d_is_still_dry_run(leger):
    # --driver takes no one-letter form: -d was --dry-run's before it came.
    result = leger.run("secrets", "sync", "-d")
    assert result.exit_code == 4  # bound as --dry-run; then no login
    assert "Not authenticated" in result.stderr
