"""Command-line adapter of the monitoring app: `register(app)` adds its sub-commands to `regie`."""


def register(app) -> None:  # filled in by the monitoring work
    pass
