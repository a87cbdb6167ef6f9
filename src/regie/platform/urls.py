"""The site's URL root: each app's ``urls`` module, included by name so that the shell imports no app."""

from django.urls import include, path

urlpatterns = [
    path("", include("regie.accounts.urls")),
    path("", include("regie.casework.urls")),
    path("", include("regie.clientrecord.urls")),  # client record (h/record)
    path("", include("regie.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("regie.api.urls")),
    path("monitoring/", include("regie.monitoring.urls")),
    path("gelijke-behandeling/", include("regie.equity.urls")),
    path("beleidslab/", include("regie.lab.urls")),
    path("privacy/", include("regie.privacy.urls")),
    path("bewaartermijnen/", include("regie.retention.urls")),
    path("bezwaar/", include("regie.legal.urls")),  # legal
    # documents and work tasks
    path("", include("regie.documents.urls")),
    path("taken/", include("regie.worktasks.urls")),
    # --- letters: the editor, and the letter of a case event (the URL casework always had) ---
    path("brieven/", include("regie.letters.urls")),
    path("", include("regie.letters.case_urls")),
    # agenda: calendar and start page, journal, notifications
    path("", include("regie.agenda.urls")),
    path("journaal/", include("regie.journal.urls")),
    path("meldingen/", include("regie.notifications.urls")),
    path("uitkering/", include("regie.benefit.urls")),  # benefit
    path("werkgevers/", include("regie.employers.urls")),  # employers
    path("mijn/", include("regie.portal.urls")),  # portal: Mijn Regie, the client's own portal
    path("", include("regie.portal.staff_urls")),  # portal: the caseworker's machtiging pages
    path("", include("regie.accounts.eherkenning_urls")),  # portal: eHerkenning log-in for provider coaches
]
