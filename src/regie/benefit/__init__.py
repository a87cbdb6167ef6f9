"""The benefit administration next to the re-integration file: the monthly calculation on the case page, income
per month, the ledger per client, bank accounts and the monthly payment run (SEPA pain.001, four eyes).

The computation is regie.core.benefit; this app adapts it: ``selectors`` (the ledger of a case from its events),
``services`` (the only writers: bank accounts, payment runs; events through the decision gate), ``sepa`` (the
credit-transfer file), ``tasks`` (the payment run as a job), views, urls, templates.
"""
