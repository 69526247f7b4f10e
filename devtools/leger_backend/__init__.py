"""A local, in-memory stand-in for the leger.run backend (development and tests only).

It serves either route form of the leger.run API with state kept in memory:
``--routes v0.1`` (the default; the v0.1 design) or ``--routes rest`` (the REST
form leger.run deploys, wire fact for wire fact, its route collisions
included). It listens on loopback only, and optionally exposes a small
test-control surface under ``/_control/`` (outside the contract), which can also
switch a running backend to the other form over the same store, as a redeploy
of leger.run would. Run it with::

    python -m devtools.leger_backend --port 8787 [--routes rest] [--control] [--latency MS]
        [--rotating-reads]

Modules, one job each: ``wire`` (envelopes, times and both forms' errors),
``validation`` (request bodies, names and values), ``tokens`` (JWT-shaped
tokens), ``store`` (users, tokens, secrets), ``ratelimit`` (the 429 switch),
``faults`` (the write-failure switch), ``request_log`` (the requests seen),
``routing`` (a route), ``api`` (the v0.1 form's operations), ``rest_api`` (the
REST form's), ``deployment`` (which form is served now), ``control`` (the
test-control surface), ``app`` (routing a request to one of those), ``server``
(HTTP glue), ``__main__`` (the command line).
"""
