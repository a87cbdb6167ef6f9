"""Beleidslab: the policy officer's page for the policy lab. A Django adapter around regie.core.lab."""
