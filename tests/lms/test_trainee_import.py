"""CSV import of trainees: the service, the management command and the admin page."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from lms.accounts import TRAINEES_GROUP, import_trainees
from lms.models import TraineeProfile
from tests.lms.units import make_units

pytestmark = pytest.mark.django_db

HEADER = "username,first_name,last_name,email,unit_code,rank,language\n"
VALID = (
    HEADER
    + "jkowalski,Jan,Kowalski,jan.kowalski@policja.gov.pl,kmp-chelm,sierżant,pl\n"
    + "onowak,Olena,Nowak,olena.nowak@policja.gov.pl,kwp-lublin,,uk\n"
)


@pytest.fixture
def units():
    return make_units()


def csv_file(text: str, *, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def test_valid_file_creates_users_with_profiles_and_unusable_passwords(units, django_user_model):
    report = import_trainees(csv_file(VALID), dry_run=False)

    assert report.ok and report.created == ["jkowalski", "onowak"] and report.updated == []
    user = django_user_model.objects.get(username="jkowalski")
    assert (user.first_name, user.last_name, user.email) == (
        "Jan",
        "Kowalski",
        "jan.kowalski@policja.gov.pl",
    )
    assert not user.has_usable_password()
    assert user.groups.filter(name=TRAINEES_GROUP).exists()
    profile = user.trainee_profile
    assert (profile.unit, profile.rank, profile.preferred_language) == (
        units["kmp-chelm"],
        "sierżant",
        "pl",
    )
    assert TraineeProfile.objects.get(user__username="onowak").preferred_language == "uk"


def test_every_bad_row_is_reported_by_line_and_nothing_is_written(units, django_user_model):
    django_user_model.objects.create_user("admin2", is_staff=True)
    text = (
        HEADER
        + "jkowalski,Jan,Kowalski,jan.kowalski@policja.gov.pl,kmp-chelm,,pl\n"  # 2: fine
        + ",Anna,Lis,anna@policja.gov.pl,kmp-chelm,,pl\n"  # 3: no username
        + "jkowalski,Jan,Kowalski,jan2@policja.gov.pl,kmp-chelm,,pl\n"  # 4: duplicate
        + "pwisniewski,Piotr,Wiśniewski,not-an-email,kwp-xyz,,de\n"  # 5: three problems
        + "admin2,A,B,a@policja.gov.pl,kgp,,en\n"  # 6: a staff account
    )

    report = import_trainees(csv_file(text), dry_run=False)

    assert [(error.line, error.field) for error in report.errors] == [
        (3, "username"),
        (4, "username"),
        (5, "email"),
        (5, "unit_code"),
        (5, "language"),
        (6, "username"),
    ]
    messages = {(error.line, error.field): error.message for error in report.errors}
    # In the site's language (Polish here).
    assert messages[(4, "username")] == "„jkowalski” występuje też w wierszu 2"
    assert messages[(5, "unit_code")] == "brak jednostki „kwp-xyz”"
    assert not django_user_model.objects.filter(username="jkowalski").exists()
    assert not TraineeProfile.objects.exists()


def test_missing_columns_are_reported_on_the_header_line(units):
    report = import_trainees(csv_file("username,email\njk,jk@policja.gov.pl\n"), dry_run=False)
    assert [(error.line, error.field) for error in report.errors] == [(1, "header")]
    assert "first_name" in report.errors[0].message


def test_dry_run_reports_and_writes_nothing(units, django_user_model):
    django_user_model.objects.create_user("onowak")

    report = import_trainees(csv_file(VALID), dry_run=True)

    assert report.ok and report.dry_run
    assert (report.created, report.updated) == (["jkowalski"], ["onowak"])
    assert not django_user_model.objects.filter(username="jkowalski").exists()
    assert not TraineeProfile.objects.exists()


def test_existing_users_are_updated(units, django_user_model):
    user = django_user_model.objects.create_user("onowak", password="x-Secret-123")

    report = import_trainees(csv_file(VALID), dry_run=False)

    assert report.updated == ["onowak"]
    user.refresh_from_db()
    assert user.first_name == "Olena" and user.has_usable_password()  # the password stays
    assert user.trainee_profile.unit == units["kwp-lublin"]
    assert user.groups.filter(name=TRAINEES_GROUP).exists()


def test_semicolons_and_byte_order_mark_as_polish_excel_writes_them(units, django_user_model):
    text = "\ufeff" + VALID.replace(",", ";")

    report = import_trainees(csv_file(text), dry_run=False)

    assert report.ok and report.created == ["jkowalski", "onowak"]
    assert django_user_model.objects.get(username="jkowalski").first_name == "Jan"


def test_a_file_that_is_not_utf8_is_refused(units):
    report = import_trainees(
        csv_file(VALID.replace("Jan", "Łucja"), encoding="cp1250"), dry_run=False
    )
    assert [(error.line, error.field) for error in report.errors] == [(1, "file")]


# --- the management command -------------------------------------------------------------


def test_command_names_file_and_line_and_fails(units, tmp_path, capsys, django_user_model):
    path = tmp_path / "trainees.csv"
    path.write_text(VALID + "pwisniewski,Piotr,Wiśniewski,p@policja.gov.pl,kwp-xyz,,pl\n")

    with pytest.raises(CommandError, match="1 error"):
        call_command("import_trainees", str(path))

    assert 'trainees.csv:4: unit_code: no unit "kwp-xyz"' in capsys.readouterr().err
    assert not django_user_model.objects.filter(username="jkowalski").exists()


def test_command_dry_run_and_import(units, tmp_path, capsys, django_user_model):
    path = tmp_path / "trainees.csv"
    path.write_text(VALID)

    call_command("import_trainees", str(path), "--dry-run")
    assert "2 trainee(s) would be created" in capsys.readouterr().out
    assert not django_user_model.objects.filter(username="jkowalski").exists()

    call_command("import_trainees", str(path))
    assert "2 trainee(s) were created" in capsys.readouterr().out
    assert django_user_model.objects.filter(username__in=["jkowalski", "onowak"]).count() == 2


def test_command_exits_non_zero_on_errors(units, tmp_path):
    import subprocess
    import sys

    from tests.lms.test_settings import PROJECT_DIR

    path = tmp_path / "trainees.csv"
    path.write_text("username\n")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_trainees", str(path), "--dry-run"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "trainees.csv:1: header: missing columns" in result.stderr


# --- the admin page ---------------------------------------------------------------------

IMPORT_URL = "/admin/trainees/import/"


def upload(client, text: str, *, dry_run: bool):
    data = {"file": SimpleUploadedFile("trainees.csv", text.encode(), "text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(IMPORT_URL, data)


def test_import_page_is_for_administrators_only(client, django_user_model):
    editor = django_user_model.objects.create_user("editor")
    editor.groups.add(Group.objects.get(name="Editors"))  # admin access, no trainee rights
    client.force_login(editor)
    assert client.get(IMPORT_URL).status_code in {302, 403}
    assert upload(client, VALID, dry_run=False).status_code in {302, 403}


def test_import_page_dry_run_then_import(units, admin_client, django_user_model):
    listing = admin_client.get(reverse("trainees:index"))
    assert IMPORT_URL in listing.content.decode()

    response = upload(admin_client, VALID, dry_run=True)
    assert response.status_code == 200
    assert "Próba: utworzono by 2 szkolonych" in response.content.decode()
    assert not django_user_model.objects.filter(username="jkowalski").exists()

    response = upload(admin_client, VALID, dry_run=False)
    assert response.status_code == 200
    assert django_user_model.objects.filter(username__in=["jkowalski", "onowak"]).count() == 2


def test_import_page_lists_errors_by_line(units, admin_client):
    response = upload(admin_client, HEADER + "jk,Jan,K,bad,kwp-xyz,,pl\n", dry_run=True)
    assert response.status_code == 400
    assert response.context["report"].errors[0].line == 2
    assert "kwp-xyz" in response.content.decode()


def test_a_user_with_the_permission_may_import(units, client, django_user_model):
    user = django_user_model.objects.create_user("office")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="add_traineeprofile"),
    )
    client.force_login(user)
    assert upload(client, VALID, dry_run=True).status_code == 200
