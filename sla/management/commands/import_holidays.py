from django.core.management.base import BaseCommand, CommandError

from sla.models import BusinessCalendar
from sla.services import import_holidays


class Command(BaseCommand):
    help = (
        "Import a country's public holidays into a business calendar for a range "
        "of years. Hand-entered holidays are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("calendar", help="the calendar's name")
        parser.add_argument(
            "years", nargs="+", help="years such as 2026 2027, or a range 2026-2030"
        )
        parser.add_argument(
            "--country",
            default="",
            help="ISO country code (SA, EG, AE, JO, GB…); default: the calendar's",
        )

    def handle(self, *args, calendar, years, country, **options):
        try:
            chosen = BusinessCalendar.objects.get(name=calendar)
        except BusinessCalendar.DoesNotExist:
            names = ", ".join(BusinessCalendar.objects.values_list("name", flat=True))
            raise CommandError(
                f"No calendar named {calendar!r}. Calendars: {names or 'none'}."
            ) from None
        if not (country or chosen.country):
            raise CommandError("Give --country: the calendar has no country set.")
        try:
            result = import_holidays(
                chosen, years=_years(years), country=country or chosen.country
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{chosen.name}: {result}.")


def _years(values: list[str]) -> list[int]:
    years = []
    for value in values:
        first, _, last = value.partition("-")
        try:
            start, end = int(first), int(last or first)
        except ValueError:
            raise CommandError(
                f"{value!r} is not a year or a range of years."
            ) from None
        if not (1900 <= start <= end <= 2200) or end - start > 50:
            raise CommandError(f"{value!r} is not a sensible range of years.")
        years.extend(range(start, end + 1))
    return years
