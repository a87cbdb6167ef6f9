"""The page sweep's own parts (tests/platform/sweep.py): the Dutch-part rule of the untranslated check and the
empty submission of a form."""

from .sweep import findings, page_forms, without_dutch_parts


def test_only_elements_marked_dutch_are_left_out_of_the_untranslated_check():
    body = '<body><div lang="nl"><div>Uw plan van aanpak</div></div>\n<p>Uw plan van aanpak</p>\n<p>tail</p></body>'
    assert without_dutch_parts(body) == "<body>\n<p>Uw plan van aanpak</p>\n<p>tail</p></body>"
    ids = frozenset({"Uw plan van aanpak"})
    assert ("untranslated", "Uw plan van aanpak") in findings(body, "en", ids)
    marked = '<body><td><span lang="nl">Uw plan van aanpak</span></td></body>'
    assert findings(marked, "en", ids) == []
    # the other checks still read Dutch parts
    assert ("snake_case", "work_first") in findings('<body><p lang="nl">route work_first</p></body>', "en", ids)


def test_empty_submission_leaves_required_fields_empty_and_skips_the_header_forms():
    body = """<body>
    <form method="post" action="/i18n/setlang/"><select name="language"><option value="nl">NL</option></select></form>
    <form method="post" action="/x/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="title" value="typed" required><select name="kind"><option value="a">A</option>
      <option value="b" selected>B</option></select><input type="checkbox" name="flag" checked>
      <input type="checkbox" name="off"><textarea name="note" required></textarea><button>OK</button></form>
    <form method="post" action="/ack/"><button>Gezien</button></form></body>"""
    forms = page_forms(body)
    assert [f.action for f in forms] == ["/x/"]
    assert forms[0].required == ["title", "note"]
    assert forms[0].empty_submission() == {
        "csrfmiddlewaretoken": "t",
        "title": "",
        "kind": "b",
        "flag": "on",
        "note": "",
    }
