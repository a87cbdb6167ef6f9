"""The access log's free-text ``detail`` in the reader's language.

The stored text is part of the audit trail and is never changed: it stays as the code wrote it (short English
technical notes such as ``"12 records"`` or ``"sso refused: id token nonce differs"``). This module maps each
shape of stored text to a Dutch msgid with named values, and :func:`describe` renders it in the active language
(Dutch, English in the English UI) on the auditor's page and in the auditor's download. Old rows stay readable
without a data migration, because the registry reads the text the code has always written.

A pattern is the stored text with ``{name}`` or ``{name:kind}`` where a value goes (``"{n:int} records"``); the
kind says what the value may look like and how it is shown (an event type by its label, an ISO date as
dd-mm-jjjj, a nested detail by its own pattern). ``tests/audit/test_audit_details.py`` reads the source for every
call that writes a detail and fails when one has no pattern here, and renders every pattern in nl and en.
A text no pattern matches is shown as stored, with field keys replaced by their labels.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.utils import dateformat
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from regie.core.dates import nl_date
from regie.platform import labels

# --- the kinds of value ----------------------------------------------------------------------------------------


def _date(value: str) -> str:
    return nl_date(dt.date.fromisoformat(value))


def _month(value: str) -> str:
    return dateformat.format(dt.date.fromisoformat(value + "-01"), "F Y")


def _number(value: str) -> str:
    return labels.number(int(value)) if value.lstrip("-").isdigit() else value


def _amount(value: str) -> str:
    """A stored amount ("1400.00", euros) by Django's localisation (the page adds the "€ ")."""
    return labels.number(Decimal(value), 2)


def _keys(label: Callable[[str], str]) -> Callable[[str], str]:
    def render(value: str) -> str:
        items = [v for v in value.split(",") if v and v != "-"]
        return ", ".join(label(v) for v in items) if items else gettext("geen")

    return render


def _choice(options: dict[str, str]) -> Callable[[str], str]:
    return lambda value: gettext(options[value])


def _counts(value: str) -> str:
    """``{"clients": 3, "cases": 4}`` (an import's or export's counts) as "cliënten: 3, dossiers: 4"."""
    data = json.loads(value)
    if not isinstance(data, dict):
        raise ValueError(value)
    return ", ".join(
        f"{gettext(COUNT_LABELS[k]) if k in COUNT_LABELS else labels.humanise(k).lower()}: {_number(str(v))}"
        for k, v in data.items()
    )


def _team(value: str) -> str:
    return gettext("alle teams") if value in ("-", "", "None") else value


def _label(value) -> str:
    """A registry value (a lazy translation or a Dutch msgid) in the active language."""
    return str(value) if isinstance(value, Promise) else gettext(str(value))


def _any(value: str) -> str:
    """A key of some vocabulary (a status, a kind, a scope): by its label where the registry has one."""
    if value in ("-", "all", "none", "None", ""):
        return gettext("alle")
    if value in labels.EVENT_LABELS:
        return labels.event_label(value)
    if labels.has_field_label(value):
        return labels.field_label(value)
    for table in (*labels.OPTION_LABELS.values(), *labels.BUILTIN_OPTIONS.values()):
        if value in table:
            return _label(table[value])
    return labels.humanise(value).lower()


OUTCOMES = {"recorded": N_("vastgelegd"), "pending": N_("ter beoordeling (vier ogen)")}
VERDICTS = {"approved": N_("goedgekeurd"), "rejected": N_("afgekeurd")}
FORMATS = {
    "csv": "CSV",
    "xlsx": "Excel",
    "pdf": "PDF",
    "json": "JSON",
    "jsonl": "JSON Lines",
    "ods": "ODS",
    "html": "HTML",
    "zip": "ZIP",
}
RUN_STATES = {"running": N_("loopt"), "done": N_("klaar"), "error": N_("mislukt"), "none": N_("nog niet gestart")}
YES_NO = {"yes": N_("ja"), "no": N_("nee")}
TASK_SOURCES = {
    "manual": N_("handmatig"),
    "signal": N_("uit een signaal"),
    "provider_report": N_("uit een rapportage van een aanbieder"),
    "approval": N_("afwijkend besluit ter beoordeling"),
}
TASK_ACTIONS = {"done": N_("afgerond"), "reopen": N_("heropend"), "reassign": N_("overgedragen")}
PORTAL_FORMS = {  # regie.portal.views: the forms of Mijn Regie
    "income": N_("formulier inkomstenopgave"),
    "change": N_("formulier wijziging doorgeven"),
    "message": N_("formulier bericht"),
    "document": N_("formulier document"),
    "objection": N_("formulier bezwaar"),
}
PORTAL_KINDS = {"client": N_("cliënt"), "vertegenwoordiger": N_("vertegenwoordiger")}
COUNT_LABELS = {  # an import's or export's counts per record kind (regie.core.records), and older plural keys
    "header": N_("kopregels"),
    "team": N_("teams"),
    "provider": N_("aanbieders"),
    "user": N_("gebruikers"),
    "client": N_("cliënten"),
    "case": N_("dossiers"),
    "event": N_("gebeurtenissen"),
    "clients": N_("cliënten"),
    "cases": N_("dossiers"),
    "events": N_("gebeurtenissen"),
    "municipalities": N_("gemeenten"),
    "teams": N_("teams"),
    "users": N_("gebruikers"),
    "providers": N_("aanbieders"),
    "documents": N_("documenten"),
    "skipped": N_("overgeslagen"),
    "errors": N_("fouten"),
}


@dataclass(frozen=True)
class Kind:
    regex: str
    render: Callable[[str], str]


KINDS: dict[str, Kind] = {
    "": Kind(r".+?", str),  # any text, shown as stored
    "id": Kind(r"[^\s;,()]+", str),  # a number or code (K-12, TR-1a2b, 0518)
    "int": Kind(r"-?\d+|None", _number),
    "amount": Kind(r"-?\d+(?:\.\d+)?", _amount),
    "text": Kind(r".*?", str),
    "event": Kind(r"[a-z][a-z0-9_]*", labels.event_label),
    "field": Kind(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*", labels.field_label),  # contact.street: "Straat"
    "fields": Kind(r"[a-z0-9_,]*", _keys(labels.field_label)),
    "role": Kind(r"[a-z_]*", labels.role_label),
    "roles": Kind(r"[a-z_,-]*", _keys(labels.role_label)),
    "capability": Kind(r"[a-z_]+", labels.capability_label),
    "key": Kind(r"[a-z][a-z0-9_]*|-", _any),
    "date": Kind(r"\d{4}-\d{2}-\d{2}", _date),
    "month": Kind(r"\d{4}-\d{2}", _month),
    "format": Kind("|".join(FORMATS), FORMATS.__getitem__),
    "outcome": Kind("|".join(OUTCOMES), _choice(OUTCOMES)),
    "verdict": Kind("|".join(VERDICTS), _choice(VERDICTS)),
    "state": Kind("|".join(RUN_STATES), _choice(RUN_STATES)),
    "yesno": Kind("|".join(YES_NO), _choice(YES_NO)),
    "task_source": Kind("|".join(TASK_SOURCES), _choice(TASK_SOURCES)),
    "task_action": Kind("|".join(TASK_ACTIONS), _choice(TASK_ACTIONS)),
    "portal_form": Kind("|".join(PORTAL_FORMS), _choice(PORTAL_FORMS)),
    "portal_kind": Kind("|".join(PORTAL_KINDS), _choice(PORTAL_KINDS)),
    "codes": Kind(r"\d{4}(?:,\d{4})*", lambda v: v.replace(",", ", ")),
    "counts": Kind(r"\{.*\}", _counts),
    "team": Kind(r"[^\s]*", _team),
    "scopes": Kind(r"[a-z_:,]*", lambda v: v.replace(",", ", ")),
    "rule": Kind(r"[\w.:/-]+", str),  # a policy rule's id, shown as it is in the policy file
    "exception": Kind(r"[A-Z]\w*", str),  # a Python exception's class name: technical, shown as it is
    "reason": Kind(r".+", lambda v: _reason(v)),  # a refusal reason: REASONS, else as stored
    "detail": Kind(r".*", lambda v: _nested(v)),  # a nested detail with its own pattern
}


@dataclass(frozen=True)
class Pattern:
    template: str  # the stored text, with {name} / {name:kind} for the values
    msgid: str  # Dutch, with %(name)s for the values

    @property
    def names(self) -> list[tuple[str, str]]:
        return [(m[1], m[2] or "") for m in _PLACEHOLDER.finditer(self.template)]

    @property
    def shape(self) -> str:
        """The template with every value as ``{}`` (what the source scan compares)."""
        return _PLACEHOLDER.sub("{}", self.template)

    @property
    def literal(self) -> str:
        return _PLACEHOLDER.sub("", self.template)


_PLACEHOLDER = re.compile(r"\{(\w+)(?::(\w+))?\}")


def P(template: str, msgid: str) -> Pattern:  # noqa: N802 - reads as a table
    return Pattern(template, msgid)


# --- the patterns: every detail the code writes (the source scan checks this list is complete) ------------------
PATTERNS: list[Pattern] = [
    # access, denials, not found
    P("lacks {capability:capability}", N_("mist het recht: %(capability)s")),
    P("lacks record_events or approve_deviations", N_("mist het recht: stappen vastleggen of afwijkingen goedkeuren")),
    P("lacks record_events/approve_deviations", N_("mist het recht: stappen vastleggen of afwijkingen goedkeuren")),
    P("lacks scope {resource:key}:{level:key}", N_("de API-sleutel mist de bevoegdheid %(resource)s (%(level)s)")),
    P("not found in user's municipalities", N_("niet gevonden in de gemeenten van de gebruiker")),
    P("not in user's municipalities", N_("niet in de gemeenten van de gebruiker")),
    P("not found or not visible", N_("niet gevonden of niet zichtbaar voor deze gebruiker")),
    P("not referred to this provider", N_("niet naar deze aanbieder verwezen")),
    P("no such objection in this case", N_("dit bezwaar hoort niet bij dit dossier")),
    P("no preview for this type", N_("van dit soort bestand is geen voorbeeld")),
    P("not ready", N_("nog niet klaar")),
    P("not released", N_("nog niet vrijgegeven")),
    P("privacy inzage: no such client", N_("inzageverzoek: deze cliënt bestaat niet")),
    P("privacy request: no such client", N_("privacyverzoek: deze cliënt bestaat niet")),
    P("calendar feed link unknown, revoked or no longer valid", N_("agendalink onbekend, ingetrokken of verlopen")),
    # log-in, second step, single sign-on, API keys
    P("unknown account", N_("onbekend account")),
    P("login throttled", N_("inloggen tijdelijk geblokkeerd na te veel pogingen")),
    P("mfa: code wrong", N_("tweestapsverificatie: code onjuist")),
    P("mfa: enrolment code wrong", N_("tweestapsverificatie instellen: code onjuist")),
    P("roles={roles:roles}", N_("rollen: %(roles)s")),
    P(
        "enrolled (authenticator app, recovery codes issued)",
        N_("ingesteld (authenticator-app, herstelcodes uitgegeven)"),
    ),
    P("verified (authenticator app)", N_("geverifieerd (authenticator-app)")),
    P("recovery code used ({n:int} left)", N_("herstelcode gebruikt (nog %(n)s over)")),
    P(
        "reset by functioneel beheerder ({n:int} devices removed)",
        N_("teruggezet door de functioneel beheerder (%(n)s apparaten verwijderd)"),
    ),
    P("sso", N_("single sign-on")),
    P("sso (provider asserted multi-factor)", N_("single sign-on (de identiteitsprovider meldt meerdere factoren)")),
    P("sso refused: {reason:reason}", N_("single sign-on geweigerd: %(reason)s")),
    P("eherkenning {level}", N_("eHerkenning, niveau %(level)s")),
    P(
        "eherkenning {level}; first log-in linked the invited coach account",
        N_("eHerkenning, niveau %(level)s; eerste keer ingelogd, gekoppeld aan het uitgenodigde coachaccount"),
    ),
    P("eherkenning log-in refused: {reason:reason}", N_("inloggen met eHerkenning geweigerd: %(reason)s")),
    P("refused: {reason:reason}", N_("geweigerd: %(reason)s")),
    P(
        "token endpoint refused: role requires a second step",
        N_("API-sleutel aanvragen geweigerd: deze rol logt in met een tweede stap"),
    ),
    P("revoke: not the holder's token or municipality", N_("intrekken geweigerd: niet de eigen sleutel of gemeente")),
    P(
        "for {holder}; scopes={scopes:scopes}; expires={date:date}",
        N_("voor %(holder)s; bevoegdheden: %(scopes)s; verloopt op %(date)s"),
    ),
    P("revoked; holder {holder}", N_("ingetrokken; houder %(holder)s")),
    P("role={role:role}; scopes={scopes:scopes}", N_("rol: %(role)s; bevoegdheden: %(scopes)s")),
    P("deactivated; {n:int} tokens revoked", N_("gedeactiveerd; %(n)s API-sleutels ingetrokken")),
    # the client portal (Mijn Regie): a frame around what the client did
    P("portal {who:portal_kind} level {level}; ", N_("Mijn Regie, %(who)s, niveau %(level)s")),
    P("portal {who:portal_kind} level {level}; {rest:detail}", N_("Mijn Regie, %(who)s, niveau %(level)s: %(rest)s")),
    P("portal log-in refused: {reason:reason}", N_("inloggen op Mijn Regie geweigerd: %(reason)s")),
    P("acr {acr}; files {n:int}", N_("betrouwbaarheidsniveau %(acr)s; %(n)s dossiers")),
    P("overview", N_("overzicht")),
    P("switch", N_("ander dossier gekozen")),
    P("access request form", N_("formulier inzageverzoek")),
    P("appointment {action:key}", N_("afspraak: %(action)s")),
    P("bericht", N_("bericht")),
    P("bezwaar", N_("bezwaar")),
    P("demo log-in (no DigiD)", N_("demo-inlog (zonder DigiD)")),
    P("inkomstenopgave {month:month}", N_("inkomstenopgave %(month)s")),
    P("inkomstenopgave {month}", N_("inkomstenopgave %(month)s")),
    P("inzageverzoek", N_("inzageverzoek")),
    P("letter {event:event}", N_("brief bij %(event)s")),
    P("plan signed", N_("plan ondertekend")),
    P("upload {kind:key}", N_("document geüpload: %(kind)s")),
    P("wijziging {kind:key}", N_("wijziging doorgegeven: %(kind)s")),
    P("{form:portal_form}", N_("geopend: %(form)s")),
    P("client {client:id} role {role:key}", N_("cliënt %(client)s, rol %(role)s")),
    P(
        "client {client:id} role {role:key} ended {date:date}",
        N_("cliënt %(client)s, rol %(role)s, beëindigd op %(date)s"),
    ),
    P("online objection {event:id} registered as bezwaar", N_("online bezwaar %(event)s geregistreerd als bezwaar")),
    # the REST API: a frame around what was done
    P("api", N_("via de API")),
    P("api {rest:detail}", N_("via de API: %(rest)s")),
    P("api {event:event}", N_("via de API: %(event)s")),
    P(
        "api candidates for vacancy {vacancy:id} (consent {consent:id})",
        N_("via de API: kandidaten voor vacature %(vacancy)s (toestemming %(consent)s)"),
    ),
    P(
        "api list case={case:id} status={status:key} count={n:int}",
        N_("via de API: lijst, dossier %(case)s, status %(status)s, %(n)s resultaten"),
    ),
    P("api appointments", N_("via de API: afspraken")),
    P("api notes", N_("via de API: notities")),
    P("list count={n:int}", N_("lijst, %(n)s resultaten")),
    P("documents count={n:int}", N_("documenten, %(n)s")),
    P("events", N_("gebeurtenissen")),
    P("legal", N_("bezwaar en beroep")),
    P("{event:event}: {rule:rule}", N_("%(event)s geweigerd door regel %(rule)s")),
    # casework
    P(
        "scope={scope:key} status={status:key} results={n:int} query={query:yesno}",
        N_("werklijst (%(scope)s, status %(status)s): %(n)s resultaten; zoekterm: %(query)s"),
    ),
    P("step form {event:event}", N_("formulier %(event)s")),
    P("step advice {event:event}", N_("advies bij %(event)s")),
    P("{outcome:outcome} {event:event}", N_("%(event)s %(outcome)s")),
    P("{verdict:verdict} {event:event}", N_("%(event)s %(verdict)s")),
    P("review {rule:rule}", N_("beoordeling geweigerd door regel %(rule)s")),
    P("{n:int} pending", N_("%(n)s ter beoordeling")),
    P("signal acknowledged {code}", N_("signaal gezien: %(code)s")),
    P("{n:int} referred clients", N_("%(n)s verwezen cliënten")),
    P("provider report {kind:key}", N_("rapportage van de aanbieder: %(kind)s")),
    P("provider referral", N_("verwijzing naar de aanbieder")),
    P("text", N_("tekst getoond")),
    P("redacted", N_("tekst afgeschermd")),
    P("text confidential {level:key}", N_("tekst getoond (vertrouwelijk: %(level)s)")),
    P("redacted confidential {level:key}", N_("tekst afgeschermd (vertrouwelijk: %(level)s)")),
    P("{counts:counts}", N_("aantallen: %(counts)s")),
    # client record, BRP
    P("client record: {event:event}", N_("cliëntgegevens: %(event)s")),
    P("client record: {event:event} ended", N_("cliëntgegevens: %(event)s beëindigd")),
    P("client record form {kind:key}", N_("formulier cliëntgegevens: %(kind)s")),
    P("client record: BRP check", N_("cliëntgegevens: controle in de BRP")),
    P("client record: adres_wijziging from BRP", N_("cliëntgegevens: adreswijziging uit de BRP")),
    P("fields {fields:fields}", N_("velden: %(fields)s")),
    P("register", N_("register")),
    P(
        "{query:id} doel={purpose} zonder geldig doel geweigerd",
        N_("%(query)s, doel %(purpose)s: geweigerd zonder geldig doel"),
    ),
    P("{query:id} doel={purpose} niet ingesteld", N_("%(query)s, doel %(purpose)s: niet ingesteld")),
    P("{query:id} doel={purpose} doel niet toegestaan", N_("%(query)s, doel %(purpose)s: doel niet toegestaan")),
    P("{query:id} doel={purpose} personen={n:int}", N_("%(query)s, doel %(purpose)s: %(n)s personen")),
    P("{query:id} doel={purpose} {error:exception}", N_("%(query)s, doel %(purpose)s: fout %(error)s")),
    # agenda, journal, tasks
    P("appointments", N_("afspraken")),
    P("appointment form", N_("afspraakformulier")),
    P("afspraak {kind:key} case {case:id}", N_("afspraak %(kind)s, dossier %(case)s")),
    P("outcome {outcome:key}", N_("uitkomst: %(outcome)s")),
    P("from {start:date} days={days} appointments={n:int}", N_("vanaf %(start)s, %(days)s dagen: %(n)s afspraken")),
    P("feed appointments={n:int}", N_("agendafeed: %(n)s afspraken")),
    P("subscription {prefix:id} appointments={n:int}", N_("agenda-abonnement %(prefix)s: %(n)s afspraken")),
    P("invitation e-mail", N_("uitnodiging per e-mail")),
    P(
        "appointments={a:int} reports={r:int} signal_kinds={s:int}",
        N_("%(a)s afspraken, %(r)s rapportages, %(s)s soorten signalen"),
    ),
    P("notitie", N_("notitie")),
    P("journal notes={n:int} query={query:yesno}", N_("journaal: %(n)s notities; zoekterm: %(query)s")),
    P("results={n:int} query={query:yesno}", N_("%(n)s resultaten; zoekterm: %(query)s")),
    P("new task", N_("nieuwe taak")),
    P("{n:int}", N_("%(n)s taken getoond")),
    P("{source:task_source}", N_("taak %(source)s")),
    P("{source:task_source} case {case:id}", N_("taak %(source)s, dossier %(case)s")),
    P("{action:task_action}", N_("taak %(action)s")),
    P(
        "{n:int} cases, {t:int} tasks to user {user:id}",
        N_("%(n)s dossiers en %(t)s taken overgedragen aan gebruiker %(user)s"),
    ),
    # documents, letters
    P("upload form", N_("uploadformulier")),
    P("case {case:id} {kind:key}", N_("dossier %(case)s, %(kind)s")),
    P("detail case {case:id}", N_("details, dossier %(case)s")),
    P("download case {case:id}", N_("gedownload, dossier %(case)s")),
    P("preview case {case:id}", N_("voorbeeld bekeken, dossier %(case)s")),
    P("dossier pdf", N_("dossier als pdf")),
    P("dossier pdf {export:id} requested ({purpose:key})", N_("dossier als pdf %(export)s aangevraagd (%(purpose)s)")),
    P("dossier pdf {export:id} status", N_("status van dossier-pdf %(export)s")),
    P("dossier pdf {export:id} downloaded ({purpose:key})", N_("dossier-pdf %(export)s gedownload (%(purpose)s)")),
    P("letter {event:event} {ref:id}", N_("brief bij %(event)s %(ref)s")),
    P("letter sent {event:event} {ref:id}", N_("brief verstuurd bij %(event)s %(ref)s")),
    P("letter preview {name:key} {ref:id}", N_("voorbeeld van brief %(name)s bij %(ref)s")),
    P("version {n:int}", N_("versie %(n)s")),
    # benefit, employers
    P("income form", N_("formulier inkomstenopgave")),
    P("bank account", N_("rekeningnummer")),
    P("bank account form", N_("formulier rekeningnummer")),
    P("list", N_("lijst")),
    P("month {month:month}", N_("maand %(month)s")),
    P("{month:month} preview", N_("voorbeeld %(month)s")),
    P("refused {rule:rule}", N_("geweigerd door regel %(rule)s")),
    P("empty", N_("leeg")),
    P("debtor account missing", N_("rekening van de gemeente ontbreekt")),
    P("{month:month}: {n:int} payments", N_("%(month)s: %(n)s betalingen")),
    P(
        "{month:month}: {n:int} payments, {total:amount} EUR, {skipped:int} skipped",
        N_("%(month)s: %(n)s betalingen, € %(total)s, %(skipped)s overgeslagen"),
    ),
    P("SEPA pain.001", N_("SEPA-betaalbestand (pain.001)")),
    P("employer", N_("werkgever")),
    P("form {form:key}", N_("formulier %(form)s")),
    P("work page", N_("pagina werk")),
    P(
        "candidates for vacancy {vacancy:id}: {n:int} shown named",
        N_("kandidaten voor vacature %(vacancy)s: %(n)s getoond, met naam"),
    ),
    P(
        "candidates for vacancy {vacancy:id}: {n:int} shown without names",
        N_("kandidaten voor vacature %(vacancy)s: %(n)s getoond, zonder naam"),
    ),
    P(
        "lijstwerk for employer {employer:id} (consent {consent:id})",
        N_("lijstwerk voor werkgever %(employer)s (toestemming %(consent)s)"),
    ),
    P("cli candidates: {n:int} cases", N_("opdrachtregel, kandidaten: %(n)s dossiers")),
    P("cli subsidy: {n:int} months", N_("opdrachtregel, loonkostensubsidie: %(n)s maanden")),
    # monitoring, equity, lab, legal
    P("{start:date}..{end:date} team={team:team}", N_("%(start)s tot %(end)s, %(team)s")),
    P(
        "{page:key} {fmt:format} {start:date}..{end:date} team={team:team}",
        N_("%(page)s als %(fmt)s, %(start)s tot %(end)s, %(team)s"),
    ),
    P(
        "{kind:key} {month:month} {fmt:format}: {n:int} records team={team:team}",
        N_("%(kind)s %(month)s als %(fmt)s: %(n)s records, %(team)s"),
    ),
    P(
        "{kind:key} {month:month}: {n:int} records, {p:int} problems",
        N_("%(kind)s %(month)s: %(n)s records, %(p)s problemen"),
    ),
    P("cohort {start:date}..{end:date} by={by:key}", N_("cohort %(start)s tot %(end)s, per %(by)s")),
    P("{n:int} signals", N_("%(n)s signalen")),
    P("w_deel/i_deel {before} -> {w}/{i}", N_("W-deel/I-deel %(before)s gewijzigd in %(w)s/%(i)s")),
    P("{codes:codes}", N_("gemeenten %(codes)s")),
    P(
        "equity report as_of={date:date} decisions={decisions:key}",
        N_("rapport gelijke behandeling per %(date)s, besluiten: %(decisions)s"),
    ),
    P(
        "equity report as_of={date:date} decisions={decisions}",
        N_("rapport gelijke behandeling per %(date)s, besluiten: %(decisions)s"),
    ),
    P("as_of={date:date} decision={decision:key}", N_("per %(date)s, besluit: %(decision)s")),
    P("start: {state:state} {date:date}", N_("gestart: %(state)s, per %(date)s")),
    P("{state:state} {date:date}", N_("%(state)s, per %(date)s")),
    P("{fmt:format} {table:key} {date:date}", N_("%(table)s als %(fmt)s, per %(date)s")),
    P("{fmt:format} {table:key}", N_("%(table)s als %(fmt)s")),
    P("{fmt:format}", N_("als %(fmt)s")),
    P("{n:int} caseworkers, {m:int} objections", N_("%(n)s klantmanagers, %(m)s bezwaren")),
    P("{n:int} objections", N_("%(n)s bezwaren")),
    P("list {n:int}", N_("lijst, %(n)s")),
    P("closed or done", N_("gesloten of afgerond")),
    P("analysis", N_("analyse")),
    P("analysis {suffix}", N_("analyse (%(suffix)s)")),
    P("page {n:int} of {m:int}, {k:int} items", N_("pagina %(n)s van %(m)s, %(k)s items")),
    P("scenario {scenario:id}", N_("scenario %(scenario)s")),
    # privacy, retention, operations, the audit log itself
    P("client {client:id}", N_("cliënt %(client)s")),
    P("client {client:id} field {field:field}", N_("cliënt %(client)s, veld %(field)s")),
    P("identity verified", N_("identiteit gecontroleerd")),
    P("term extended", N_("termijn verlengd")),
    P("provided", N_("verstrekt")),
    P("decision {decision:key}", N_("besluit: %(decision)s")),
    P("rectification {req:id} field {field:field}", N_("rectificatie %(req)s, veld %(field)s")),
    P("list {a:int} + {b:int}", N_("lijst, %(a)s inzageverzoeken en %(b)s rectificatieverzoeken")),
    P("inzage {fmt:format} request {req:id}", N_("inzage als %(fmt)s, verzoek %(req)s")),
    P("inzage {fmt:format} (command line)", N_("inzage als %(fmt)s (opdrachtregel)")),
    P("retention show", N_("bewaartermijnen getoond")),
    P("list {n:int} lists, {m:int} holds", N_("%(n)s vernietigingslijsten, %(m)s bewaarblokkades")),
    P("{n:int} items", N_("%(n)s items")),
    P("{month:month}: {n:int} cases", N_("%(month)s: %(n)s dossiers")),
    P("removed {case:id}", N_("dossier %(case)s van de lijst gehaald")),
    P("approved {n:int} cases", N_("%(n)s dossiers goedgekeurd")),
    P("case {case:id}: {reason}", N_("dossier %(case)s: %(reason)s")),
    P("released", N_("vrijgegeven")),
    P(
        "record {record:id}: {n:int} cases, {m:int} clients destroyed",
        N_("verklaring %(record)s: %(n)s dossiers, %(m)s cliënten vernietigd"),
    ),
    P(
        "record {record:id}: {n:int} cases, {m:int} clients destroyed, {k:int} kept (hold or reopened)",
        N_("verklaring %(record)s: %(n)s dossiers, %(m)s cliënten vernietigd, %(k)s bewaard (blokkade of heropend)"),
    ),
    P("backup", N_("back-up")),
    P("restore {name}", N_("teruggezet uit %(name)s")),
    P("results={n:int}", N_("%(n)s resultaten")),
    P("{n:int} records", N_("%(n)s regels")),
]

# --- refusal reasons (log-ins and API keys): the technical reason as the reader's text --------------------------
REASONS: list[Pattern] = [
    # single sign-on, eHerkenning and the portal's DigiD broker (regie.platform.oidc_client, accounts.oidc/eherkenning)
    P("id token signature {exc:exception}", N_("de handtekening van het id-token klopt niet (%(exc)s)")),
    P("id token {exc:exception}", N_("het id-token is ongeldig (%(exc)s)")),
    P("id token issuer differs", N_("het id-token komt van een andere uitgever")),
    P("id token issuer is not REGIE_OIDC_ISSUER", N_("het id-token komt van een andere uitgever")),
    P("id token is not for this client", N_("het id-token is niet voor Regie bestemd")),
    P("id token nonce differs", N_("het id-token hoort niet bij deze aanmelding")),
    P("id token has no claim {claim}", N_("het id-token mist het gegeven %(claim)s")),
    P("userinfo sub differs from the id token's", N_("de gebruikersgegevens horen niet bij het id-token")),
    P("no active Regie user matches", N_("geen actieve Regie-gebruiker gevonden")),
    P("no code", N_("geen code ontvangen")),
    P("no id token", N_("geen id-token ontvangen")),
    P("provider error {exc:exception}", N_("fout bij de identiteitsprovider (%(exc)s)")),
    P("broker error {error}", N_("fout bij de makelaar: %(error)s")),
    P("no log-in started in this session", N_("er is in deze sessie geen aanmelding gestart")),
    P("log-in took too long", N_("de aanmelding duurde te lang")),
    P("state does not match", N_("de aanmelding hoort niet bij deze sessie")),
    P("token exchange failed {exc:exception}", N_("het ophalen van het token is mislukt (%(exc)s)")),
    P("assurance level {level} below {minimum}", N_("betrouwbaarheidsniveau %(level)s is lager dan %(minimum)s")),
    P("KvK number is not the provider's", N_("het KvK-nummer is niet dat van de aanbieder")),
    P(
        "linked account is no longer an active coach of this provider",
        N_("het gekoppelde account is geen actieve coach van deze aanbieder meer"),
    ),
    P(
        "not linked yet and no e-mail address to find the invited account",
        N_("nog niet gekoppeld en geen e-mailadres om het uitgenodigde account te vinden"),
    ),
    P(
        "no single invited coach account for this e-mail address",
        N_("geen uniek uitgenodigd coachaccount voor dit e-mailadres"),
    ),
    # API keys (regie.api.tokens.refusal writes these in Dutch)
    P("Deze API-sleutel is ingetrokken.", N_("Deze API-sleutel is ingetrokken.")),
    P("Deze API-sleutel is verlopen op {when}.", N_("Deze API-sleutel is verlopen op %(when)s.")),
    P(
        "De gebruiker van deze API-sleutel is niet meer actief.",
        N_("De gebruiker van deze API-sleutel is niet meer actief."),
    ),
    P(
        "De rol van de gebruiker is gewijzigd sinds deze API-sleutel is uitgegeven; maak een nieuwe aan.",
        N_("De rol van de gebruiker is gewijzigd sinds deze API-sleutel is uitgegeven; maak een nieuwe aan."),
    ),
]


def _compile(p: Pattern) -> re.Pattern:
    out, pos = [], 0
    for m in _PLACEHOLDER.finditer(p.template):
        out.append(re.escape(p.template[pos : m.start()]))
        out.append(f"(?P<{m[1]}>{KINDS[m[2] or ''].regex})")
        pos = m.end()
    out.append(re.escape(p.template[pos:]))
    return re.compile("".join(out), re.DOTALL)


@cache
def _compiled(which: str) -> tuple[tuple[Pattern, re.Pattern], ...]:
    """The patterns, most literal text first (so "api notes" wins over "api {rest:detail}")."""
    table = PATTERNS if which == "detail" else REASONS
    return tuple((p, _compile(p)) for p in sorted(table, key=lambda p: -len(p.literal)))


def _render(p: Pattern, m: re.Match) -> str | None:
    values = {}
    for name, kind in p.names:
        try:
            text = KINDS[kind].render(m[name])
        except (KeyError, ValueError, TypeError):
            return None
        if text is None:
            return None
        values[name] = text
    return gettext(p.msgid) % values if values else gettext(p.msgid)


def _find(text: str, which: str) -> tuple[Pattern, str] | None:
    for p, rx in _compiled(which):
        m = rx.fullmatch(text)
        if m is not None and (rendered := _render(p, m)) is not None:
            return p, rendered
    return None


def _match(text: str, which: str) -> str | None:
    found = _find(text, which)
    return found[1] if found else None


def pattern_of(detail: str, which: str = "detail") -> Pattern | None:
    """The pattern that renders this stored text (None: none does); ``which``: "detail" or "reason"."""
    found = _find(detail, which)
    return found[0] if found else None


def parse(detail: str, which: str = "detail") -> tuple[str, dict[str, str]] | None:
    """The pattern's template and the values as stored, for code that acts on what a detail says (the person's
    file names a letter or an inzage); None when no pattern knows the text."""
    for p, rx in _compiled(which):
        m = rx.fullmatch(detail)
        if m is not None and _render(p, m) is not None:
            return p.template, {name: m[name] for name, _kind in p.names}
    return None


# Details the person's file (regie.privacy) reads back: written by regie.letters.views, regie.privacy.cli/services
LETTER_MADE = "letter {event:event} {ref:id}"
INZAGE_REQUEST, INZAGE_CLI = "inzage {fmt:format} request {req:id}", "inzage {fmt:format} (command line)"
RECTIFIED = "rectification {req:id} field {field:field}"


def _nested(text: str) -> str | None:
    """A detail inside another one's frame; None (the frame does not apply) when no pattern knows it."""
    return _match(text, "detail") if text else None


def _reason(text: str) -> str:
    return _match(text, "reason") or text


def reason_text(reason: str) -> str:
    """A refusal reason (a log-in's, an API key's) in the active language, as stored when no pattern knows it."""
    return _reason(reason)


_KEY = re.compile(r"(?<![\w.])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w.])")


def describe(detail: str) -> str:
    """The stored ``detail`` of an audit record in the active language. A text no pattern knows (a row written
    before its pattern existed) is shown as stored, with field keys ("family_name") by their labels."""
    if not detail:
        return ""
    found = _match(detail, "detail")
    if found is not None:
        return found
    return _KEY.sub(lambda m: labels.field_label(m[0]) if labels.has_field_label(m[0]) else m[0], detail)
