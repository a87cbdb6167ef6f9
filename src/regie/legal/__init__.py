"""Bezwaar en beroep: the objections worklist, an objection's page, the forms of every legal step and the case
page's legal section. The truth is the case event log (regie.core.legal.lifecycle derives the state); every step
goes through the decision gate (regie.casework.decisions.record_step)."""
