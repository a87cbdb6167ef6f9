"""The letter editor of the functioneel beheerder: Dutch messages naming the line, versions that are never lost,
conflicts, the preview (a fictitious client unless a case is chosen, which is audited), the letterhead, tenancy."""

from __future__ import annotations

import pytest
from django.urls import reverse

from regie.audit.models import AuditRecord
from regie.casework.models import Event
from regie.letters import services
from regie.letters.models import Letterhead, LetterTemplate
from regie.letters.selectors import current_template, default_body
from regie.letters.templating import TemplateProblem, check

from .conftest import LETTERHEAD, pdf_text

pytestmark = pytest.mark.django_db

GOOD = "{{ aanhef }}\n\n# Ons besluit\nU krijgt {{ besluit.bedrag }} per maand, vanaf {{ besluit.ingangsdatum }}.\n"


def _fb(world, side="a"):
    return getattr(world, f"users_{side}")["functioneel_beheerder"]


def _edit_url(world, name="toekenning"):
    return reverse("letters:edit", args=[world.a.pk, name])


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("{{ aanhef }}\n\n{% if besluit.bedrag %}\nU krijgt geld.\n", 3, "wordt niet afgesloten"),
        ("{{ aanhef }}\nRegel twee\n{{ besluit.bedragg }}\n", 3, "'besluit.bedragg' bestaan niet"),
        ("{{ aanhef }}\n{{ klant.naam }}\n", 2, "'klant' bestaan niet"),
        ("{{ aanhef }}\n\n\n{% load static %}\n", 4, "niet toegestaan"),
        ("{{ aanhef }}\n{% include 'x.html' %}\n", 2, "niet toegestaan"),
        ("{{ aanhef }}\n{{ besluit.bedrag|onbekend }}\n", 2, "filter 'onbekend' bestaat niet"),
        ("{{ aanhef }}\n{% if %}x{% endif %}\n", 2, "niet compleet"),
        ("{% for r in redenen %}{{ r }} {{ forloop.counter }}{% endfor %}\n{{ nergens }}", 2, "'nergens'"),
    ],
)
def test_check_names_the_line_in_dutch(letters_world, body, line, words):
    with pytest.raises(TemplateProblem) as exc:
        check(body, services.sample_context(letters_world.a, "toekenning"))
    assert exc.value.line == line and exc.value.message.startswith(f"Regel {line}: ") and words in exc.value.message


def test_syntax_error_is_shown_and_nothing_is_saved(letters_world, login):
    w = letters_world
    c = login(_fb(w))
    bad = "{{ aanhef }}\n\n{% if besluit.bedrag %}\nU krijgt geld.\n"
    r = c.post(_edit_url(w), {"body": bad, "expected_version": "0"})
    assert r.status_code == 400
    page = r.content.decode()
    assert "Regel 3: de opdracht {% if %} wordt niet afgesloten" in page.replace("&#x27;", "'").replace("&quot;", '"')
    assert "U krijgt geld." in page  # what was typed is kept
    assert not LetterTemplate.objects.exists()


def test_versions_are_kept_and_the_newest_is_used(letters_world, login):
    w = letters_world
    c = login(_fb(w))
    assert c.get(_edit_url(w)).status_code == 200
    r = c.post(_edit_url(w), {"body": GOOD, "expected_version": "0", "note": "korter"})
    assert r.status_code == 302
    second = GOOD + "\nTweede versie.\n"
    assert c.post(_edit_url(w), {"body": second, "expected_version": "1"}).status_code == 302
    rows = list(LetterTemplate.objects.filter(municipality=w.a, name="toekenning").order_by("version"))
    assert [(r.version, r.body, r.created_by_id) for r in rows] == [(1, GOOD, _fb(w).pk), (2, second, _fb(w).pk)]
    assert rows[0].note == "korter"
    assert current_template(w.a.pk, "toekenning")[0] == second
    ev = Event.objects.get(case__client=w.clients_a[0], type="toekenning")
    text = pdf_text(services.render_letter(ev))
    assert "Tweede versie." in text and "€ 1.400,00 per maand" in text
    assert "Wat kunt u doen als u het er niet mee eens bent?" in text  # the clause stays, whatever the template
    # a stale editor (still at version 1) is refused, nothing saved
    r = c.post(_edit_url(w), {"body": GOOD + "\nDerde\n", "expected_version": "1"})
    assert r.status_code == 400 and "Iemand anders heeft deze brief intussen opgeslagen" in r.content.decode()
    assert LetterTemplate.objects.filter(municipality=w.a, name="toekenning").count() == 2
    # an old version can be put back: as a new version
    page = c.get(reverse("letters:version", args=[w.a.pk, "toekenning", 1])).content.decode()
    assert "Deze versie weer gebruiken" in page
    assert c.post(_edit_url(w), {"body": GOOD, "expected_version": "2"}).status_code == 302
    assert current_template(w.a.pk, "toekenning")[1].version == 3
    # never updated in place
    with pytest.raises(Exception, match="versioned"):
        rows[0].save()
    assert AuditRecord.objects.filter(object_type="letter_template", action="update").count() == 3


def test_other_municipality_and_other_roles_cannot_edit(letters_world, login):
    w = letters_world
    services.save_template(w.a, "toekenning", GOOD, _fb(w), expected_version=0)
    c = login(_fb(w, "b"))
    for url in (
        reverse("letters:index", args=[w.a.pk]),
        _edit_url(w),
        reverse("letters:version", args=[w.a.pk, "toekenning", 1]),
        reverse("letters:letterhead", args=[w.a.pk]),
    ):
        assert c.get(url).status_code == 404, url
    assert c.post(reverse("letters:preview", args=[w.a.pk, "toekenning", "html"]), {"body": GOOD}).status_code == 404
    assert c.post(_edit_url(w), {"body": "x", "expected_version": "1"}).status_code == 404
    assert LetterTemplate.objects.filter(municipality=w.a).count() == 1
    assert c.get(reverse("letters:home")).status_code == 302  # to their own municipality
    km = login(w.users_a["integrale_klantmanager"])
    assert km.get(reverse("letters:index", args=[w.a.pk])).status_code == 403


def test_preview_uses_a_fictitious_client_unless_a_case_is_chosen(letters_world, login):
    w = letters_world
    c = login(_fb(w))
    url = reverse("letters:preview", args=[w.a.pk, "toekenning", "html"])
    page = c.post(url, {"body": GOOD}).content.decode()
    assert "Geachte heer Voorbeeld," in page and "€ 1.401,50" in page
    assert not any(cl.family_name in page for cl in w.clients_a)
    assert not AuditRecord.objects.filter(detail__startswith="letter preview").exists()
    client = w.clients_a[0]
    page = c.post(url, {"body": GOOD, "dossier": client.cases.get().external_id}).content.decode()
    assert f"Geachte mevrouw {client.family_name}," in page and "€ 1.400,00" in page
    assert (
        AuditRecord.objects.filter(
            action="read", object_type="case", detail__startswith="letter preview toekenning"
        ).count()
        == 1
    )
    # another municipality's dossier number is not found
    other = w.clients_b[0].cases.get().external_id
    page = c.post(url, {"body": GOOD, "dossier": other + "x"}).content.decode()
    assert "niet gevonden in deze gemeente" in page
    # a broken template: the message, no preview
    page = c.post(url, {"body": "{{ aanhef }}\n{{ nergens }}"}).content.decode().replace("&#x27;", "'")
    assert "Regel 2: de gegevens 'nergens' bestaan niet" in page
    pdf = c.post(reverse("letters:preview", args=[w.a.pk, "toekenning", "pdf"]), {"body": GOOD})
    assert pdf["Content-Type"] == "application/pdf" and "Geachte heer Voorbeeld," in pdf_text(pdf.content)


def test_editing_the_objection_block_changes_every_besluit(letters_world):
    w = letters_world
    body = default_body("bezwaar").replace("Schrijf in uw bezwaar:", "Zet in uw brief:")
    services.save_template(w.a, "bezwaar", body, _fb(w), expected_version=0)
    ev = Event.objects.get(case__client=w.clients_a[0], type="toekenning")
    assert "Zet in uw brief:" in pdf_text(services.render_letter(ev))


def test_letterhead_editor(world, login):
    w = world
    c = login(_fb(w))
    url = reverse("letters:letterhead", args=[w.a.pk])
    assert c.get(url).status_code == 200
    r = c.post(url, {**LETTERHEAD, "objection_address": "  ", "expected_version": "0"})
    assert r.status_code == 400 and "Adres voor bezwaar: vul dit in." in r.content.decode()
    assert LETTERHEAD["sender"] in r.content.decode()  # kept
    assert not Letterhead.objects.exists()
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("logo.png", b"GIF89a not a png", content_type="image/png")
    r = c.post(url, {**LETTERHEAD, "expected_version": "0", "logo": fake})
    assert r.status_code == 400 and "alleen een PNG- of JPEG-afbeelding" in r.content.decode()
    assert c.post(url, {**LETTERHEAD, "expected_version": "0"}).status_code == 302
    assert c.post(url, {**LETTERHEAD, "sender": "Gemeente Den Haag", "expected_version": "1"}).status_code == 302
    assert list(Letterhead.objects.filter(municipality=w.a).values_list("version", "sender").order_by("version")) == [
        (1, LETTERHEAD["sender"]),
        (2, "Gemeente Den Haag"),
    ]


def test_logo_is_printed_on_the_letter(letters_world):
    import io

    from PIL import Image
    from pypdf import PdfReader

    w = letters_world
    buf = io.BytesIO()
    Image.new("RGB", (60, 20), (200, 0, 0)).save(buf, format="PNG")
    services.save_letterhead(w.a, LETTERHEAD, _fb(w), expected_version=1, logo=buf.getvalue())
    ev = Event.objects.get(case__client=w.clients_a[0], type="toekenning")
    pdf = services.render_letter(ev)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) == 1
    # a new version without a new upload keeps the logo; "remove" drops it
    services.save_letterhead(w.a, LETTERHEAD, _fb(w), expected_version=2)
    assert len(PdfReader(io.BytesIO(services.render_letter(ev))).pages[0].images) == 1
    services.save_letterhead(w.a, LETTERHEAD, _fb(w), expected_version=3, keep_logo=False)
    assert len(PdfReader(io.BytesIO(services.render_letter(ev))).pages[0].images) == 0
