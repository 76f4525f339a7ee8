"""The shared Jinja2 environment: filters, escaping rules and strictness."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import jinja2
import pytest

from alerts.templating import country_name, make_environment, place_name
from store.records import Place


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("SDN", "Sudan"),
        ("ETH", "Ethiopia"),
        ("COD", "Democratic Republic of the Congo"),
        ("SYR", "Syria"),
        ("IRN", "Iran"),
        ("PSE", "Palestine"),
        ("af", "Afghanistan"),
        ("XYZ", "XYZ"),
        ("", ""),
    ],
)
def test_templating_country_name(code: str, name: str) -> None:
    assert country_name(code) == name


def test_templating_place_name_forms() -> None:
    assert place_name(Place("ETH", "Tigray")) == "Tigray (Ethiopia)"
    assert place_name(Place("SDN")) == "Sudan"
    assert place_name(("ETH", "Tigray")) == "Tigray (Ethiopia)"
    assert place_name(("SDN", None)) == "Sudan"
    assert place_name("SDN") == "Sudan"


def test_templating_date_filters() -> None:
    env = make_environment()
    east_africa = timezone(timedelta(hours=3))
    render = env.from_string("{{ a|date }} | {{ b|datetime }} | {{ c|date }} | {{ d|datetime }}")
    text = render.render(
        a=date(2026, 11, 10),
        b=datetime(2026, 11, 10, 13, 30, tzinfo=east_africa),
        c=None,
        d=datetime(2026, 1, 2, 8, 5),
    )

    assert text == (
        "10 November 2026 | 10 November 2026, 10:30 UTC | date unknown | 2 January 2026, 08:05 UTC"
    )


def test_templating_escapes_html_templates_only() -> None:
    env = make_environment()
    loader = jinja2.DictLoader({"x.html.j2": "{{ v }}", "x.txt.j2": "{{ v }}"})
    env.loader = loader

    assert env.get_template("x.html.j2").render(v="<b>") == "&lt;b&gt;"
    assert env.get_template("x.txt.j2").render(v="<b>") == "<b>"


def test_templating_undefined_is_an_error() -> None:
    with pytest.raises(jinja2.UndefinedError):
        make_environment().from_string("{{ missing }}").render()


def test_templating_translation_hook_is_installed() -> None:
    template = make_environment().from_string(
        "{% trans %}Hello{% endtrans %} {{ _('%(n)s sources', n=2) }}"
    )

    assert template.render() == "Hello 2 sources"


def test_templating_unknown_language_falls_back_to_english() -> None:
    env = make_environment("xx-nowhere")

    text = env.from_string("{{ d|date }}").render(d=datetime(2026, 3, 1, tzinfo=UTC))

    assert text == "1 March 2026"
