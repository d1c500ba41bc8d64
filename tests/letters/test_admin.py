"""Supervisors keep the letter templates in the admin; agents do not."""

import re

import pytest
from django.urls import reverse

from letters.models import LetterTemplate

pytestmark = pytest.mark.django_db
LIST = reverse("admin:letters_lettertemplate_changelist")


def change_url(template):
    return reverse("admin:letters_lettertemplate_change", args=[template.pk])


def form(template, **fields):
    return {
        "kind": template.kind,
        "language": template.language,
        "title": template.title,
        "body": template.body,
        "needs_approval": "on" if template.needs_approval else "",
        "is_active": "on",
        **fields,
    }


@pytest.fixture
def rejection():
    return LetterTemplate.objects.get(kind="rejection", language="en")


def test_a_supervisor_rewords_a_template_and_is_recorded(
    supervisor, supervisor_client, rejection
):
    body = rejection.body.replace("We regret that", "Unfortunately")

    response = supervisor_client.post(change_url(rejection), form(rejection, body=body))

    assert response.status_code == 302
    rejection.refresh_from_db()
    assert "Unfortunately" in rejection.body
    assert rejection.updated_by == supervisor


def test_an_unknown_placeholder_is_refused_on_the_form(supervisor_client, rejection):
    body = rejection.body + "\n{{ invoice_number }}"

    response = supervisor_client.post(change_url(rejection), form(rejection, body=body))

    assert response.status_code == 200
    assert "Unknown placeholder {{ invoice_number }}" in response.text
    assert "{{ appeal_route }}" in response.text
    rejection.refresh_from_db()
    assert "invoice_number" not in rejection.body


def test_a_malformed_placeholder_is_refused_on_the_form(supervisor_client, rejection):
    body = "Dear {{ customer_name },"

    response = supervisor_client.post(change_url(rejection), form(rejection, body=body))

    assert response.status_code == 200
    assert "Unbalanced braces near" in response.text


def test_the_page_previews_the_letter_filled_with_sample_values(supervisor_client):
    template = LetterTemplate.objects.get(kind="rejection", language="ar")

    page = supervisor_client.get(change_url(template)).text

    assert 'dir="rtl"' in page
    assert "السادة/ أحمد العتيبي المحترمين" in page
    assert "HD-2026-000123" in page
    assert "30 نوفمبر 2026م الموافق 20 جمادى الآخرة 1448هـ" in page
    assert "لجنة التظلمات" in page


def test_the_list_filters_by_kind_language_and_active(supervisor_client):
    page = supervisor_client.get(LIST, {"kind": "apology", "language": "ar"}).text

    assert "اعتذار" in page
    assert "Our apology" not in page
    assert supervisor_client.get(LIST, {"is_active__exact": "0"}).status_code == 200


def test_a_new_rejection_needs_approval_by_default(supervisor_client):
    add = reverse("admin:letters_lettertemplate_add")

    page = supervisor_client.get(add, {"kind": "rejection"}).text

    (checkbox,) = re.findall(r'<input[^>]*name="needs_approval"[^>]*>', page)
    assert "checked" in checkbox


def test_agents_cannot_edit_templates(agent_client, rejection):
    assert agent_client.get(change_url(rejection)).status_code == 302
    response = agent_client.post(
        change_url(rejection), form(rejection, body="Dear {{ customer_name }}")
    )
    assert response.status_code == 302
    rejection.refresh_from_db()
    assert rejection.body != "Dear {{ customer_name }}"


def test_supervisors_may_not_delete_a_template(supervisor_client, rejection):
    delete = reverse("admin:letters_lettertemplate_delete", args=[rejection.pk])

    assert supervisor_client.post(delete, {"post": "yes"}).status_code == 403
    assert LetterTemplate.objects.filter(pk=rejection.pk).exists()


def test_a_supervisor_sees_a_sample_of_the_template_as_a_pdf(supervisor_client):
    template = LetterTemplate.objects.get(kind="rejection", language="ar")
    page = supervisor_client.get(change_url(template)).text
    url = reverse("admin:letters_lettertemplate_pdf", args=[template.pk])

    response = supervisor_client.get(url)

    assert f'href="{url}"' in page
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_agents_and_missing_templates_get_no_sample_pdf(
    agent_client, supervisor_client, rejection
):
    url = reverse("admin:letters_lettertemplate_pdf", args=[rejection.pk])
    missing = reverse("admin:letters_lettertemplate_pdf", args=[999999])

    assert agent_client.get(url).status_code == 302
    assert supervisor_client.get(missing).status_code == 404
