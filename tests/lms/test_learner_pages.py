"""The trainee's pages: my courses, the course page's enrol/continue, certificates and
their public verification."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from lms import services
from lms.models import Certificate, Enrolment, ModuleProgress
from tests.factories import make_catalogue, make_home
from tests.lms.learning import make_course_with_modules, make_trainee
from tests.lms.pdf_text import pdf_text_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee():
    return make_trainee()


@pytest.fixture
def signed_in(client, trainee):
    client.force_login(trainee)
    return client


def complete(trainee, modules):
    """Viewing is enough under the "viewed" rule."""
    for module in modules:
        services.record_module_viewed(trainee, module)


def test_my_courses_needs_sign_in(client):
    response = client.get("/pl/my-courses/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_courses_lists_progress_continue_and_certificates(signed_in, trainee):
    catalogue = make_catalogue(make_home())
    started, (first, *_) = make_course_with_modules(3, catalogue=catalogue)
    done, done_modules = make_course_with_modules(
        2, catalogue=catalogue, title="Przemyt", completion_rule="viewed"
    )
    services.record_module_viewed(trainee, first)  # default rule: the quiz is still due
    complete(trainee, done_modules)

    response = signed_in.get("/pl/my-courses/")

    html = response.content.decode()
    in_progress, completed = html.split('id="completed"')
    assert started.title in in_progress and "0 %" in in_progress
    assert f'href="{first.url}"' in in_progress  # the first module not done yet
    assert done.title in completed and "100 %" in completed
    certificate = Certificate.objects.get(course=done)
    assert f"/pl/my-courses/certificates/{certificate.code}.pdf" in completed
    assert 'aria-current="page">Moje kursy</a>' in html


def test_my_courses_takes_the_same_queries_for_one_course_or_three(signed_in, trainee):
    catalogue = make_catalogue(make_home())
    courses = [
        make_course_with_modules(modules, catalogue=catalogue, completion_rule="viewed")
        for modules in (1, 2, 3)
    ]

    def queries_with(enrolled: int) -> int:
        for _, modules in courses[:enrolled]:
            complete(trainee, modules[:1])
        # Each one also assigned, one overdue: due dates and sorting take no queries.
        Enrolment.objects.filter(user=trainee).update(source="assigned", due_date="2020-03-03")
        signed_in.get("/pl/my-courses/")  # warm per-process caches (content types, sites)
        with CaptureQueriesContext(connection) as queries:
            response = signed_in.get("/pl/my-courses/")
        dashboard = response.context["dashboard"]
        assert len(dashboard.in_progress) + len(dashboard.completed) == enrolled
        assert all(item.is_overdue for item in dashboard.in_progress)
        return len(queries)

    assert queries_with(1) == queries_with(3)


def test_the_course_page_offers_enrolment_then_continue(signed_in, trainee):
    course, (first, second) = make_course_with_modules(2, completion_rule="viewed")

    page = signed_in.get(course.url).content.decode()
    assert "Zapisz się na kurs" in page

    response = signed_in.post(reverse("learner:enrol", args=[course.pk]))
    assert response.status_code == 302 and response["Location"] == course.url
    assert Enrolment.objects.filter(user=trainee, course=course).exists()

    signed_in.get(first.url)  # viewing completes a module under the "viewed" rule
    page = signed_in.get(course.url).content.decode()
    assert "Kontynuuj kurs" in page and f'href="{second.url}"' in page
    assert "Ukończone" in page and "1 z 2" in page


def test_visitors_see_the_plain_course_page(client):
    course, _ = make_course_with_modules(1)
    page = client.get(course.url).content.decode()
    assert "Rozpocznij kurs" in page and "Zapisz się" not in page
    assert client.post(reverse("learner:enrol", args=[course.pk])).status_code == 302
    assert not Enrolment.objects.exists()


def test_previews_do_not_record_views(client):
    _, (module,) = make_course_with_modules(1)
    client.force_login(make_trainee("redaktor", is_superuser=True, is_staff=True))
    assert client.get(f"/admin/pages/{module.pk}/view_draft/").status_code == 200
    assert not Enrolment.objects.exists() and not ModuleProgress.objects.exists()


def test_a_module_the_trainee_may_not_read_is_not_recorded(signed_in):
    course, (module,) = make_course_with_modules(1)
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Instruktorzy"))

    assert signed_in.get(module.url).status_code == 302  # to sign in as someone allowed
    assert not ModuleProgress.objects.exists()


@pytest.fixture
def certificate(trainee):
    _, modules = make_course_with_modules(1, completion_rule="viewed", title="Handel ludźmi")
    complete(trainee, modules)
    return Certificate.objects.get()


def test_the_holder_downloads_the_certificate_in_its_language(signed_in, certificate):
    response = signed_in.get(f"/en/my-courses/certificates/{certificate.code}.pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF") and b"DejaVuSans" in pdf
    lines = pdf_text_lines(pdf)
    assert "Zażółć Gęślą-Jaźń" in lines and "Handel ludźmi" in lines
    assert "Zaświadczenie o ukończeniu szkolenia" in lines  # the certificate's language: Polish
    assert f"Kod weryfikacyjny: {certificate.code}" in lines
    assert any(f"/pl/certificates/{certificate.code}/" in line for line in lines)


def test_nobody_else_downloads_a_certificate(client, certificate):
    client.force_login(make_trainee("inny"))
    assert client.get(f"/pl/my-courses/certificates/{certificate.code}.pdf").status_code == 404


@pytest.mark.parametrize("typed", ["{code}", "{lower}", "{bare}"])
def test_anyone_can_verify_a_certificate_by_its_code(client, certificate, typed):
    code = typed.format(
        code=certificate.code,
        lower=certificate.code.lower(),
        bare=certificate.code.replace("-", ""),
    )
    response = client.get(f"/pl/certificates/{code}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Zażółć Gęślą-Jaźń" in html and "Handel ludźmi" in html
    assert response.context["certificate"] == certificate
    assert "kursant" not in html and "@" not in html.split("<main")[1]  # no account details


def test_an_unknown_code_is_not_found(client, certificate):
    response = client.get("/pl/certificates/AAAA-BBBB-CCCC/")
    assert response.status_code == 404
    assert "AAAA-BBBB-CCCC" in response.content.decode()
    assert "Zażółć" not in response.content.decode()
