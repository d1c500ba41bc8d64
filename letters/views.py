"""The letter editor on a ticket, its A4 preview and PDF, and the
supervisors' list of letters awaiting approval."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from tickets.models import Ticket
from tickets.permissions import agent_required, supervisor_required

from . import services
from .forms import DeliveryForm, DispatchForm, LetterForm, NewLetterForm, ReturnForm
from .models import Letter
from .pdf import letter_html, letter_pdf


def _letter(request, number: str, pk: int) -> Letter:
    """The letter, reached through the tickets the user may see (404 else)."""
    return get_object_or_404(
        Letter.objects.visible_to(request.user).select_related(
            "ticket__customer",
            "ticket__queue",
            "written_by",
            "approved_by",
            "dispatched_by",
            "register_entry",
            "pdf",
            "delivery_scan",
        ),
        ticket__number=number,
        pk=pk,
    )


def _render_editor(request, letter: Letter, *, bound=None, refusal=(), status=200):
    forms = {
        "edit": LetterForm(instance=letter) if letter.is_editable else None,
        "dispatch": DispatchForm(),
        "delivery": DeliveryForm(),
        "return": ReturnForm(),
    }
    if bound:
        forms[bound[0]] = bound[1]
    context = {
        "letter": letter,
        "ticket": letter.ticket,
        "forms": forms,
        "may_approve": services.may_approve(letter, request.user),
        "unfilled": services.unfilled(letter.body),
        "refusal": refusal,
    }
    return render(request, "letters/letter_editor.html", context, status=status)


def _run(request, letter: Letter, name: str, form, action, done: str):
    """Call `action` if `form` is valid; show the editor again with what went
    wrong otherwise: the form's errors beside it, a refusal at the top."""
    refusal = ()
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as error:
            refusal = error.messages
        else:
            messages.success(request, done)
            if request.POST.get("next") == "approvals":
                return redirect("letters:approvals")
            return redirect(letter)
    letter.refresh_from_db()
    return _render_editor(
        request, letter, bound=(name, form), refusal=refusal, status=400
    )


@agent_required
@require_POST
def letter_new(request, number):
    ticket = get_object_or_404(Ticket.objects.visible_to(request.user), number=number)
    form = NewLetterForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(ticket)
    try:
        letter = services.start_letter(
            ticket, form.cleaned_data["template"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(ticket)
    return redirect(letter)


@agent_required
def letter_edit(request, number, pk):
    letter = _letter(request, number, pk)
    if request.method != "POST":
        return _render_editor(request, letter)
    form = LetterForm(request.POST, instance=letter)
    submitting = request.POST.get("action") == "submit"

    def save(data):
        saved = services.save_letter(letter, by=request.user, **data)
        if submitting:
            services.submit_for_approval(saved, by=request.user)

    done = _("Letter sent for approval.") if submitting else _("Letter saved.")
    # A ModelForm changes its instance while validating: keep a clean copy.
    original = Letter.objects.get(pk=letter.pk)
    original.ticket = letter.ticket
    return _run(request, original, "edit", form, save, done)


@agent_required
@require_POST
def letter_dispatch(request, number, pk):
    letter = _letter(request, number, pk)

    def dispatch(data):
        services.dispatch(letter, method=data["method"], by=request.user)

    form = DispatchForm(request.POST)
    return _run(request, letter, "dispatch", form, dispatch, _("Letter dispatched."))


@agent_required
@require_POST
def letter_delivery(request, number, pk):
    letter = _letter(request, number, pk)

    def deliver(data):
        services.record_delivery(
            letter,
            delivered_at=data["delivered_at"],
            proof=data["proof"],
            scan=data["scan"],
            by=request.user,
        )

    form = DeliveryForm(request.POST, request.FILES)
    return _run(request, letter, "delivery", form, deliver, _("Delivery recorded."))


@supervisor_required
@require_POST
def letter_approve(request, number, pk):
    letter = _letter(request, number, pk)
    # Someone who may not decide gets PermissionDenied, a 403.
    try:
        services.approve(letter, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Letter approved."))
    if request.POST.get("next") == "approvals":
        return redirect("letters:approvals")
    return redirect(letter)


@supervisor_required
@require_POST
def letter_return(request, number, pk):
    letter = _letter(request, number, pk)

    def send_back(data):
        services.return_letter(letter, comment=data["comment"], by=request.user)

    form = ReturnForm(request.POST)
    return _run(request, letter, "return", form, send_back, _("Letter returned."))


@agent_required
@xframe_options_sameorigin
def letter_preview(request, number, pk):
    """The letter's A4 page as HTML, for the editor's preview frame: as saved,
    or (POST from the editor) as the writer has it now, saving nothing."""
    letter = _letter(request, number, pk)
    draft = letter.status != Letter.Status.DISPATCHED
    if request.method == "POST" and letter.is_editable:
        form = LetterForm(request.POST, instance=letter)
        form.is_valid()  # fills the unsaved instance with what was typed
    return HttpResponse(letter_html(services.letter_page(letter, draft=draft)))


@agent_required
def letter_download(request, number, pk):
    """The dispatched letter's archived PDF, or a draft's rendered now."""
    letter = _letter(request, number, pk)
    if letter.pdf_id:
        return redirect(letter.pdf.get_absolute_url())
    pdf = letter_pdf(services.letter_page(letter, draft=True))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="letter-{letter.pk}.pdf"'
    return response


@supervisor_required
def approval_list(request):
    letters = (
        Letter.objects.awaiting_approval_by(request.user)
        .exclude(written_by=request.user)
        .select_related("ticket__queue", "ticket__customer", "written_by")
        .order_by("updated_at", "id")
    )
    return render(request, "letters/approval_list.html", {"letters": letters})
