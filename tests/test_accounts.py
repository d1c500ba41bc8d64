import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def login(client, username, password="pw-for-tests-1"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_customer_signs_in_with_their_email_and_lands_on_their_requests(client, alice):
    response = login(client, "ALICE@example.com")

    assert response.status_code == 302
    assert client.get(response.url, follow=True).request["PATH_INFO"] == "/support/"


def test_agent_signs_in_with_their_username_and_lands_on_the_workspace(client, agent):
    response = login(client, "agent")

    assert client.get(response.url, follow=True).request["PATH_INFO"] == "/agent/"


def test_wrong_password_shows_a_clear_message_and_keeps_the_login(client, agent):
    response = login(client, "agent", password="wrong")

    assert response.status_code == 200
    assert "Please enter a correct" in response.text
    assert 'value="agent"' in response.text


def test_repeated_login_attempts_are_throttled_with_a_friendly_page(
    client, agent, settings
):
    settings.LOGIN_RATE = "3/m"

    statuses = [login(client, "agent", password="wrong").status_code for _ in range(5)]

    assert statuses[:3] == [200, 200, 200]
    assert statuses[-1] == 429
    assert "Too many attempts" in login(client, "agent").text


def test_password_reset_sends_a_link_to_the_customers_email(client, alice, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "alice@example.com"})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["alice@example.com"]
    assert "/accounts/password/reset/" in mailoutbox[0].body


def test_password_change_page_is_for_signed_in_users(client, alice_client):
    assert client.get(reverse("password_change")).status_code == 302
    assert alice_client.get(reverse("password_change")).status_code == 200


def test_logout_is_a_post_and_ends_the_session(agent_client):
    response = agent_client.post(reverse("logout"))

    assert response.status_code == 302
    assert agent_client.get(reverse("tickets:list")).status_code == 302


def test_arabic_pages_are_right_to_left_with_the_rtl_stylesheet(client):
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})

    response = client.get(reverse("login"))

    assert '<html lang="ar" dir="rtl">' in response.text
    assert "bootstrap.rtl.min.css" in response.text
    assert "تسجيل الدخول" in response.text


def test_english_pages_are_left_to_right(client):
    response = client.get(reverse("login"))

    assert '<html lang="en" dir="ltr">' in response.text
    assert "bootstrap.min.css" in response.text
