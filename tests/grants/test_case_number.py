from grants.models import GrantApplication
from grants.selectors import case_number_query
from tests.factories import GrantApplicationFactory as make_application


def test_a_case_is_found_by_the_number_officers_and_letters_call_it(db):
    case = make_application()
    other = make_application()
    number = case.case_number
    assert number == f"{case.submitted_at:%Y}-{case.pk:04d}"
    assert list(GrantApplication.objects.filter(case_number_query(number))) == [case]
    unpadded = f"{case.submitted_at:%Y}-{case.pk}"
    assert list(GrantApplication.objects.filter(case_number_query(unpadded))) == [case]
    wrong_year = f"{case.submitted_at.year - 1}-{case.pk:04d}"
    assert not GrantApplication.objects.filter(case_number_query(wrong_year)).exists()
    assert other.case_number != number
    assert case_number_query("Jensen") is None
    assert case_number_query("12-34") is None
