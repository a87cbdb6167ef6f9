"""Mijn Regie: the client's own portal under ``/mijn/`` (log-in through the municipality's DigiD broker)."""
