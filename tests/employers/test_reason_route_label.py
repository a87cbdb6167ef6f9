"""The candidate list's policy line names the route by its label, not by its key (found by the browser page sweep)."""

from django.utils import translation

from regie.core.matching import Reason
from regie.employers.views import _reasons


class _Match:
    reasons = [Reason("policy", None, False, (("route", "work_first"), ("level", "2"), ("work_first", False)))]


def test_policy_reason_shows_the_route_label_in_dutch_and_english():
    with translation.override("nl"):
        assert _reasons(_Match)[0]["text"] == "Beleid: route Work First, trede 2 (getoond, niet meegewogen)"
    with translation.override("en"):
        text = _reasons(_Match)[0]["text"]
        assert "work_first" not in text and "Work First" in text


def test_the_employer_vocabularies_read_in_the_readers_language():
    """Sectors, contact and agreement kinds, vacancy states, the sociale kaart's kinds and the placement kinds are
    shown in the reader's language (they were Dutch in the English UI)."""
    from django.utils import translation

    from regie.employers.models import AGREEMENT_KINDS, CONTACT_KINDS, SECTORS, SERVICE_KINDS, VACANCY_STATUSES
    from regie.employers.templatetags.employers_tags import placement_kind_labels

    with translation.override("en"):
        assert dict(SECTORS)["P"] == "Education"
        assert dict(CONTACT_KINDS)["bezoek"] == "Company visit"
        assert dict(AGREEMENT_KINDS)["convenant"] == "Covenant (sector or employer)"
        assert dict(VACANCY_STATUSES)["vervuld"] == "Filled"
        assert dict(SERVICE_KINDS)["schulden"] == "Debt counselling"
        assert placement_kind_labels()["stage"] != "Stage (werkervaringsplaats)"
    with translation.override("nl"):
        assert dict(SECTORS)["P"] == "Onderwijs"
        assert placement_kind_labels()["stage"] == "Stage (werkervaringsplaats)"
