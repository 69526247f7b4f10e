"""The thin layer over the generated client: the only code that talks HTTP.

Commands call ``LegerClient`` and get typed results (the generated models) or a
``leger.errors.LegerError``; they never see httpx.
"""
