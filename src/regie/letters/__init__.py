"""Letters: every letter Regie sends (PDF), from templates each municipality's functioneel beheerder can edit.

- ``registry.py``: the letter types (id, Dutch title, event types, whether it is a besluit with a bezwaar or
  beroep clause, the default legal basis with its article) and the two clause blocks.
- ``defaults/<name>.txt``: the templates shipped with Regie (B1 Dutch).
- ``models.py``: ``LetterTemplate`` (a municipality's own versions of a template) and ``Letterhead`` (sender,
  return address, contact line, objection address, signature, optional logo); both append-only, versioned.
- ``context.py``: the variables every template gets; ``labels.py``: Dutch words for every vocabulary value;
  ``formatting.py``: money, dates and counts in Dutch (Django's nl localisation, ngettext).
- ``templating.py``: checking and rendering templates; ``pdf.py``: the PDF; ``services.py``: ``compose`` (a
  letter for an event), ``preview``, ``save_template``, ``save_letterhead``; ``selectors.py``: reads.
- ``views.py``, ``urls.py`` (the editor, ``letters:``), ``case_urls.py`` (the letter of a case event).

The template format (also in docs/user-guide.md, "Brieven"): Django template language that produces plain text.
The first line may be ``Onderwerp: ...`` (the subject; default the letter type's title); a line ``# ...`` is a
heading; a line ``- ...`` a list item; an empty line ends a paragraph. Allowed: ``{{ variable }}`` with the
built-in filters, and ``{% if %}``, ``{% for %}``, ``{% with %}``, ``{% firstof %}``, ``{% comment %}``. The
address block, date, reference, closing, signature and letterhead are laid out by Regie, not by the template; a
besluit always ends with the bezwaar (or beroep) block, which is a template of its own.
"""
