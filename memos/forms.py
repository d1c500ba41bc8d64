from django import forms
from django.utils.translation import gettext_lazy as _

from helpdesk.labels import LocalizedChoiceField
from tickets import reference
from tickets.models import Queue, Ticket


class MemoForm(forms.Form):
    """A memo to another queue about this ticket."""

    to_queue = LocalizedChoiceField(
        label=_("Memo to"), queryset=Queue.objects.none(), empty_label=_("Choose…")
    )
    body_text = forms.CharField(
        label=_("Memo"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )

    def __init__(self, *args, ticket: Ticket, **kwargs):
        super().__init__(*args, **kwargs)
        # The ticket's own queue answers through notes, not memos.
        self.fields["to_queue"].queryset = Queue.objects.exclude(pk=ticket.queue_id)
        others = [queue for queue in reference.queues() if queue.pk != ticket.queue_id]
        reference.offer(self.fields["to_queue"], others)


class AnswerForm(forms.Form):
    body_text = forms.CharField(
        label=_("Answer"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )


class MemoListForm(forms.Form):
    TABS = [
        ("open", _("Awaiting our answer")),
        ("answered", _("Answered by us")),
        ("sent", _("Sent by us")),
    ]
    tab = forms.ChoiceField(choices=TABS, required=False)
