"""A local, in-memory stand-in for the leger.run backend (development and tests only).

It implements every operation of ``openapi/leger-api.yaml`` with state kept in
memory, listens on loopback only, and optionally exposes a small test-control
surface under ``/_control/`` (outside the contract). Run it with::

    python -m devtools.leger_backend --port 8787 [--control]

Modules, one job each: ``wire`` (envelopes and errors), ``validation`` (request
bodies), ``store`` (users, tokens, secrets), ``ratelimit`` (the 429 switch),
``api`` (the contract's operations), ``control`` (the test-control surface),
``app`` (routing a request to one of those), ``server`` (HTTP glue),
``__main__`` (the command line).
"""
