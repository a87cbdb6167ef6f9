# One-off helper that filled the English catalogue; the .po file is the source of truth (make messages).
import os

import polib

T = {
'Te veel mislukte inlogpogingen. Probeer het over 15 minuten opnieuw.': 'Too many failed log-in attempts. Try again in 15 minutes.',
'Melding': 'Report (melding)', 'Aanvraag': 'Application', 'Toekenning': 'Benefit granted', 'Afwijzing': 'Application refused',
'Intake': 'Intake', 'Classificatie': 'Classification', 'Plan van aanpak': 'Action plan', 'Verwijzing naar traject': 'Referral to a trajectory',
'Einde traject': 'End of trajectory', 'Rapportage aanbieder': 'Provider report', 'Driegesprek': 'Three-way meeting',
'Ontheffing': 'Exemption', 'Einde ontheffing': 'End of exemption', 'Waarschuwing': 'Warning', 'Maatregel': 'Sanction',
'Contactmoment': 'Contact', 'Uitstroom': 'Outflow', 'Einde nazorg': 'End of aftercare', 'Herinstroom': 'Re-entry',
'Toewijzing klantmanager': 'Caseworker assignment', 'Kanaal': 'Channel', 'Einde zoekperiode': 'End of search period',
'Norm': 'Norm', 'Kostendelers': 'Cost-sharers', 'Bedrag per maand': 'Amount per month', 'Uitkering': 'Benefit',
'Reden': 'Reason', 'Medische claim': 'Medical claim', 'Verwachte maanden tot werk': 'Expected months to work',
'Gezondheidsbeperking': 'Health limitation', 'Motivatie': 'Motivation', 'Schulden': 'Debts', 'Taalbarrière': 'Language barrier',
'Schema': 'Scheme', 'Niveau / trede': 'Level / rung', 'Route': 'Route', 'Versie': 'Version', 'Ondertekend door cliënt': 'Signed by the client',
'Evaluatiedatum': 'Review date', 'Doel': 'Goal', 'Trajectnummer': 'Trajectory number', 'Soort': 'Kind', 'Aanbieder': 'Provider',
'Module': 'Module', 'Geplande einddatum': 'Planned end date', 'Prijs': 'Price', 'Resultaat': 'Result', 'Kosten': 'Cost',
'Samenvatting': 'Summary', 'Ontheffingsnummer': 'Exemption number', 'Grond': 'Ground', 'Omvang': 'Scope', 'Einddatum': 'End date',
'Soort verplichting': 'Obligation type', 'Omschrijving': 'Description', 'Categorie': 'Category', 'Percentage': 'Percentage',
'Maanden': 'Months', 'Recidive': 'Repeat step', 'Bedrag': 'Amount', 'CBS-code': 'CBS code', 'Vorig dossier': 'Previous case',
'Klantmanager': 'Caseworker', 'Cliënten': 'Clients', 'Nieuwe melding': 'New report', 'Akkoord gevraagd': 'Approvals',
'Signalen naar beleid': 'Signals to policy', 'Monitoring': 'Monitoring', 'Gelijke behandeling': 'Equal treatment',
'Verwezen cliënten': 'Referred clients', 'Auditlog': 'Audit log', 'Voortgangsrapportage': 'Progress report',
'Eindrapportage': 'Final report', 'Advies': 'Advice', 'Niet verschenen': 'No-show', 'Ziekmelding': 'Sick report',
'Verzoek om driegesprek': 'Request a three-way meeting', 'geen geldige datum (JJJJ-MM-DD)': 'not a valid date (YYYY-MM-DD)',
'kies een soort melding': 'choose a kind of report', 'schrijf minstens een paar zinnen': 'write at least a few sentences',
'Rapportage verstuurd': 'Report sent', 'Professioneel oordeel: maatwerk voor deze cliënt': 'Professional judgement: tailored to this client',
'Regel of procedure schrijft anders voor': 'A rule or procedure requires otherwise', 'Capaciteit, budget of wachtlijst': 'Capacity, budget or waiting list',
'Wens of situatie van de cliënt': "The client's wish or situation", 'Advies berust op onjuiste of verouderde gegevens': 'The advice rests on wrong or outdated data',
'Overig (licht toe)': 'Other (explain)', 'Uw besluit wijkt af van het advies en wacht op akkoord van de teammanager.': "Your decision differs from the advice and awaits the team manager's approval.",
'Vastgelegd: %(step)s': 'Recorded: %(step)s', 'Goedgekeurd': 'Approved', 'Afgewezen': 'Rejected', 'Signaal bijgewerkt': 'Signal updated',
'vul een onderwerp in': 'enter a topic', 'beschrijf het knelpunt (minstens 10 tekens)': 'describe the problem (at least 10 characters)',
'Signaal naar beleid verstuurd': 'Signal sent to policy', 'verplicht': 'required', 'kies M, V of X': 'choose M, V or X',
'er bestaat al een cliënt met dit BSN in uw gemeente': 'a client with this BSN already exists in your municipality',
'Geen toegang': 'No access', 'Uw rol geeft geen toegang tot deze pagina.': 'Your role gives no access to this page.',
'Niet gevonden': 'Not found', 'Deze pagina of dit dossier bestaat niet, of u heeft er geen toegang toe.': 'This page or case does not exist, or you have no access to it.',
'Besluiten die afwijken van het beleidsadvies wachten hier op uw akkoord (vier ogen).': 'Decisions that differ from the policy advice wait here for your approval (four eyes).',
'Cliënt': 'Client', 'Stap': 'Step', 'Besluit': 'Decision', 'Motivering': 'Motivation', 'Aangevraagd door': 'Requested by',
'Notitie': 'Note', 'Akkoord': 'Approve', 'Afwijzen': 'Reject', 'Niets te beoordelen.': 'Nothing to review.', 'Gebruiker': 'User',
'Actie': 'Action', 'Objecttype': 'Object type', 'Object': 'Object', 'Vanaf': 'From', 'Tot': 'Until', 'Zoeken': 'Search',
'Exporteer CSV': 'Export CSV', 'regels': 'rows', 'Tijdstip': 'Time', 'Rol': 'Role', 'Herkomst': 'Origin', 'Details': 'Details',
'Volgende': 'Next', 'Naar de inhoud': 'Skip to content', 'Hoofdmenu': 'Main menu', 'Uitloggen': 'Log out',
'Toon volledig BSN': 'Show full BSN', 'Geboortedatum': 'Date of birth', 'Geslacht': 'Sex', 'Opleiding': 'Education',
'Taal': 'Language', 'Wonen': 'Housing', 'Partner': 'Partner', 'geen': 'none', 'Kinderen (geboortedatum)': 'Children (date of birth)',
'Dossier': 'Case', 'geopend': 'opened', 'Status': 'Status', 'Trede / niveau': 'Rung / level', 'Lopende trajecten': 'Open trajectories',
'ja': 'yes', 'nee': 'no', 'Termijnen': 'Deadlines', 'verlopen': 'overdue', 'Volgende stappen': 'Next steps', 'Vastleggen': 'Record',
'Signaal naar beleid': 'Signal to policy', 'Tijdlijn': 'Timeline', 'afwijking van advies': 'deviates from the advice',
'akkoord': 'approved by', 'motivering': 'motivation', 'beschikking (PDF)': 'decision letter (PDF)', 'Controleer de velden:': 'Check these fields:',
'Voornaam': 'Given name', 'Achternaam': 'Family name', 'Datum melding': 'Date of report', 'Melding vastleggen': 'Record the report',
'Inloggen': 'Log in', 'Gebruikersnaam': 'Username', 'Wachtwoord': 'Password',
'Meld een knelpunt of een regel die niet past bij deze cliënt. Beleidsmedewerkers zien alle signalen in één lijst.': 'Report a bottleneck or a rule that does not fit this client. Policy officers see all signals in one list.',
'Onderwerp': 'Topic', 'Beleidsregel (optioneel)': 'Policy rule (optional)', 'Wat loopt er vast?': 'What is stuck?', 'Versturen': 'Send',
'Datum': 'Date', 'Signaal': 'Signal', 'Regel': 'Rule', 'Van': 'From', 'Reactie': 'Response', 'Opslaan': 'Save', 'Geen signalen.': 'No signals.',
'Traject': 'Trajectory', 'Start': 'Start', 'Laatste rapportage': 'Last report', 'Volgende rapportage uiterlijk': 'Next report due',
'te laat': 'late', 'Geen cliënten verwezen.': 'No clients referred.', 'sinds': 'since', 'Overdracht': 'Hand-over',
'Geen overdrachtssamenvatting ontvangen.': 'No hand-over summary received.', 'versie': 'version', 'evaluatie': 'review',
'Rapportages': 'Reports', 'Nog geen rapportages.': 'No reports yet.', 'Nieuwe rapportage of melding': 'New report or signal',
'Toelichting (voortgang, resultaat, advies)': 'Explanation (progress, result, advice)', 'dossier': 'case',
'Advies volgens beleid': 'Advice under the policy', 'Beleidsversie': 'Policy version', 'Kan niet beslissen': 'Cannot decide',
'Toelichting': 'Explanation', 'Er is geen beleidsadvies voor deze stap: er is geen beleidsbestand voor deze gemeente of datum.': 'There is no policy advice for this step: no policy file for this municipality or date.',
'Regelgestuurd: wijkt u af van het advies, dan is akkoord van de teammanager nodig.': "Rules-steered: if you deviate from the advice, the team manager's approval is needed.",
'Prestatiegestuurd: wijkt u af van het advies, dan motiveert u dat schriftelijk.': 'Performance-steered: if you deviate from the advice, you give a written motivation.',
'Ingangsdatum': 'Effective date', 'Motivering (verplicht bij afwijking van het advies)': 'Motivation (required when deviating from the advice)',
'Redencode': 'Reason code', 'Mijn caseload': 'My caseload', 'Caseload van mijn team': "My team's caseload", 'Alle cliënten': 'All clients',
'Zoek op naam of BSN': 'Search by name or BSN', 'Caseload': 'Caseload', 'Mijn cliënten': 'My clients', 'Mijn team': 'My team',
'Hele gemeente': 'Whole municipality', 'open dossiers': 'open cases', 'alle': 'all', 'Filter': 'Filter',
'Laatste gebeurtenis': 'Last event', 'Geen dossiers gevonden.': 'No cases found.', 'Paginering': 'Pagination', 'Vorige': 'Previous',
'Pagina %(p)s van %(n)s': 'Page %(p)s of %(n)s', '%(field)s: geen geldige datum (JJJJ-MM-DD)': '%(field)s: not a valid date (YYYY-MM-DD)',
'Taal kiezen': 'Choose language', 'Bestand en stromen': 'Stock and flows', 'Uitstroom naar reden': 'Outflow by reason',
'Uitkeringsduur': 'Time on benefit', 'Caseload per klantmanager': 'Caseload per caseworker', 'Tijd tot eerste traject': 'Time to first trajectory',
'Ontheffingen, waarschuwingen en maatregelen': 'Exemptions, warnings and sanctions', 'Trajectresultaten per aanbieder en module': 'Trajectory results per provider and module',
"Cohort (RWI-ratio's), instroom": 'Cohort (RWI ratios), inflow', 'Team': 'Team', 'Bestand naar uitkeringsduur': 'Stock by time on benefit', 'Signalen': 'Signals', 'Afvinken': 'Acknowledge', 'Signaal afgevinkt': 'Signal acknowledged', 'Signaal afvinken: een notitie is verplicht': 'Acknowledge signal: a note is required',
}
PLURAL = {'%(n)s dossier': ('%(n)s case', '%(n)s cases')}
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'regie'))
po = polib.pofile('locale/en/LC_MESSAGES/django.po')
po.metadata['Language'] = 'en'
po.metadata['Plural-Forms'] = 'nplurals=2; plural=(n != 1);'
po.metadata['Content-Type'] = 'text/plain; charset=UTF-8'
missing = []
for e in po:
    if e.msgid_plural:
        one, many = PLURAL[e.msgid]
        e.msgstr_plural = {0: one, 1: many}
    elif e.msgid in T:
        e.msgstr = T[e.msgid]
    else:
        missing.append(e.msgid)
    if 'fuzzy' in e.flags:
        e.flags.remove('fuzzy')
po.save()
po.save_as_mofile('locale/en/LC_MESSAGES/django.mo')
print('missing', missing)
