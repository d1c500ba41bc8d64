"""The letters shipped with the product, and the rules a template keeps."""

import pytest
from django.core.exceptions import ValidationError

from letters import placeholders
from letters.models import LetterTemplate

pytestmark = pytest.mark.django_db


def test_every_kind_is_shipped_in_arabic_and_english():
    shipped = set(
        LetterTemplate.objects.filter(is_active=True).values_list("kind", "language")
    )

    assert shipped == {
        (kind, language)
        for kind in LetterTemplate.Kind.values
        for language in ["ar", "en"]
    }


@pytest.mark.parametrize("template_id", range(14))
def test_a_shipped_template_validates_and_renders_with_nothing_left(template_id):
    template = LetterTemplate.objects.order_by("kind", "language")[template_id]
    template.full_clean()

    letter = template.render(placeholders.sample_context(template.language))

    assert "{{" not in letter and "}}" not in letter
    greeting = "السادة/" if template.language == "ar" else "Dear "
    closing = "وتفضلوا بقبول" if template.language == "ar" else "Yours sincerely"
    assert letter.startswith(greeting)
    assert closing in letter
    assert letter.rstrip().endswith(
        placeholders.sample_context(template.language)["department"]
    )


def test_refusals_give_reasons_and_the_route_of_appeal_and_need_approval():
    for kind in ["rejection", "decision"]:
        for template in LetterTemplate.objects.filter(kind=kind):
            assert "{{ reasons }}" in template.body
            assert "{{ appeal_route }}" in template.body
            assert template.needs_approval

    assert not LetterTemplate.objects.filter(
        kind="acknowledgement", needs_approval=True
    ).exists()


def test_promises_carry_a_date():
    for kind in ["acknowledgement", "more_information", "follow_up"]:
        for template in LetterTemplate.objects.filter(kind=kind):
            assert "{{ due_on }}" in template.body


def test_one_active_template_per_kind_and_language():
    twin = LetterTemplate(
        kind="apology", language="en", title="Sorry", body="Dear {{ customer_name }}"
    )

    with pytest.raises(ValidationError) as error:
        twin.full_clean()

    assert "already an active template of this kind" in str(error.value)
    twin.is_active = False
    twin.full_clean()
