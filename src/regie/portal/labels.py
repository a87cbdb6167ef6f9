"""What the client reads: plain Dutch (B1) labels for the portal, apart from the staff labels that carry articles."""

from django.utils.translation import gettext_lazy as _

EXEMPTION_GROUNDS = {
    "kind_onder_5": _("U zorgt alleen voor een kind jonger dan 5 jaar"),
    "geen_kinderopvang": _("Er is geen kinderopvang"),
    "medisch": _("Om medische redenen"),
    "mantelzorg": _("U zorgt voor iemand"),
    "sociaal": _("Om persoonlijke redenen"),
    "overig": _("Om een andere reden"),
}
TRAJECTORY_KINDS = {
    "reintegratie": _("Hulp bij het vinden van werk"),
    "work_first": _("Werken met begeleiding (Work First)"),
    "bemiddeling": _("Bemiddeling naar werk"),
    "scholing": _("Een opleiding of cursus"),
    "diagnose": _("Onderzoek naar wat u kunt"),
    "zorg": _("Zorg en ondersteuning"),
    "participatie": _("Meedoen in de buurt"),
}
APPOINTMENT_STATUS = {
    "gepland": _("Gepland"),
    "verzet": _("Verzet"),
    "gehouden": _("Geweest"),
    "niet_verschenen": _("Niet geweest"),
    "afgezegd": _("Afgezegd"),
}
# the outcome of an objection in plain words (the staff labels: regie.core.events.OBJECTION_OUTCOMES)
OBJECTION_OUTCOMES = {
    "gegrond": _("U krijgt gelijk"),
    "deels_gegrond": _("U krijgt voor een deel gelijk"),
    "ongegrond": _("U krijgt geen gelijk"),
    "niet_ontvankelijk": _("Uw bezwaar is niet behandeld"),
    "ingetrokken": _("U heeft uw bezwaar ingetrokken"),
}
