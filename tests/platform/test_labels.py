"""The label registry (regie.platform.labels): every key of the event schema has a label, and the pages users read
show labels, never the schema's snake_case keys (outside attributes, code and "bron" disclosures)."""

from __future__ import annotations

import datetime as dt
import re
import typing
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from regie.core.events import EVENT_TYPES
from regie.platform import labels

pytestmark = pytest.mark.django_db

SNAKE = re.compile(r"(?<![\w./:@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@-])")


class _Text(HTMLParser):
    """The text a user reads: no attributes, nothing inside script/style/code/pre or a bron disclosure."""

    SKIP = {"script", "style", "code", "pre", "textarea"}
    VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []  # per open element: does it hide its text
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        hidden = tag in self.SKIP or (tag == "details" and "bron" in (dict(attrs).get("class") or "").split())
        self.stack.append(hidden)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not any(self.stack):
            self.parts.append(data)


def visible_text(html: str) -> str:
    p = _Text()
    p.feed(html)
    return " ".join(p.parts)


def snake_keys(html: str) -> set[str]:
    return set(SNAKE.findall(visible_text(html)))


def keys_in_context(html: str) -> list[str]:
    """Each snake_case key the user reads, with the text around it (for the failure message)."""
    text = " ".join(visible_text(html).split())
    return [text[max(0, m.start() - 60) : m.end() + 20] for m in SNAKE.finditer(text)]


def test_the_detector_finds_keys_in_text_only():
    html = (
        '<p class="x_y">Plan van aanpak <span>plan_van_aanpak</span></p><code>regie_core</code>'
        '<details class="bron"><summary>Bron</summary>regie.core.equity.caseworker_icc</details>'
        '<a href="/a_b/">x</a> info@x_y.nl'
    )
    assert snake_keys(html) == {"plan_van_aanpak"}


def _literals(annotation) -> list:
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    return [v for a in typing.get_args(annotation) for v in _literals(a)]


def test_every_event_type_field_and_option_of_the_schema_has_a_label():
    missing = []
    for event_type, model in EVENT_TYPES.items():
        if event_type not in labels.EVENT_LABELS:
            missing.append(event_type)
        for name, info in model.model_fields.items():
            if not labels.has_field_label(name):
                missing.append(f"{event_type}.{name}")
            for value in _literals(info.annotation):
                if isinstance(value, str) and "_" in value and not labels.has_option(name, value, event_type):
                    missing.append(f"{event_type}.{name}={value}")
    assert missing == []


def _decimals(annotation) -> bool:
    from decimal import Decimal

    return annotation is Decimal or any(_decimals(a) for a in typing.get_args(annotation))


def test_every_amount_of_the_schema_is_shown_as_money():
    """A Decimal field of an event (Money and the like) is an amount in euro; the timeline shows it as € 1.401,50,
    also when the event log keeps it as text ("555.74"), never as the raw decimal."""
    amounts = {
        name
        for model in EVENT_TYPES.values()
        for name, info in model.model_fields.items()
        if _decimals(info.annotation)
    }
    assert amounts and amounts <= labels.MONEY_FIELDS, sorted(amounts - labels.MONEY_FIELDS)
    with translation.override("nl"):
        for name in sorted(amounts):
            assert labels.value_label("555.74", name) == "€\u00a0555,74", name
            assert labels.value_label("2566.6", name) == "€\u00a02.566,60", name
    with translation.override("en"):
        assert labels.value_label("2566.64", "damage") == "€\u00a02,566.64"
    # text that only looks like a number is not an amount: an SBI code, a house number
    assert labels.value_label("47.11", "sbi") == "47.11"
    assert labels.value_label("12", "house_number") == "12"


def test_labels_follow_the_language():
    with translation.override("nl"):
        assert labels.event_label("caseworker_toewijzing") == "Toewijzing klantmanager"
        assert labels.value_label("werk_regulier", "reason", "uitstroom") == "Werk (regulier)"
        assert labels.value_label(True, "signed") == "ja"
        assert labels.value_label(1401.5, "monthly_amount") == "€\u00a01.401,50"
        assert labels.value_label("2025-03-01", "planned_end") == "01-03-2025"
        assert labels.role_label("teammanager") == "Teammanager"
        assert labels.action_label("reveal_bsn") == "volledig BSN getoond"
        assert labels.rung_label(3) == "3 · georganiseerde activiteiten"
    with translation.override("en"):
        assert labels.event_label("caseworker_toewijzing") == "Caseworker assignment"
        assert labels.value_label(True, "signed") == "yes"
        assert labels.value_label("no_show", "kind", "rapportage") == "No-show"
        assert labels.value_label(1401.5, "monthly_amount") == "€\u00a01,401.50"
        assert labels.kpi_help("X").startswith("X: ")


def test_bron_tag_hides_references_behind_a_disclosure():
    from django.template import Context, Template

    t = Template("{% load regie_labels %}<p>Termijn{% bron %}seed 001:681{% endbron %}{% bron %} {% endbron %}</p>")
    html = t.render(Context())
    assert html.count("<details") == 1 and '<details class="bron"><summary>Bron</summary>seed 001:681</details>' in html


@pytest.fixture
def named(world):
    """The conftest world with people's names (demo-like: users are known by their names, not by usernames)."""
    from regie.accounts.models import User

    for i, u in enumerate(User.objects.all()):
        u.first_name, u.last_name = "Sanne", f"de Vries {i}"
        u.save()
    return world


def _case_with_a_history(world):
    from regie.casework.services import append_event

    case = world.clients_a[0].cases.get()
    km = world.users_a["integrale_klantmanager"]
    add = lambda t, d, p: append_event(case, type=t, effective_date=d, payload=p, actor=km)  # noqa: E731
    add("intake", dt.date(2025, 2, 10), {"medical_claim": False, "expected_months_to_work": 6})
    add("plan_van_aanpak", dt.date(2025, 2, 20), {"version": 1, "signed": True, "goal": "Werk in de zorg"})
    add(
        "traject_start",
        dt.date(2025, 3, 1),
        {"kind": "work_first", "provider": "P1", "planned_end": "2025-06-01", "price": 3000},
    )
    tr = case.events.filter(type="traject_start").get().payload["trajectory_id"]
    add("rapportage", dt.date(2025, 3, 15), {"trajectory_id": tr, "kind": "no_show"})
    add("traject_einde", dt.date(2025, 5, 1), {"trajectory_id": tr, "result": "voortijdig_gestopt"})
    add("uitstroom", dt.date(2025, 5, 10), {"reason": "werk_regulier"})
    return case


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_case_page_and_timeline_show_labels_not_keys(named, language):
    case = _case_with_a_history(named)
    c = Client()
    c.force_login(named.users_a["integrale_klantmanager"])
    c.post(reverse("set_language"), {"language": language, "next": "/"})
    html = c.get(reverse("client_detail", args=[case.client_id])).content.decode()
    text = visible_text(html)
    assert keys_in_context(html) == []
    if language == "nl":
        assert "Plan van aanpak" in text and "Ondertekend door cliënt: ja" in text
        assert "Werk (regulier)" in text and "Niet verschenen" in text and "voortijdig gestopt" in text
        assert "€\u00a03.000,00" in text and "01-06-2025" in text
    else:
        assert "Action plan" in text and "yes" in text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_client_facts_show_names_and_dates_not_codes(named, language):
    """Sex, education, language, housing, status and rung by their names; the household's birth dates as dates."""
    client = named.clients_a[0]
    client.sex, client.education, client.language, client.housing = "V", "mbo2_4", "ar", "inwonend"
    client.household = {
        "partner": {"given_name": "Noor", "birth_date": "1953-02-28"},
        "children": [{"birth_date": "2005-09-06"}],
    }
    client.save()
    c = Client()
    c.force_login(named.users_a["integrale_klantmanager"])
    c.post(reverse("set_language"), {"language": language, "next": "/"})
    text = " ".join(visible_text(c.get(reverse("client_detail", args=[client.pk])).content.decode()).split())
    assert "1953-02-28" not in text and "2005-09-06" not in text
    assert "(28-02-1953)" in text and "06-09-2005" in text
    if language == "nl":
        assert "Geslacht vrouw" in text and "Taal Arabisch" in text and "Wonen inwonend bij anderen" in text
        assert "Opleiding mbo 2-4" in text
    else:
        assert "female" in text and "Arabic" in text and "living in with others" in text
        assert "inwonend" not in text


def test_the_audit_log_shows_actions_and_roles_by_name(named):
    from regie.audit.services import log

    c = Client()
    auditor = named.users_a["auditor"]
    c.force_login(named.users_a["integrale_klantmanager"])
    c.get(reverse("client_detail", args=[named.clients_a[0].pk]))
    log(
        actor="cli:beheer",
        action="reveal_bsn",
        object_type="client",
        object_id="1",
        origin="cli@host",
        municipality_id=named.a.id,
    )
    c.force_login(auditor)
    html = c.get(reverse("audit_log")).content.decode()
    text = visible_text(html)
    assert keys_in_context(html) == []
    assert "Integrale klantmanager" in text and "ingezien" in text


@pytest.fixture
def synthetic(tmp_path, world, settings):
    """A demo-like municipality: the synthetic 0363 (300 clients, three caseworkers with names), imported."""
    from regie.accounts.models import Municipality
    from regie.casework.interchange import import_file
    from regie.core.synth import generate
    from tests.conftest import INLINE_JOBS

    settings.TASKS = INLINE_JOBS
    path = tmp_path / "ams.jsonl"
    generate("0363", 300, 3, path)
    import_file(path, "0363")
    return Municipality.objects.get(code="0363")


REPORTING_PAGES = [
    ("tm.degroot", "monitoring:dashboard"),
    ("tm.degroot", "monitoring:trajectories"),
    ("tm.degroot", "monitoring:budget"),
    ("beleid.dekker", "monitoring:statistics"),
    ("tm.degroot", "equity:report"),
    ("beleid.dekker", "lab:index"),
]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_reporting_pages_show_labels_not_keys(synthetic, language):
    """Monitoring, equity and lab pages over a demo-like municipality: no snake_case key in what users read."""
    from regie.accounts.models import User

    found = {}
    for username, name in REPORTING_PAGES:
        c = Client()
        c.force_login(User.objects.get(username=username))
        c.post(reverse("set_language"), {"language": language, "next": "/"})
        r = c.get(reverse(name))
        assert r.status_code == 200, name
        if keys := keys_in_context(r.content.decode()):
            found[name] = keys
    assert not found, "\n".join(f"{page}: {key}" for page, keys in found.items() for key in keys)


@pytest.mark.parametrize(
    "language,expected",
    [
        ("nl", ("Voornaam", "BSN moet 9 cijfers hebben (nu 5)", "Geboortedatum")),
        ("en", ("Given name", "BSN must have 9 digits (got 5)", "Date of birth")),
    ],
)
def test_the_error_summary_names_fields_by_label_in_the_users_language(named, language, expected):
    c = Client()
    c.force_login(named.users_a["integrale_klantmanager"])
    c.post(reverse("set_language"), {"language": language, "next": "/"})
    r = c.post(
        reverse("client_new"), {"family_name": "Jansen", "bsn": "12345", "sex": "V", "melding_date": "01-03-2025"}
    )
    html = r.content.decode()
    assert r.status_code == 400 and keys_in_context(html) == []
    summary = visible_text(html.split('class="error-summary"')[1].split("</div>")[0])
    assert all(e in summary for e in expected), summary
    assert 'value="Jansen"' in html  # the form keeps what was typed


def test_the_api_gives_labels_beside_the_keys(named):
    from tests.api.client import api

    case = _case_with_a_history(named)
    r = api(named.users_a["integrale_klantmanager"]).get(f"/api/v1/cases/{case.pk}/events/")
    assert r.status_code == 200
    rows = r.data["results"] if isinstance(r.data, dict) else r.data
    by_type = {e["type"]: e for e in rows}
    assert by_type["caseworker_toewijzing"]["type_label"] == "Toewijzing klantmanager"
    assert by_type["caseworker_toewijzing"]["actor_role_label"] == "Teammanager"
    uit = by_type["uitstroom"]["payload_labels"]["reason"]
    assert uit == {"label": "Reden", "value_label": "Werk (regulier)"} and by_type["uitstroom"]["payload"][
        "reason"
    ] == ("werk_regulier")
    state = api(named.users_a["integrale_klantmanager"]).get(f"/api/v1/cases/{case.pk}/").data["state"]
    assert "route_label" in state


def _capabilities_in_use() -> set[str]:
    """Every capability a role has, and every one the code checks by a literal (require_capability, can)."""
    from pathlib import Path

    from regie.accounts.tenancy import CAPABILITIES

    found = set().union(*CAPABILITIES.values())
    src = Path(labels.__file__).resolve().parents[1]
    check = re.compile(r"(?:require_capability\(request|[^\w]can\(request\.user|[^\w]can\(user),\s*\"([a-z][a-z_]*)\"")
    for path in src.rglob("*.py"):
        found |= set(check.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_capability_has_a_label_in_both_languages():
    """A capability shown on a page (roles, the privacy register, the access log's refusals, the DPIA) is named by
    what it allows, through gettext: every capability in use has a label, and its English differs from its Dutch
    (a msgid without English would show Dutch in the English UI)."""
    in_use = _capabilities_in_use()
    assert {"view_clients", "manage_brp", "reveal_bsn"} <= in_use
    missing = sorted(in_use - set(labels.CAPABILITY_LABELS))
    assert missing == [], f"capabilities without a label in regie.platform.labels.CAPABILITY_LABELS: {missing}"
    for cap in sorted(in_use):
        with translation.override("nl"):
            nl = labels.capability_label(cap)
        with translation.override("en"):
            en = labels.capability_label(cap)
        assert nl and en and nl != en and "_" not in nl + en, (cap, nl, en)


def test_capability_lists_show_labels_with_their_remarks():
    from regie.platform.templatetags.regie_labels import capability_labels

    with translation.override("en"):
        shown = capability_labels(["view_clients", "reveal_bsn (volledig BSN, gelogd)"])
        assert shown == "see clients, see the full BSN (full BSN, logged)"
    assert "view_clients" not in shown and "reveal_bsn" not in shown


def test_a_vocabulary_of_the_core_reads_in_the_readers_language():
    """The employers' pages take their vocabularies from labels.option_labels (the core holds Dutch msgids)."""
    from regie.core.matching import CONTRACT_TYPES

    with translation.override("en"):
        english = labels.option_labels("contract_type", "vacancy")
        outcomes = labels.option_labels("outcome", "verwijzing_uitkomst")
    with translation.override("nl"):
        dutch = labels.option_labels("contract_type", "vacancy")
    assert list(english) == list(CONTRACT_TYPES) and dutch == CONTRACT_TYPES
    assert english["vast"] == "Permanent contract" and outcomes["wachtlijst"] != "Op de wachtlijst"


def test_typed_text_is_marked_dutch_in_the_english_ui_only():
    from regie.platform.templatetags.regie_labels import payload_value, typed_text

    with translation.override("en"):
        assert typed_text("Bel de <cliënt> terug") == '<span lang="nl">Bel de &lt;cliënt&gt; terug</span>'
        assert payload_value("Voortgang volgens plan", "summary", "rapportage").startswith('<span lang="nl">')
        assert payload_value("VN-8e99f24d", "voornemen_id", "voornemen") == "VN-8e99f24d"  # an id, not a text
    with translation.override("nl"):
        assert typed_text("Bel de <cliënt> terug") == "Bel de &lt;cliënt&gt; terug"
