"""``IOStreams`` (leger/iostreams.py) turns a failed write into ``OutputError``.

What the process then does with a closed, full or broken stdout is tested
through the installed ``leger`` in tests/process/test_iostreams.py.
"""

from __future__ import annotations

import io

import pytest

from leger.errors import OutputError
from leger.iostreams import IOStreams

# --- in-process: IOStreams turns a failed write into OutputError ---------------------------


class FailingStdout(io.BytesIO):
    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error

    def flush(self) -> None:
        raise self.error


def streams_writing_to(stdout: io.BytesIO) -> IOStreams:
    streams, *_ = IOStreams.test()
    streams.stdout = stdout
    return streams


@pytest.mark.parametrize("method", ["print", "write"])
def test_a_failed_write_is_an_output_error(method):
    streams = streams_writing_to(FailingStdout(OSError(28, "No space left on device")))
    with pytest.raises(OutputError, match="No space left on device") as caught:
        getattr(streams, method)("x" if method == "print" else b"x")
    assert caught.value.exit_code == 1


def test_a_broken_pipe_is_left_to_the_entry_point():
    streams = streams_writing_to(FailingStdout(BrokenPipeError(32, "Broken pipe")))
    with pytest.raises(BrokenPipeError):
        streams.write(b"x")
