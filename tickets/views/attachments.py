"""Attachment downloads: only through here, only for those who may see them."""

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from ..models import Attachment, Message


def attachment_download(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
    return serve_attachment(attachment)


def tracked_attachment_download(request, token, pk):
    """A public attachment of the ticket whose private tracking link this is."""
    attachment = get_object_or_404(
        Attachment.objects.exclude(message__direction=Message.Direction.INTERNAL),
        message__ticket__tracking_token=token,
        pk=pk,
    )
    return serve_attachment(attachment)


def serve_attachment(attachment: Attachment) -> FileResponse:
    """The file as a download that never renders in the helpdesk's origin."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    # Always a download, never rendered: a customer's HTML or SVG file must not
    # run in the helpdesk's origin.
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
