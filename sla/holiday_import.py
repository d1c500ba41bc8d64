"""Public holidays of a country, from the `holidays` package, into a calendar."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import holidays
from django.db import transaction

from sla.models import BusinessCalendar, Holiday

# Countries the department asked for first; any the package knows will do.
SUGGESTED_COUNTRIES = ("SA", "EG", "AE", "JO", "GB")


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    kept: int = 0

    def __str__(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.kept} hand-entered kept"
        )


def supported_countries() -> set[str]:
    return set(holidays.list_supported_countries())


def public_holidays(country: str, years: Iterable[int]) -> dict[date, tuple[str, str]]:
    """Map each public holiday of `country` in `years` to (English, Arabic) names.

    Raises ValueError for a country the holidays package does not know."""
    country = country.upper()
    if country not in supported_countries():
        raise ValueError(f"No public holidays are known for country {country!r}.")
    years = sorted(set(years))
    languages = holidays.country_holidays(country).supported_languages

    def names(language: str | None) -> dict[date, str]:
        chosen = language if language in languages else None
        return dict(holidays.country_holidays(country, years=years, language=chosen))

    english = names("en_US") if "en_US" in languages else names("en_GB")
    arabic = names("ar") if "ar" in languages else names("ar_EG")
    return {day: (name, arabic.get(day, "")) for day, name in english.items()}


@transaction.atomic
def import_public_holidays(
    calendar: BusinessCalendar, years: Iterable[int], country: str = ""
) -> ImportResult:
    """Add or refresh the country's holidays in `calendar`; hand-entered
    holidays on the same dates are kept as they are."""
    found = public_holidays(country or calendar.country, years)
    existing = {h.date: h for h in calendar.holidays.filter(date__in=list(found))}
    result = ImportResult()
    for day, (name, name_ar) in sorted(found.items()):
        holiday = existing.get(day)
        if holiday is None:
            Holiday.objects.create(
                calendar=calendar,
                date=day,
                name=name[:200],
                name_ar=name_ar[:200],
                is_imported=True,
            )
            result.added += 1
        elif not holiday.is_imported:
            result.kept += 1
        elif (holiday.name, holiday.name_ar) != (name[:200], name_ar[:200]):
            holiday.name, holiday.name_ar = name[:200], name_ar[:200]
            holiday.save(update_fields=["name", "name_ar"])
            result.updated += 1
    return result
