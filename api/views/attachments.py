"""A ticket's files over REST: listed and uploaded through the ticket's
access path (`Ticket.objects.visible_to`), uploads checked as the web form
checks them (tickets/uploads.py) and stored by the same verb as the agent's
"Files" tab, downloads served by the web's own guarded function."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics, renderers, serializers, status
from rest_framework.response import Response

from tickets import services, workspace
from tickets.models import Attachment
from tickets.permissions import IsAgent, SeesInternalNotes
from tickets.uploads import SizeLimitUploadHandler
from tickets.views.attachments import serve_attachment

from ..errors import Error412Response
from ..parsers import MultiPartParser
from ..serializers import AttachmentSerializer, UploadSerializer
from .tickets import (
    ETAG,
    IF_MATCH,
    Oldest,
    ThrottledFirst,
    etag,
    if_match,
    service_refusals,
    ticket_for,
)


class UploadedSerializer(serializers.Serializer):
    message = serializers.IntegerField(
        help_text=_lazy("The internal note the files were added with.")
    )
    attachments = AttachmentSerializer(many=True)


@extend_validation_errors(
    ["required", "invalid", "empty", "not_a_list", "no_name"],
    field_name="files",
    methods=["post"],
)
@service_refusals("post")
class TicketAttachments(ThrottledFirst, generics.ListAPIView):
    """A ticket's files, oldest first (internal ones too, but not for a
    customer-facing integration); POST adds files to it, as the agent's
    "Files" tab does (403 for a customer-facing integration)."""

    permission_classes = [IsAgent]
    serializer_class = AttachmentSerializer
    pagination_class = Oldest
    # Files come as multipart/form-data, as from the web's form.
    parser_classes = [MultiPartParser]

    def initialize_request(self, request, *args, **kwargs):
        # Cap each file while it streams, before anything reads the body
        # (tickets/uploads.py): a file over the limit is refused with a
        # message, never stored whole first.
        if request.method == "POST":
            request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
        return super().initialize_request(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Attachment.objects.none()
        ticket = ticket_for(self.request, self.kwargs["number"])
        return (
            Attachment.objects.visible_to(self.request.user)
            .filter(message__ticket=ticket)
            .select_related("message")
        )

    @extend_schema(
        request=UploadSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={201: UploadedSerializer, 412: Error412Response},
    )
    def post(self, request, number):
        # Files are kept on an internal note: a customer-facing integration
        # writes none.
        if not SeesInternalNotes().has_permission(request, self):
            self.permission_denied(request, message=SeesInternalNotes.message)
        ticket = ticket_for(request, number)
        seen = if_match(request, required=False)
        serializer = UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        def add():
            # The web's upload (tickets/views/ticket.py, ticket_upload).
            return services.add_note(
                ticket,
                body_text=data.get("body_text") or _("Files added."),
                attachments=data["files"],
                by=request.user,
            )

        if seen is None:
            message = add()
        else:
            with services.unchanged_since(ticket, seen=seen):
                message = add()
        workspace.forget_counts(request.user)
        stored = {
            "message": message.pk,
            "attachments": message.attachments.select_related("message"),
        }
        return Response(
            UploadedSerializer(stored).data,
            status=status.HTTP_201_CREATED,
            headers={"ETag": etag(ticket)},
        )


class FileRenderer(renderers.BaseRenderer):
    """A download's own bytes; errors stay JSON (the renderer before it)."""

    media_type = "application/octet-stream"
    format = "bin"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return renderers.JSONRenderer().render(data)


class AttachmentDownload(ThrottledFirst, generics.GenericAPIView):
    """One file, as a download that never renders in the browser, if the
    caller may see its ticket (and, for an internal file, is staff)."""

    permission_classes = [IsAgent]
    renderer_classes = [renderers.JSONRenderer, FileRenderer]
    serializer_class = None

    def get_queryset(self):
        return Attachment.objects.visible_to(self.request.user)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description=_lazy("The file's bytes.")
            )
        },
    )
    def get(self, request, pk):
        attachment = generics.get_object_or_404(self.get_queryset(), pk=pk)
        # The web's download (tickets/views/attachments.py): the same headers.
        return serve_attachment(attachment)
