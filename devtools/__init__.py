"""Development and test tools for leger; not part of the installed package."""
