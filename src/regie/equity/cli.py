"""Command-line adapter of the equity app: `register(app)` adds its sub-commands to `regie`."""


def register(app) -> None:  # filled in by the equity work
    pass
