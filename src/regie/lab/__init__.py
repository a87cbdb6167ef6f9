"""Beleidslab: the policy officer's page for the policy lab (issue 7). A Django adapter around regie.core.lab."""
