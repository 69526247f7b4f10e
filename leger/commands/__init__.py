"""Command implementations: each is a function of a ``Context`` and its options."""
