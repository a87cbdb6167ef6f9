"""Adapters of the policy engine (regie.core.policy): the ``regie policy`` commands."""
