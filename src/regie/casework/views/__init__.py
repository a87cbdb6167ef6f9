"""Casework screens: worklist, client page, route steps, approvals, signals to policy, provider portal."""
