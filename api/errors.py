"""One JSON shape for every error (drf-standardized-errors):

    {"type": "validation_error", "errors": [{"code": ..., "detail": ..., "attr": ...}]}

The ticket services refuse with Django's ValidationError (a closed ticket,
an agent of another queue): those become 400s with their message, and a
ticket changed since the caller's ETag becomes 412, never a 500.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_standardized_errors.handler import ExceptionHandler
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.settings import api_settings

from tickets.services import TicketChanged


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "The ticket has changed since you read it: read it again, then repeat "
        "your change with its new ETag in If-Match."
    )
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _(
        "Send the ticket's ETag (from reading it) in an If-Match header, so "
        "no newer change is overwritten."
    )
    default_code = "precondition_required"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


# The codes of the ticket services' refusals the schema lists (api.views);
# any other refusal is answered as "invalid", with its message.
SERVICE_CODES = ("invalid", "invalid_transition", "closed")


def service_refusal(error: DjangoValidationError) -> exceptions.ValidationError:
    """A service's refusal as a 400 whose errors are not tied to one field."""
    if hasattr(error, "error_dict"):
        errors = [e for field in error.error_dict.values() for e in field]
    else:
        errors = error.error_list
    details = [
        ErrorDetail(
            str(e.message) % e.params if e.params else str(e.message),
            code=e.code if e.code in SERVICE_CODES else "invalid",
        )
        for e in errors
    ]
    return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: details})


class ApiExceptionHandler(ExceptionHandler):
    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, DjangoValidationError):
            return service_refusal(exc)
        if isinstance(exc, DjangoPermissionDenied) and exc.args:
            # A service's refusal says why (only a supervisor changes a
            # customer's tier); Django's bare 403 would not.
            return exceptions.PermissionDenied(str(exc))
        if isinstance(exc, TicketChanged):
            return PreconditionFailed()
        return super().convert_known_exceptions(exc)


def _client_error(status_code: int, codes: list[str]):
    """The schema of a client error answered with one of `codes`."""

    class Error(serializers.Serializer):
        code = serializers.ChoiceField(choices=codes)
        detail = serializers.CharField()
        attr = serializers.CharField(allow_null=True)

    class ErrorResponse(serializers.Serializer):
        type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
        errors = Error(many=True)

    Error.__name__ = f"Error{status_code}"
    ErrorResponse.__name__ = f"ErrorResponse{status_code}"
    return ErrorResponse


Error409Response = _client_error(409, [Conflict.default_code])
Error412Response = _client_error(412, [PreconditionFailed.default_code])
Error428Response = _client_error(428, [PreconditionRequired.default_code])
