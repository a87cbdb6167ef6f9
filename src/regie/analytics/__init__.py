"""The analytic tables of the event log: :mod:`regie.analytics.store` is their one home."""
