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
