"""The `brief` command: the briefing sheet of a country or area, as PDF or HTML."""

from __future__ import annotations

from pathlib import Path

import click

from cli.common import common_options, country_code, handle_errors, main, opened_runtime


@main.command()
@common_options
@click.argument("country")
@click.option("--area", default=None, help="An area of the country, e.g. Tigray.")
@click.option(
    "--format", "fmt", type=click.Choice(["pdf", "html"]), default="pdf", show_default=True
)
@click.option(
    "--language", default="en", show_default=True, help="Language of the sheet: en, fr, ar ..."
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Output file (default: in the briefings folder).",
)
@handle_errors
def brief(
    config_file: Path | None,
    verbose: bool,
    country: str,
    area: str | None,
    fmt: str,
    language: str,
    out: Path | None,
) -> None:
    """Write the briefing sheet for a country (or one area of it).

    Example: returnwatch brief SDN --format pdf --out sudan.pdf
    """
    from alerts import briefing
    from alerts.templating import make_environment
    from store.db import transaction

    code = country_code(country)
    with (
        opened_runtime(config_file, verbose, progress=False) as rt,
        transaction(rt.factory) as session,
    ):
        settings = rt.settings
        sheet = briefing.gather_briefing(
            session, code, area, settings, language=language, record_edition=True
        )
    html = briefing.render_briefing_html(sheet, make_environment(language))
    slug = f"{code}-{_slug(area)}" if area else code
    target = out or settings.briefings_dir / f"{slug}.{fmt}"
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        target.write_text(html, encoding="utf-8")
    else:
        target.write_bytes(briefing.render_pdf(html, base_url=str(target.parent)))
    click.echo(str(target))


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")
