"""Measure leger's start-up and request cost against the floor Python can reach.

Run through scripts/bench, which prepares a runtime-only install of leger (what
a user gets: no dev tools, whose extra packages would slow httpx's import) and
the local backend. Every case runs warm-up rounds, then counted rounds; the
table shows the median, the spread (interquartile range) and the ratio to the
case's floor, measured in the same run on the same machine.

The many-secrets cases (``leger run``, ``leger secrets export`` with 100
secrets) run on a backend of each route form, and again on backends that add
50 ms to every answer, where the number of round trips is what counts: REST
fetches every value in one request, v0.1 lists and then gets a few at once.
On REST, ``leger run`` is also measured with ``LEGER_CACHE=0`` (what writing
the offline cache costs) and with ``--offline`` (what reading it costs instead).

``leger secrets get`` finds the value it already cached unchanged after its
first runs, and then records only when it was fetched, without decrypting the
cache; ``GET_CHANGED`` is the other case, on a backend that rotates the secret
at every read (``--rotating-reads``), so that every ``get`` seals the cache again.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from devtools.login_file import login_text, write_login  # noqa: E402
from devtools.processes import free_port, running  # noqa: E402

# The floor of fetching many values over v0.1: one process, one connection, 100 GETs.
SEQUENTIAL_GETS = "python: 100 gets in a row [v0.1 +50ms]"
# A get whose value changed since the last one, which the offline cache must seal again.
GET_CHANGED = "leger secrets get k (value changed)"
# case: (its floor, the most it may cost relative to that floor, or None)
FLOORS = {
    "leger --version": ("python -c pass", 2.5),
    "leger --help": ("python -c pass", None),
    "leger auth status": ("python -c pass", None),
    "leger secrets get k": ("python: import httpx + same GET", 1.3),
    # No login file: the route form comes from the hint the first (warm-up) run left.
    "leger secrets get k (LEGER_TOKEN)": ("python: import httpx + same GET", 1.3),
    GET_CHANGED: ("python: import httpx + same GET", None),
    "leger secrets list (1,000)": ("leger secrets list (0)", None),
    "leger secrets list (10,000)": ("leger secrets list (0)", 3.0),
    "leger run -- true, 100 secrets [rest]": ("leger secrets get k [rest]", 1.2),
    "leger secrets export, 100 secrets [rest]": ("leger secrets get k [rest]", None),
    "leger run -- true, 100 secrets [v0.1]": ("leger secrets get k [v0.1]", None),
    "leger secrets export, 100 secrets [v0.1]": ("leger secrets get k [v0.1]", None),
    "leger secrets export, 100 secrets [v0.1 +50ms]": (SEQUENTIAL_GETS, 0.3),
    "leger run -- true, 100 secrets [v0.1 +50ms]": (SEQUENTIAL_GETS, None),
    "leger secrets export, 100 secrets [rest +50ms]": ("leger secrets get k [rest +50ms]", None),
    "leger run -- true, 100 secrets [rest +50ms]": ("leger secrets get k [rest +50ms]", None),
}
MEMORY_TARGET = ("leger secrets list (10,000)", "leger secrets list (0)", 2.0)
# The offline cache, measured side by side in the same run: an online `run` (which
# writes the cache), the same with LEGER_CACHE=0, and `run --offline`.
RUN_ONLINE = "leger run -- true, 100 secrets [rest]"
RUN_NO_CACHE = "leger run -- true, 100 secrets [rest, LEGER_CACHE=0]"
RUN_OFFLINE = "leger run --offline -- true, 100 secrets [rest]"
# (case, compared with, the most it may cost relative to it)
CACHE_TARGETS = [
    (RUN_ONLINE, RUN_NO_CACHE, 1.10),  # writing the cache adds at most 10 %
    (RUN_OFFLINE, RUN_ONLINE, 0.5),  # the cache alone: at most half an online run
]
MANY = 100  # secrets in the run/export cases
LATENCY_MS = 50
# A case with latency takes seconds a round; these few rounds are enough.
SLOW_RUNS, SLOW_WARMUP = 5, 1


@dataclass
class Case:
    """One measured command."""

    name: str
    median_ms: float
    iqr_ms: float
    min_ms: float
    peak_rss_mib: float
    floor: str | None = None
    ratio: float | None = None


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time (s) of one execution, and its peak RSS (MiB)."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    errors = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(argv)} failed ({proc.returncode}): {errors}")
    return elapsed, usage.ru_maxrss / 1024  # Linux reports KiB


def measure_all(plan: list[tuple[str, list[str], dict[str, str], int, int]]) -> dict[str, Case]:
    """Each case's ``runs`` timings after ``warmup`` ones, the cases taking turns.

    Every round runs each case once, so a change in the machine's speed during
    the benchmark (another process, a CPU's clock) falls on a case and its floor
    alike, instead of on whichever case happened to run then.
    """
    times: dict[str, list[float]] = {name: [] for name, *_ in plan}
    peaks = dict.fromkeys(times, 0.0)
    for round_ in range(max(warmup + runs for *_, warmup, runs in plan)):
        for name, argv, env, warmup, runs in plan:
            if round_ >= warmup + runs:
                continue
            elapsed, peak = run_once(argv, env)
            if round_ >= warmup:
                times[name].append(elapsed)
                peaks[name] = max(peaks[name], peak)
    return {name: summarise(name, times[name], peaks[name]) for name in times}


def summarise(name: str, times: list[float], peak: float) -> Case:
    """Median, interquartile range and minimum, in milliseconds."""
    ms = sorted(t * 1000 for t in times)
    quartiles = statistics.quantiles(ms, n=4) if len(ms) > 1 else [ms[0]] * 3
    return Case(name, statistics.median(ms), quartiles[2] - quartiles[0], ms[0], peak)


def api(
    url: str, path: str, body: dict[str, Any] | None = None, token: str | None = None
) -> dict[str, Any]:
    """One JSON request to the local backend."""
    request = urllib.request.Request(
        url + path,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
        method="GET" if body is None else "POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer: dict[str, Any] = json.load(response)
        return answer


def login(url: str, user: int) -> dict[str, Any]:
    """Log a made-up Tailscale user in at the local backend; return the auth data."""
    identity = {
        "user_id": str(1000 + user),
        "login_name": f"bench{user}@example.com",
        "device_id": f"bench-node-{user}",
        "device_hostname": "bench",
        "tailnet": "bench.example.com",
    }
    data: dict[str, Any] = api(url, "/auth/cli", {"tailscale": identity, "cli_version": "bench"})[
        "data"
    ]
    return data


def seed(url: str, token: str, count: int, routes: str = "v0.1") -> None:
    """Store ``count`` secrets for the token's user, over ``routes``' set route."""
    for i in range(count):
        name, value = f"secret_{i:05d}", f"value-{i}"
        if routes == "rest":
            api(url, f"/secrets/{name}", {"value": value}, token)
        else:
            api(url, "/secrets/set", {"name": name, "value": value}, token)


def start_backend(stack: ExitStack, work: Path, *flags: str) -> str:
    """Run another local backend with ``flags`` until the stack closes; its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "devtools.leger_backend", "--port", str(port), "--quiet", *flags]
    # Any answer means it is up: /secrets is 401 on the REST form, 404 on v0.1.
    stack.enter_context(running(argv, url + "/secrets", log=work / f"backend-{port}.log"))
    return url


def many_secrets_cases(
    stack: ExitStack, work: Path, leger: str, python: str, base_env: dict[str, str]
) -> list[tuple[str, list[str], dict[str, str]]]:
    """``leger run`` and ``export`` with 100 secrets on each route form, without and with
    added latency, and what each is compared with."""
    cases = []
    for routes, latency in (("rest", 0), ("v0.1", 0), ("v0.1", LATENCY_MS), ("rest", LATENCY_MS)):
        url = start_backend(stack, work, "--routes", routes, "--latency", str(latency))
        token = login(url, 0)["token"]
        seed(url, token, MANY, routes)
        # As after a login there: the form is known, no probe.
        env = base_env | {"LEGER_API_URL": url, "LEGER_TOKEN": token, "LEGER_API_ROUTES": routes}
        tag = f"[{routes}{f' +{latency}ms' if latency else ''}]"
        if routes == "v0.1" and latency:
            gets = (
                "import httpx\n"
                f"with httpx.Client(headers={{'Authorization': 'Bearer {token}'}}) as client:\n"
                f"    for i in range({MANY}):\n"
                f"        client.get(f'{url}/secrets/get/secret_{{i:05d}}').raise_for_status()\n"
            )
            cases.append((SEQUENTIAL_GETS, [python, "-c", gets], env))
        else:
            get = [leger, "secrets", "get", "secret_00000"]
            cases.append((f"leger secrets get k {tag}", get, env))
        run = [leger, "run", "--", "true"]
        cases.append((f"leger run -- true, {MANY} secrets {tag}", run, env))
        if routes == "rest" and not latency:
            # After the online run in every round, so its cache is there to read.
            cases.append((RUN_NO_CACHE, run, env | {"LEGER_CACHE": "0"}))
            cases.append((RUN_OFFLINE, [leger, "run", "--offline", "--", "true"], env))
        export = [leger, "secrets", "export"]
        cases.append((f"leger secrets export, {MANY} secrets {tag}", export, env))
    return cases


def main() -> None:
    """Run every case and print the table (and JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leger", required=True, help="the leger executable to measure")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    leger = str(Path(args.leger).resolve())
    python = str(Path(leger).parent / "python")

    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="leger-bench-")))
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        backend = [sys.executable, "-m", "devtools.leger_backend", "--port", str(port)]
        stack.enter_context(running(backend, url + "/secrets/list", log=work / "backend.log"))

        users = {count: login(url, count) for count in (0, 1, 1000, 10000)}
        seed(url, users[1]["token"], 1)
        seed(url, users[1000]["token"], 1000)
        seed(url, users[10000]["token"], 10000)

        config = work / "config"
        first = users[1]
        stored_login = login_text(
            first["token"],
            api_url=url,
            api_routes="v0.1",
            user_uuid=first["user_uuid"],
            user_email=first["user"]["tailscale_email"],
        )
        write_login(config / "leger", stored_login)
        base_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(work),
            "XDG_CONFIG_HOME": str(config),
            "LEGER_API_URL": url,
            "LANG": "C.UTF-8",
        }

        def env_for(count: int) -> dict[str, str]:
            return base_env | {"LEGER_TOKEN": users[count]["token"]}

        get_url = f"{url}/secrets/get/secret_00000"
        floor_get = (
            "import httpx; httpx.get("
            f"{get_url!r}, headers={{'Authorization': 'Bearer {first['token']}'}})"
        )
        rotating = start_backend(stack, work, "--rotating-reads")
        rotated = login(rotating, 1)["token"]
        seed(rotating, rotated, 1)
        # As after a login there (the form is known), with the token in the environment.
        changing_env = base_env | {
            "LEGER_API_URL": rotating,
            "LEGER_TOKEN": rotated,
            "LEGER_API_ROUTES": "v0.1",
        }
        cases = [
            ("python -c pass", [python, "-c", "pass"], base_env),
            ("leger --version", [leger, "--version"], base_env),
            ("leger --help", [leger, "--help"], base_env),
            ("leger auth status", [leger, "auth", "status"], base_env),
            ("python: import httpx + same GET", [python, "-c", floor_get], base_env),
            ("leger secrets get k", [leger, "secrets", "get", "secret_00000"], base_env),
            (
                "leger secrets get k (LEGER_TOKEN)",
                [leger, "secrets", "get", "secret_00000"],
                env_for(1),
            ),
            (GET_CHANGED, [leger, "secrets", "get", "secret_00000"], changing_env),
            ("leger secrets list (0)", [leger, "secrets", "list"], env_for(0)),
            ("leger secrets list (1,000)", [leger, "secrets", "list"], env_for(1000)),
            ("leger secrets list (10,000)", [leger, "secrets", "list"], env_for(10000)),
            *many_secrets_cases(stack, work, leger, python, base_env),
        ]
        plan = []
        for name, argv, env in cases:
            slow = f"+{LATENCY_MS}ms" in name
            warmup = min(args.warmup, SLOW_WARMUP) if slow else args.warmup
            runs = min(args.runs, SLOW_RUNS) if slow else args.runs
            plan.append((name, argv, env, warmup, runs))
        results = measure_all(plan)

    for name, (floor, _) in FLOORS.items():
        results[name].floor = floor
        results[name].ratio = results[name].median_ms / results[floor].median_ms

    print(
        f"leger benchmark: {args.runs} runs after {args.warmup} warm-up, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores"
    )
    print(f"{'case':<48} {'median':>9} {'IQR':>8} {'min':>8} {'peak RSS':>9}  ratio to floor")
    for case in results.values():
        shown = f"{case.ratio:.2f}x {case.floor}" if case.ratio is not None else "(floor)"
        print(
            f"{case.name:<48} {case.median_ms:7.1f}ms {case.iqr_ms:6.1f}ms {case.min_ms:6.1f}ms"
            f" {case.peak_rss_mib:6.1f}MiB  {shown}"
        )
    print("\ntargets:")
    verdicts = []
    for name, (floor, limit) in FLOORS.items():
        ratio = results[name].ratio
        assert ratio is not None, f"{name} has a floor, so a ratio"
        if limit is not None:
            verdicts.append(ratio <= limit)
            print(
                f"  {name}: {ratio:.2f}x {floor} (target <= {limit}x) "
                f"{'met' if ratio <= limit else 'MISSED'}"
            )
    for name, against, limit in CACHE_TARGETS:
        ratio = results[name].median_ms / results[against].median_ms
        verdicts.append(ratio <= limit)
        print(
            f"  {name}: {ratio:.2f}x {against} (target <= {limit}x) "
            f"{'met' if ratio <= limit else 'MISSED'}"
        )
    big, small, limit = MEMORY_TARGET
    memory = results[big].peak_rss_mib / results[small].peak_rss_mib
    verdicts.append(memory <= limit)
    print(
        f"  peak memory of {big}: {memory:.2f}x {small} (target <= {limit}x) "
        f"{'met' if memory <= limit else 'MISSED'}"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "python": platform.python_version(),
                    "runs": args.runs,
                    "warmup": args.warmup,
                    "cases": [asdict(case) for case in results.values()],
                    "targets_met": all(verdicts),
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
