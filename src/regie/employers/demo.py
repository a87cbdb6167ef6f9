"""Demo data for the employer side: a werkgeversservicepunt with the demo municipality, an accountmanager log-in,
employers with locations, contacts, contact history and a covenant, open vacancies and one job-carving demand,
the sociale kaart, work profiles for part of the caseload, and placements with aftercare, consent, proposals and
referrals in the past 18 months, so the vacancy pages, the case's work page and the monitoring page show
something.

Synthetic: employer names, KvK numbers (8 digits, not registered) and every figure are invented. Written with
append_event like the import (seed data, not a user's step; decisions marked ``source: import``); dates relative to
today; running it twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from regie.core.placements import add_months

EMPLOYERS = [
    ("Bakkerij Hofstad", "C", "2521 AA", "Den Haag"),
    ("Schoonmaakbedrijf Glans", "N", "2541 AB", "Den Haag"),
    ("Distributiecentrum Ypenburg", "H", "2491 AC", "Den Haag"),
    ("Zorgcentrum Duinzicht", "Q", "2551 AD", "Den Haag"),
    ("Hotel Scheveningen Boulevard", "I", "2586 AE", "Den Haag"),
    ("Groenvoorziening Haaglanden", "A", "2281 AF", "Rijswijk"),
]
VACANCIES = [
    (0, "Productiemedewerker bakkerij", "9329", 32, ["certificaat: Hygiënecode"], ["vaardigheid: Samenwerken"], ["vroege_dienst", "lang_staan"]),  # noqa: E501
    (0, "Chauffeur bezorging", "8322", 24, ["rijbewijs: B"], [], ["vroege_dienst"]),
    (1, "Schoonmaker kantoren", "9112", 20, [], ["ervaring: Schoonmaker"], ["weekendwerk"]),
    (2, "Orderpicker", "9333", 36, ["certificaat: VCA"], ["certificaat: Heftruck"], ["tillen", "nachtdienst"]),
    (2, "Administratief medewerker expeditie", "4321", 24, ["opleiding: mbo2_4"], ["vaardigheid: Excel"], []),
    (3, "Gastvrouw/gastheer restaurant", "5131", 16, [], ["vaardigheid: Klantvriendelijk"], ["klantcontact"]),
    (3, "Helpende zorg (leer-werkplek)", "5322", 24, ["opleiding: vmbo"], [], ["tillen"]),
    (4, "Medewerker housekeeping", "9112", 24, [], [], ["weekendwerk", "lang_staan"]),
    (5, "Hovenier", "6113", 32, [], ["rijbewijs: B"], ["zwaar_werk"]),
]  # fmt: skip
SERVICES = [
    ("schulden", "Schuldhulpverlening Den Haag", "Gemeente, Team Schulden", "Budgetloket, 14070", "Inwoners met schulden", 6),  # noqa: E501
    ("taal", "Taalhuis", "Bibliotheek Den Haag", "Centrale Bibliotheek, Spui", "Laaggeletterdheid, NT1 en NT2", 2),
    ("kinderopvang", "Kinderopvang met voorrang (SMI)", "Gemeente", "Servicepunt", "Ouders in een traject naar werk", 4),  # noqa: E501
    ("zorg", "Wijkteam", "Sociaal wijkteam", "Per stadsdeel", "Ondersteuning thuis (Wmo)", 3),
    ("vrijwilligerswerk", "Vrijwilligerscentrale", "Stichting", "Online en op afspraak", "Iedereen", 0),
]  # fmt: skip
DEMO_POSTCODES = ["2511", "2521", "2531", "2541", "2551", "2561", "2571", "2582", "2592", "2282", "2271"]
LETTERS = "ABCDEGHJKLMNPRTVXZ"  # postcode letters; SA, SD and SS are never used (so no S at all here)
SKILLS = ["Samenwerken", "Klantvriendelijk", "Excel", "Koken", "Schoonmaken", "Tillen"]
CERTS = ["VCA", "Heftruck", "Hygiënecode", "BHV"]
KINDS = ["stage", "proefplaatsing", "regulier", "loonkostensubsidie", "opstapbaan", "detachering", "leerwerkstage"]


def seed_demo(muni, password: str) -> None:
    from django.db import transaction

    with transaction.atomic():  # all or nothing: a second run after a failure seeds again
        _seed(muni, password)


def _seed(muni, password: str) -> None:
    from regie.accounts.models import Team, User
    from regie.casework.models import Case
    from regie.casework.services import append_event
    from regie.core.events import new_id

    from .models import (
        Agreement,
        ContactMoment,
        Employer,
        EmployerContact,
        EmployerLocation,
        Region,
        SocialService,
        Vacancy,
    )

    am = User.objects.filter(municipality=muni, role="accountmanager").first()
    if am is None:
        am = User.objects.create_user(
            username=f"accountmanager.{muni.code}",
            password=password,
            municipality=muni,
            role="accountmanager",
            team=Team.objects.filter(municipality=muni).first(),
        )
    region, _ = Region.objects.get_or_create(name="Werkgeversservicepunt Haaglanden (demo)")
    region.municipalities.add(muni)
    if Employer.objects.filter(region=region).exists():
        return
    rng = random.Random(20)
    today = dt.date.today()
    employers = []
    for i, (name, sector, postcode, city) in enumerate(EMPLOYERS):
        emp = Employer.objects.create(
            region=region, name=name, kvk_number=f"{90000000 + i * 1111:08d}", sector=sector, created_by=am
        )
        # employers2: an account for the loonkostensubsidie (the last one without: the run says so)
        if i != len(EMPLOYERS) - 1:
            from schwifty import IBAN

            emp.iban = str(IBAN.generate("NL", bank_code="INGB", account_code=f"{7000000 + i:010d}").compact)
            emp.iban_holder = f"{name} BV"
            emp.save(update_fields=["iban", "iban_holder"])
        EmployerLocation.objects.create(employer=emp, name="Hoofdvestiging", postcode=postcode, city=city)
        EmployerContact.objects.create(employer=emp, name="P. de Vries", function="HR-adviseur", email="hr@example.org")
        ContactMoment.objects.create(
            employer=emp,
            accountmanager=am,
            on=today - dt.timedelta(days=rng.randint(3, 60)),
            kind=rng.choice(["bezoek", "telefoon"]),
            summary="Kennismaking; personeelsbehoefte en mogelijkheden voor stages besproken.",
        )
        employers.append(emp)
    Agreement.objects.create(
        employer=employers[2],
        kind="convenant",
        title="Convenant logistiek: stages en banen voor bijstandsgerechtigden",
        starts_on=dt.date(today.year, 1, 1),
        ends_on=dt.date(today.year, 12, 31),
        target_stages=10,
        target_jobs=5,
        source="Demo (synthetisch)",
    )
    Agreement.objects.create(
        employer=employers[1],
        kind="sroi",
        title="Social return bij de aanbesteding schoonmaak",
        starts_on=dt.date(today.year - 1, 7, 1),
        ends_on=dt.date(today.year + 1, 6, 30),
        target_stages=0,
        target_jobs=4,
        source="Demo (synthetisch)",
    )
    vacancies = []
    for emp_i, title, code, hours, hard, soft, conditions in VACANCIES:
        reqs = []
        for lines, is_hard in ((hard, True), (soft, False)):
            for line in lines:
                word, value = (x.strip() for x in line.split(":", 1))
                kind = {"certificaat": "certificate", "rijbewijs": "driving_licence", "opleiding": "education",
                        "vaardigheid": "skill", "ervaring": "experience"}[word]  # fmt: skip
                reqs.append({"kind": kind, "value": value, "hard": is_hard})
        vacancies.append(
            Vacancy.objects.create(
                employer=employers[emp_i],
                title=title,
                occupation_code=code,
                hours=hours,
                postcode=EMPLOYERS[emp_i][2],
                requirements=reqs,
                conditions=conditions,
                contract_type="tijdelijk",
                wage_per_hour="14.06",
                opened_on=today - dt.timedelta(days=rng.randint(5, 90)),
                created_by=am,
            )
        )
    Vacancy.objects.create(
        employer=employers[3],
        kind="vraag",
        title="Ondersteunende taken zorgcentrum (jobcarving)",
        tasks="Koffie rondbrengen, linnen sorteren, bewoners begeleiden naar activiteiten.",
        hours=16,
        postcode=EMPLOYERS[3][2],
        opened_on=today - dt.timedelta(days=20),
        created_by=am,
    )
    services = [
        SocialService.objects.create(
            municipality=muni, kind=k, name=n, organisation=o, contact=c, conditions=cond, waiting_weeks=w
        )
        for k, n, o, c, cond, w in SERVICES
    ]
    km = User.objects.filter(municipality=muni, role="integrale_klantmanager").first()
    cases = list(
        Case.objects.filter(municipality=muni, state__status="lopend").select_related("state").order_by("id")[:240]
    )
    if km is None or not cases:
        return
    for n, case in enumerate(cases):
        # after the case's melding and benefit start (the log refuses an event before them), at most 18 months ago
        state = getattr(case, "state", None)
        floor = max(
            case.opened_on, (state.benefit_start if state else None) or case.opened_on, today - dt.timedelta(days=560)
        )
        if state and state.snapshot.get("reported_on"):
            floor = max(floor, dt.date.fromisoformat(state.snapshot["reported_on"]))
        if floor > today:
            continue
        on = floor + dt.timedelta(days=rng.randint(0, (today - floor).days))
        append_event(
            case,
            type="adres_wijziging",
            effective_date=on,
            payload={
                "street": "Demostraat",
                "house_number": n + 1,
                "postcode": f"{rng.choice(DEMO_POSTCODES)} {LETTERS[n % 18]}{LETTERS[(n // 18) % 18]}",
                "city": "Den Haag",
            },
            actor=km,
        )
        append_event(
            case,
            type="werkprofiel_aanvulling",
            effective_date=on,
            payload={
                "hours_available": rng.choice([16, 24, 32, 36]),
                "travel_radius_km": rng.choice([5, 10, 15, 25]),
                "certificates": rng.sample(CERTS, rng.randint(0, 2)),
                "restrictions": rng.sample(["tillen", "nachtdienst", "weekendwerk", "zwaar_werk"], rng.randint(0, 1)),
            },
            actor=km,
        )
        if n >= 40:
            continue
        # the first 40: a consent, a proposal, a placement with aftercare (some ended, some with a referral)
        emp = employers[n % len(employers)]
        vacancy = next((v for v in vacancies if v.employer_id == emp.pk), None)
        consent_id = new_id("TS")
        append_event(
            case,
            type="toestemming_delen",
            effective_date=on,
            payload={"consent_id": consent_id, "employer_id": emp.pk, "data": ["naam_contact", "werkprofiel"]},
            actor=km,
        )
        if vacancy is not None:
            append_event(
                case,
                type="match_voorgesteld",
                effective_date=on,
                payload={"vacancy_id": vacancy.pk, "employer_id": emp.pk, "consent_id": consent_id},
                actor=km,
            )
        kind = KINDS[n % len(KINDS)]
        start = on + dt.timedelta(days=rng.randint(7, 28))
        if start > today:
            continue
        payload = {
            "placement_id": new_id("PL"),
            "kind": kind,
            "employer_id": emp.pk,
            "employer_name": emp.name,
            "hours": rng.choice([16, 24, 32]),
        }
        if vacancy is not None and n % 3 == 0:
            payload["vacancy_id"] = vacancy.pk
        if kind not in ("stage", "proefplaatsing", "leerwerkstage"):
            payload["wage_per_hour"] = "14.06"
        if kind == "loonkostensubsidie":
            payload.update({"loonwaarde_pct": 60, "subsidy_per_month": "850.00", "subsidy_months": 24})
        if kind in ("stage", "proefplaatsing", "leerwerkstage"):
            payload["planned_end"] = add_months(start, 2 if kind == "proefplaatsing" else 6).isoformat()
        append_event(
            case,
            type="plaatsing",
            effective_date=start,
            payload=payload,
            decision={"decided": {"kind": kind}, "source": "import"},
            actor=km,
        )
        for months in (1, 3, 6, 12):
            moment = add_months(start, months)
            if moment > today:
                break
            still = rng.random() < (0.8 if months <= 6 else 0.7)
            append_event(
                case,
                type="nazorg_contact",
                effective_date=moment,
                payload={
                    "placement_id": payload["placement_id"],
                    "still_working": still,
                    **({"milestone": months} if months in (6, 12) else {}),
                },
                actor=km,
            )
            if not still:
                append_event(
                    case,
                    type="plaatsing_einde",
                    effective_date=moment,
                    payload={"placement_id": payload["placement_id"], "reason": "voortijdig_client"},
                    actor=km,
                )
                break
        if n % 4 == 0:
            service = services[n % len(services)]
            rid = new_id("VW")
            append_event(
                case,
                type="verwijzing",
                effective_date=on,
                payload={
                    "referral_id": rid,
                    "service_id": service.pk,
                    "service_name": service.name,
                    "warm": n % 8 == 0,
                },
                actor=km,
            )
            if n % 8 != 4:
                append_event(
                    case,
                    type="verwijzing_uitkomst",
                    effective_date=min(today, on + dt.timedelta(days=30)),
                    payload={"referral_id": rid, "outcome": rng.choice(["gestart", "wachtlijst", "geweigerd_door_dienst"]), "waited_days": rng.randint(5, 60)},  # noqa: E501
                    actor=km,
                )  # fmt: skip
