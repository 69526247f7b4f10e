"""leger: log in to leger.run with your Tailscale identity and keep your secrets there."""

__version__ = "0.1.0"
