"""English translation: every message is translated and the site switches language."""
import ast
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

PO_FILE = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"
KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(".*")$')
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def parse_po(path):
    """Entries of a .po file as dicts of keyword -> string; comments and obsolete entries skipped."""
    entries, entry, key = [], {}, None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            if entry:
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            match = KEYWORD.match(line)
            assert match, f"unparsable line: {raw!r}"
            key = match.group(1)
            entry[key] = ast.literal_eval(match.group(2))
    if entry:
        entries.append(entry)
    return entries


def messages():
    return [entry for entry in parse_po(PO_FILE) if entry["msgid"]]  # the header has an empty msgid


def msgstrs(entry):
    return {key: value for key, value in entry.items() if key.startswith("msgstr")}


def test_po_file_has_messages():
    assert len(messages()) > 500


def test_every_message_is_translated():
    untranslated = [
        entry["msgid"] for entry in messages() if not all(msgstrs(entry).values())
    ]
    assert untranslated == []


def test_plural_messages_have_both_forms():
    for entry in messages():
        if "msgid_plural" in entry:
            assert set(msgstrs(entry)) == {"msgstr[0]", "msgstr[1]"}, entry["msgid"]


def test_translations_keep_placeholders():
    for entry in messages():
        expected = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for key, text in msgstrs(entry).items():
            assert sorted(PLACEHOLDER.findall(text)) == expected, (entry["msgid"], key, text)


def test_no_fuzzy_translations():
    assert "#, fuzzy" not in PO_FILE.read_text(encoding="utf-8")


def test_plan_list_in_english_via_accept_language(client):
    response = client.get("/plans/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert ">Plans</a>" in html  # main navigation entry for 规划
    assert "Plan list" in html
    assert "规划列表" not in html


def test_plan_list_in_english_via_language_switch(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/plans/"})
    assert response.status_code == 302
    html = client.get("/plans/").content.decode()
    assert ">Plans</a>" in html
    assert "Plan list" in html
    assert "规划列表" not in html


def test_plan_list_defaults_to_chinese(client):
    response = client.get("/plans/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "规划列表" in html
    assert ">规划</a>" in html
    assert "Plan list" not in html


def test_it_names_the_nul_character_in_chinese_rather_than_djangos_empty_string():
    """Django's zh-hans catalogue calls a NUL character an empty string; the project's locale corrects it."""
    from django import forms
    from django.utils import translation

    class NoteForm(forms.Form):
        note = forms.CharField()

    with translation.override("zh-hans"):
        form = NoteForm(data={"note": "a\x00b"})
        assert not form.is_valid()
        assert form.errors["note"] == ["不能含有空字符（U+0000），请删除后重新填写。"]


def test_it_counts_the_review_queue_in_english_with_half_width_brackets():
    from django.template import Context, Template
    from django.utils import translation

    template = Template('{% load i18n %}{% blocktranslate with n=3 %}指标数值（{{ n }}）{% endblocktranslate %}')
    with translation.override("en"):
        assert template.render(Context()) == "Indicator values (3)"
    with translation.override("zh-hans"):
        assert template.render(Context()) == "指标数值（3）"
