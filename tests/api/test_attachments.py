"""A ticket's files through the API: uploaded with the web form's limits and
checks, listed, and downloaded through the web's guarded path."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tickets import services
from tickets.models import Message

from ..factories import make_ticket

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 a scanned letter"


def _url(ticket):
    return reverse("api:ticket-attachments", args=[ticket.number])


def _upload(client, ticket, *files, **fields):
    return client.post(_url(ticket), {"files": list(files), **fields})


def _pdf(name="letter.pdf", content=PDF):
    return SimpleUploadedFile(name, content)


def test_an_integration_adds_a_scanned_letter_and_reads_it_back(
    agent_api, agent, alice, queue
):
    ticket = make_ticket(alice, queue)

    response = _upload(agent_api, ticket, _pdf(), body_text="The signed form.")

    assert response.status_code == 201
    [stored] = response.json()["attachments"]
    message = Message.objects.get(pk=response.json()["message"])
    assert message.direction == Message.Direction.INTERNAL
    assert message.body_text == "The signed form."
    assert message.author == agent
    assert stored["name"] == "letter.pdf"
    assert stored["content_type"] == "application/pdf"
    assert stored["sha256"] == hashlib.sha256(PDF).hexdigest()
    listed = agent_api.get(_url(ticket)).json()["results"]
    assert [a["id"] for a in listed] == [stored["id"]]
    download = agent_api.get(stored["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_files_without_a_description_are_noted_as_files_added(agent_api, alice, queue):
    ticket = make_ticket(alice, queue)

    response = _upload(agent_api, ticket, _pdf())

    assert Message.objects.get(pk=response.json()["message"]).body_text == (
        "Files added."
    )


@pytest.mark.parametrize(
    ("files", "limits", "says"),
    [
        (
            [_pdf(content=b"%PDF-1.4" + b"x" * 2000)],
            {"ATTACHMENT_MAX_BYTES": 1000},
            "too large",
        ),
        (
            [_pdf(name="run.pdf", content=b"MZ\x90\x00\x03" + b"\x00" * 60)],
            {},
            "named like a",
        ),
        (
            [_pdf(name="tool.exe", content=b"MZ\x90\x00\x03" + b"\x00" * 60)],
            {},
            "not a kind of file we accept",
        ),
        (
            [_pdf(), _pdf(name="other.pdf")],
            {"ATTACHMENT_MAX_COUNT": 1},
            "at most 1 files",
        ),
    ],
    ids=["too large", "pretends to be a PDF", "a program", "too many"],
)
def test_a_file_the_web_form_refuses_is_refused_with_its_message(
    agent_api, alice, queue, settings, files, limits, says
):
    for name, value in limits.items():
        setattr(settings, name, value)
    ticket = make_ticket(alice, queue)

    response = _upload(agent_api, ticket, *files)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["attr"] == "files"
    assert says in error["detail"]
    assert not ticket.messages.filter(direction="internal").exists()


def test_a_post_without_files_or_as_json_is_a_4xx_in_json(agent_api, alice, queue):
    ticket = make_ticket(alice, queue)

    empty = agent_api.post(_url(ticket), {"body_text": "Nothing attached"})
    as_json = agent_api.post(
        _url(ticket), {"files": "x"}, content_type="application/json"
    )

    assert empty.status_code == 400
    assert empty.json()["errors"][0]["attr"] == "files"
    assert as_json.status_code == 415
    assert as_json.json()["errors"][0]["code"] == "unsupported_media_type"


def test_another_queues_file_is_not_found_and_a_word_is_no_id(
    other_agent_api, agent_api, alice, queue, agent
):
    ticket = make_ticket(alice, queue)
    message = services.add_note(
        ticket, body_text="Scan", attachments=[_pdf()], by=agent
    )
    url = reverse("api:attachment-download", args=[message.attachments.get().pk])

    response = other_agent_api.get(url)
    word = agent_api.get("/api/v1/attachments/first/")
    huge = agent_api.get("/api/v1/attachments/99999999999999999999/")

    assert response.status_code == word.status_code == huge.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert word.json()["errors"][0]["code"] == "not_found"


@pytest.mark.parametrize("files", [1, 5])
def test_listing_files_costs_the_same_queries_whatever_their_number(
    agent_api, agent, alice, queue, files, django_assert_num_queries
):
    ticket = make_ticket(alice, queue)
    for n in range(files):
        services.add_note(
            ticket, body_text="Scan", attachments=[_pdf(f"{n}.pdf")], by=agent
        )
    agent_api.get(_url(ticket))

    # The token with its user's groups, the ticket, the files with their notes.
    with django_assert_num_queries(3):
        response = agent_api.get(_url(ticket))

    assert len(response.json()["results"]) == files


def test_the_browser_uploads_with_its_session_too(agent_client, alice, queue):
    ticket = make_ticket(alice, queue)

    response = _upload(agent_client, ticket, _pdf())

    assert response.status_code == 201
    assert ticket.messages.filter(attachments__original_name="letter.pdf").exists()
