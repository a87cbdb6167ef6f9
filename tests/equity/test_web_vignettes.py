"""Vignette study in the web app: compose, answer (one at a time, once, blind), analyse; tenancy and roles."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from regie.accounts.models import SharedService, User
from regie.audit.models import AuditRecord
from regie.equity.models import VignetteAnswer, VignetteStudy

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()

VIGNETTE = {
    "title": "Alleenstaande moeder",
    "age": "34",
    "sex": "V",
    "household": "alleenstaande_ouder",
    "n_children": "2",
    "youngest_child_age": "3",
    "education": "mbo2_4",
    "origin": "Nederland",
    "language": "goed",
    "health": "geen",
    "motivation_willen": "hoog",
    "motivation_kunnen": "midden",
    "work_history": "Tien jaar verkoopster",
    "sketch": "Wil graag werken, geen opvang geregeld.",
}


def _study_post(participants, questions=("level", "route", "exemption", "months", "motivation")):
    return {
        "title": "Vignetten 2026",
        "description": "Beoordeel als een echte cliënt",
        "starts_on": (TODAY - dt.timedelta(days=1)).isoformat(),
        "ends_on": (TODAY + dt.timedelta(days=30)).isoformat(),
        "participants": [m.pk for m in participants],
        "questions": list(questions),
    }


def _compose(c, participants, n=2) -> VignetteStudy:
    r = c.post(reverse("equity:study_new"), _study_post(participants))
    assert r.status_code == 302, r.content.decode()[:2000]
    study = VignetteStudy.objects.latest("id")
    for i in range(n):
        r = c.post(
            reverse("equity:vignette_new", args=[study.pk]),
            {**VIGNETTE, "title": f"Profiel {i + 1}", "age": str(30 + i)},
        )
        assert r.status_code == 302, r.content.decode()[:2000]
    return study


def test_policy_officer_composes_and_the_form_keeps_input_on_errors(world, login):
    c = login(world.users_a["beleidsmedewerker"])
    bad = c.post(reverse("equity:study_new"), {**_study_post([world.a]), "ends_on": "2000-01-01"})
    assert bad.status_code == 400 and "De einddatum ligt voor de begindatum." in bad.content.decode()
    assert 'value="Vignetten 2026"' in bad.content.decode()
    study = _compose(c, [world.a])
    assert [v.code for v in study.vignettes.all()] == ["V1", "V2"]
    bad = c.post(reverse("equity:vignette_new", args=[study.pk]), {**VIGNETTE, "sketch": "", "age": "15"})
    html = bad.content.decode()
    assert bad.status_code == 400 and "Controleer de velden" in html and "Tien jaar verkoopster" in html
    assert "Bijstand geldt van 18 jaar tot de AOW-leeftijd." in html and study.vignettes.count() == 2
    # a policy officer can only invite their own municipality (no shared service here)
    r = c.post(reverse("equity:study_new"), _study_post([world.a, world.b]))
    assert r.status_code == 400 and VignetteStudy.objects.count() == 1
    assert AuditRecord.objects.filter(object_type="vignette_study", action="create").count() == 1


def _answer(c, study, level="4", months="12", motivation="mijn oordeel"):
    page = c.get(reverse("equity:answer", args=[study.pk])).content.decode()
    vid = page.split('name="vignette" value="')[1].split('"')[0]
    return c.post(
        reverse("equity:answer", args=[study.pk]),
        {
            "vignette": vid,
            "level": level,
            "route": "reintegratie",
            "exemption": "nee",
            "months": months,
            "motivation": motivation,
        },
    ), vid


def test_caseworker_answers_one_at_a_time_once_and_blind(world, login):
    study = _compose(login(world.users_a["beleidsmedewerker"]), [world.a])
    km = world.users_a["integrale_klantmanager"]
    c = login(km)
    listing = c.get(reverse("equity:studies")).content.decode()
    assert "0 van 2 beantwoord" in listing
    page = c.get(reverse("equity:answer", args=[study.pk])).content.decode()
    assert "Vignet 1 van 2" in page and "Profiel 1" in page
    # Den Haag's own scheme: the participatieladder levels from its policy file
    assert "Betaald werk met ondersteuning" in page and "participatieladder" in page
    # an error keeps the input
    vid = page.split('name="vignette" value="')[1].split('"')[0]
    bad = c.post(
        reverse("equity:answer", args=[study.pk]),
        {"vignette": vid, "level": "", "route": "zorg", "exemption": "ja", "months": "7", "motivation": "bewaard"},
    )
    html = bad.content.decode()
    assert bad.status_code == 400 and "Controleer de velden" in html and "bewaard" in html and 'value="7"' in html
    r, vid1 = _answer(c, study, motivation="geheime motivering van km A")
    assert r.status_code == 302 and VignetteAnswer.objects.count() == 1
    a = VignetteAnswer.objects.get()
    assert (a.level, a.level_rank, a.scheme, a.exemption, a.months_to_work) == ("4", 3, "participatieladder", False, 12)
    assert "Vignet 2 van 2" in c.get(reverse("equity:answer", args=[study.pk])).content.decode()
    # answering the first vignette again (stale tab) does not create a second answer
    again = c.post(
        reverse("equity:answer", args=[study.pk]),
        {"vignette": vid1, "level": "6", "route": "zorg", "exemption": "ja", "months": "1", "motivation": "x"},
    )
    assert again.status_code == 302 and VignetteAnswer.objects.filter(respondent=km).count() == 1
    _answer(c, study)
    done = c.get(reverse("equity:answer", args=[study.pk])).content.decode()
    assert "alle 2 vignetten beantwoord" in done and VignetteAnswer.objects.filter(respondent=km).count() == 2
    # another caseworker never sees the first one's answers
    other = User.objects.create_user(
        "km2.0518", password="x", municipality=world.a, role="reintegratieconsulent", team=km.team
    )
    c2 = login(other)
    page2 = c2.get(reverse("equity:answer", args=[study.pk])).content.decode()
    assert "Vignet 1 van 2" in page2 and "geheime motivering" not in page2
    assert c2.get(reverse("equity:analysis", args=[study.pk])).status_code == 403


def test_closed_study_takes_no_answers(world, login):
    study = _compose(login(world.users_a["beleidsmedewerker"]), [world.a])
    VignetteStudy.objects.filter(pk=study.pk).update(ends_on=TODAY - dt.timedelta(days=1))
    c = login(world.users_a["integrale_klantmanager"])
    page = c.get(reverse("equity:answer", args=[study.pk])).content.decode()
    assert "gesloten" in page
    vid = study.vignettes.first().pk
    c.post(
        reverse("equity:answer", args=[study.pk]),
        {"vignette": vid, "level": "4", "route": "zorg", "exemption": "ja", "months": "1", "motivation": "x"},
    )
    assert VignetteAnswer.objects.count() == 0


def test_other_municipality_cannot_see_or_answer_unless_participating(world, login):
    study = _compose(login(world.users_a["beleidsmedewerker"]), [world.a])
    for role in ("integrale_klantmanager", "teammanager", "beleidsmedewerker"):
        c = login(world.users_b[role])
        assert "Vignetten 2026" not in c.get(reverse("equity:studies")).content.decode()
        for name in ("equity:answer", "equity:analysis", "equity:study", "equity:vignette_new"):
            assert c.get(reverse(name, args=[study.pk])).status_code in (403, 404), (role, name)
    vid = study.vignettes.first().pk
    login(world.users_b["integrale_klantmanager"]).post(
        reverse("equity:answer", args=[study.pk]),
        {"vignette": vid, "level": "A", "route": "zorg", "exemption": "ja", "months": "1", "motivation": "x"},
    )
    assert VignetteAnswer.objects.count() == 0
    assert AuditRecord.objects.filter(object_type="vignette_study", result="denied").exists()


def test_shared_service_study_across_two_municipalities_with_their_own_schemes(world, login):
    svc = SharedService.objects.create(name="Regio")
    svc.municipalities.set([world.a, world.b])
    officer = User.objects.create_user(
        "bm.regio", password="x", shared_service=svc, role="beleidsmedewerker", municipality=world.a
    )
    study = _compose(login(officer), [world.a, world.b], n=2)
    assert set(study.participants.all()) == {world.a, world.b}
    ca = login(world.users_a["integrale_klantmanager"])
    _answer(ca, study, level="4", months="12")
    _answer(ca, study, level="2", months="30")
    cb = login(world.users_b["integrale_klantmanager"])
    page = cb.get(reverse("equity:answer", args=[study.pk])).content.decode()
    assert "A/B-stroom" in page and "participatieladder" not in page  # Eindhoven's own scheme, by its label
    _answer(cb, study, level="A", months="3")
    _answer(cb, study, level="B", months="24")
    b = VignetteAnswer.objects.filter(municipality=world.b).order_by("vignette__position")
    assert [(x.scheme, x.level, x.level_rank) for x in b] == [("ab-stroom", "A", 1), ("ab-stroom", "B", 2)]
    # the teammanager of the participating municipality sees the (pseudonymised) analysis
    r = login(world.users_b["teammanager"]).get(reverse("equity:analysis", args=[study.pk]))
    html = r.content.decode()
    assert r.status_code == 200 and "<svg" in html and "4 antwoorden van 2 klantmanagers" in html
    assert "integrale_klantmanager.0518" not in html and "integrale_klantmanager.0772" not in html
    assert study.respondent_code(world.users_a["integrale_klantmanager"].pk) in html
    # levels are compared within a scheme only: one level-agreement row per scheme
    assert html.count("participatieladder") >= 1 and html.count("A/B-stroom") >= 1  # the schemes by their labels


@pytest.mark.parametrize("role", ["provider_coach", "auditor", "functioneel_beheerder"])
def test_roles_without_vignette_rights_get_403(world, login, role):
    study = _compose(login(world.users_a["beleidsmedewerker"]), [world.a])
    c = login(world.users_a[role])
    assert c.get(reverse("equity:studies")).status_code == 403
    for name in ("equity:answer", "equity:analysis", "equity:study"):
        assert c.get(reverse(name, args=[study.pk])).status_code == 403
    assert c.get(reverse("equity:study_new")).status_code == 403


def test_caseworker_and_teammanager_cannot_compose(world, login):
    study = _compose(login(world.users_a["beleidsmedewerker"]), [world.a])
    for role in ("integrale_klantmanager", "teammanager"):
        c = login(world.users_a[role])
        assert c.get(reverse("equity:study_new")).status_code == 403
        assert c.post(reverse("equity:vignette_new", args=[study.pk]), VIGNETTE).status_code == 403
    assert study.vignettes.count() == 2


def test_analysis_page_and_exports(world, login):
    from openpyxl import load_workbook

    study = _compose(login(world.users_a["beleidsmedewerker"]), [world.a])
    km2 = User.objects.create_user("km2.0518", password="x", municipality=world.a, role="reintegratieconsulent")
    for user, levels in ((world.users_a["integrale_klantmanager"], ("4", "3")), (km2, ("4", "2"))):
        c = login(user)
        for lv in levels:
            _answer(c, study, level=lv, months="10")
    c = login(world.users_a["beleidsmedewerker"])
    r = c.get(reverse("equity:analysis", args=[study.pk]))
    html = r.content.decode()
    assert r.status_code == 200 and html.count("<svg") >= 3 and "km2.0518" not in html
    assert "Overeenstemming" in html and "Variantie tussen en binnen gemeenten" in html
    x = c.get(reverse("equity:analysis", args=[study.pk]), {"export": "xlsx"})
    wb = load_workbook(io.BytesIO(x.content))
    sheet = wb["Per vignet"]  # sheets and columns named as on the page
    assert sheet["C2"].value == "4" and sheet["D2"].value == 1.0  # V1: both chose 4
    csv = c.get(
        reverse("equity:analysis", args=[study.pk]), {"export": "csv", "table": "per_vignette"}
    ).content.decode()
    assert csv.splitlines()[2].startswith("V2,2,")  # V2: 3 vs 2, a tie
    pdf = c.get(reverse("equity:analysis", args=[study.pk]), {"export": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditRecord.objects.filter(object_type="vignette_study", action="export").count() == 3
