"""``python -m leger``."""

from leger.cli import main

main()
