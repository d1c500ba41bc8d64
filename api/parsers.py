"""Request bodies without NUL characters: PostgreSQL stores no text holding
one, so a body carrying one is refused as unparseable (400), never left to
fail in the database (500). helpdesk.middleware does the same for the path,
the query string and plain forms."""

from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, MultiValueDict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.lists())
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class _RefuseNul:
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        data = getattr(parsed, "data", parsed)
        files = getattr(parsed, "files", None)
        if _has_nul(data) or (files and _has_nul(list(files.keys()))):
            raise ParseError(_("Text may not contain NUL characters."))
        return parsed


class JSONParser(_RefuseNul, parsers.JSONParser):
    pass


class FormParser(_RefuseNul, parsers.FormParser):
    pass


class MultiPartParser(_RefuseNul, parsers.MultiPartParser):
    pass
