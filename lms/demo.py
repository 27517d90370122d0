"""The demo site as a whole: course pages, then the question bank with a quiz on
every module (the glue between courses and quizzes lives here, in the site), then the
units of the eastern border, the demo trainee with a course they have started, and
trainees whose progress fills the training reports."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Locale

from courses.demo.seed import DemoUser, SeedReport, seed_demo
from courses.models import CoursePage, ModulePage
from quizzes import question_types
from quizzes import services as quiz_services
from quizzes.demo import seed_question_bank, stable_key
from quizzes.models import Question, Quiz, QuizSlot

from . import services
from .accounts import TRAINEES_GROUP, TraineeData, create_trainee
from .models import (
    Assignment,
    Certificate,
    Enrolment,
    ModuleProgress,
    TraineeProfile,
    TrainingSession,
    Unit,
)

DEMO_TRAINEE = "trainee"
#: Grades the demo trainees' essays (a demo user of courses.demo.seed).
DEMO_GRADER = "reviewer"
DEMO_TRAINEE_UNIT = "kmp-chelm"
#: A trainer of one voivodeship: their reports cover its headquarters and districts.
DEMO_TRAINER = DemoUser("trainer-lublin", "demo-trainer-2026", "Reviewers", "trainer (Lublin)")
#: The national headquarters, the four voivodeship headquarters of the eastern border and
#: some of their city (KMP) and county (KPP) units: (code, name, units under it).
DEMO_UNITS = (
    "kgp",
    "Komenda Główna Policji",
    (
        (
            "kwp-lublin",
            "Komenda Wojewódzka Policji w Lublinie",
            (
                ("kmp-chelm", "Komenda Miejska Policji w Chełmie"),
                ("kmp-biala-podlaska", "Komenda Miejska Policji w Białej Podlaskiej"),
                ("kpp-wlodawa", "Komenda Powiatowa Policji we Włodawie"),
                ("kpp-hrubieszow", "Komenda Powiatowa Policji w Hrubieszowie"),
                ("kpp-tomaszow-lubelski", "Komenda Powiatowa Policji w Tomaszowie Lubelskim"),
            ),
        ),
        (
            "kwp-rzeszow",
            "Komenda Wojewódzka Policji w Rzeszowie",
            (
                ("kmp-przemysl", "Komenda Miejska Policji w Przemyślu"),
                ("kmp-krosno", "Komenda Miejska Policji w Krośnie"),
                ("kpp-jaroslaw", "Komenda Powiatowa Policji w Jarosławiu"),
                ("kpp-lubaczow", "Komenda Powiatowa Policji w Lubaczowie"),
                ("kpp-ustrzyki-dolne", "Komenda Powiatowa Policji w Ustrzykach Dolnych"),
            ),
        ),
        (
            "kwp-bialystok",
            "Komenda Wojewódzka Policji w Białymstoku",
            (
                ("kmp-suwalki", "Komenda Miejska Policji w Suwałkach"),
                ("kpp-sejny", "Komenda Powiatowa Policji w Sejnach"),
                ("kpp-augustow", "Komenda Powiatowa Policji w Augustowie"),
                ("kpp-sokolka", "Komenda Powiatowa Policji w Sokółce"),
                ("kpp-hajnowka", "Komenda Powiatowa Policji w Hajnówce"),
            ),
        ),
        (
            "kwp-olsztyn",
            "Komenda Wojewódzka Policji w Olsztynie",
            (
                ("kmp-elblag", "Komenda Miejska Policji w Elblągu"),
                ("kpp-bartoszyce", "Komenda Powiatowa Policji w Bartoszycach"),
                ("kpp-braniewo", "Komenda Powiatowa Policji w Braniewie"),
                ("kpp-goldap", "Komenda Powiatowa Policji w Gołdapi"),
                ("kpp-ketrzyn", "Komenda Powiatowa Policji w Kętrzynie"),
            ),
        ),
    ),
)
#: The course the demo trainee has started: its first module done, the second opened.
DEMO_STARTED_COURSE = "international-fugitive-searches"

#: Trainees without a password (accounts for the reports, nobody signs in as them): names
#: in Polish, then colleagues who prefer Ukrainian (their certificates are in Ukrainian).
DEMO_TRAINEES_PL = (
    "Anna Kowalska", "Piotr Nowak", "Katarzyna Wiśniewska", "Tomasz Wójcik",
    "Magdalena Kamińska", "Marcin Lewandowski", "Agnieszka Zielińska", "Paweł Szymański",
    "Joanna Woźniak", "Michał Dąbrowski", "Monika Kozłowska", "Krzysztof Jankowski",
    "Aleksandra Mazur", "Łukasz Kwiatkowski", "Ewa Krawczyk", "Jakub Piotrowski",
    "Karolina Grabowska", "Grzegorz Nowakowski", "Natalia Pawłowska", "Adam Michalski",
    "Justyna Król", "Rafał Wieczorek", "Marta Jabłońska", "Dariusz Wróbel",
    "Beata Majewska", "Sebastian Olszewski", "Kamila Stępień", "Mateusz Malinowski",
    "Izabela Jaworska", "Wojciech Adamczyk", "Dorota Dudek", "Bartosz Górski",
    "Sylwia Pietrzak", "Robert Sikora",
)  # fmt: skip
DEMO_TRAINEES_UK = (
    "Olena Kovalenko", "Taras Melnyk", "Iryna Shevchenko", "Andrii Bondarenko",
    "Oksana Tkachenko", "Serhii Kravchenko",
)  # fmt: skip
#: Ranks from constable to commissioner, the junior ones more common.
DEMO_RANKS = (
    ("posterunkowy", 3), ("starszy posterunkowy", 4), ("sierżant", 4),
    ("starszy sierżant", 3), ("sierżant sztabowy", 3), ("młodszy aspirant", 2),
    ("aspirant", 2), ("starszy aspirant", 1), ("podkomisarz", 1), ("komisarz", 1),
)  # fmt: skip
#: Trainees assigned a course with a due date (half of them past: overdue).
ASSIGNED_TRAINEES = 10
#: Fixed, so every seeded database holds the same demo.
DEMO_RANDOM_SEED = 2026


def seed_demo_site() -> SeedReport:
    report = seed_demo()
    with transaction.atomic():
        questions = seed_question_bank()
        for slug, module_questions in questions.items():
            _attach_quiz(slug, module_questions, report)
        units = _seed_units(report)
        _seed_demo_trainee(units[DEMO_TRAINEE_UNIT], report)
        _seed_trainees(units, report)
        _seed_trainer_units(units, report)
        _seed_assignments(units, report)
        _seed_sessions(report)
    return report


def _seed_trainer_units(units: dict[str, Unit], report: SeedReport) -> None:
    """The demo reviewer reads every unit's reports (national headquarters); the Lublin
    trainer reads Lublin's and its districts' (lms.selectors.report_scope)."""
    users = get_user_model().objects
    trainer = users.filter(username=DEMO_TRAINER.username).first()
    if trainer is None:
        trainer = users.create_user(
            DEMO_TRAINER.username,
            email=f"{DEMO_TRAINER.username}@example.org",
            password=DEMO_TRAINER.password,
            first_name="Marek",
            last_name="Zawadzki",
        )
        trainer.groups.add(Group.objects.get(name=DEMO_TRAINER.group))
        report.count("users")
    for username, unit_code in ((DEMO_GRADER, "kgp"), (DEMO_TRAINER.username, "kwp-lublin")):
        _, created = TraineeProfile.objects.get_or_create(
            user=users.get(username=username), defaults={"unit": units[unit_code]}
        )
        if created:
            report.count("trainer profiles")


def _attach_quiz(module_slug: str, questions: list[Question], report: SeedReport) -> None:
    source_locale = Locale.get_default()
    module = ModulePage.objects.filter(slug=module_slug, locale=source_locale).first()
    if module is None:
        raise ValueError(f"Demo questions name an unknown module {module_slug!r}")
    course = CoursePage.objects.parent_of(module).first()
    key = stable_key("quiz", module_slug)
    for page in module.get_translations(inclusive=True).specific().select_related("locale"):
        quiz = Quiz.objects.filter(translation_key=key, locale=page.locale).first()
        if quiz is None:
            with translation.override(page.locale.language_code):
                title = _("Check yourself: %(module)s") % {"module": page.title}
            quiz = Quiz.objects.create(
                translation_key=key,
                locale=page.locale,
                title=title,
                pass_mark=course.pass_mark,
                shuffle_options=True,
            )
            report.count("quizzes")
            if page.locale == source_locale:
                QuizSlot.objects.bulk_create(
                    QuizSlot(quiz=quiz, position=position, question=question)
                    for position, question in enumerate(questions, start=1)
                )
        if not any(block.block_type == "quiz" for block in page.body):
            page.body.append(("quiz", {"quiz": quiz}))
            page.save_revision().publish()
            report.count("module quizzes")


def _seed_units(report: SeedReport) -> dict[str, Unit]:
    """The unit tree by code: missing units are added under their parent, existing ones
    (found by code, wherever an administrator moved them) are left as they are."""
    units = {unit.code: unit for unit in Unit.objects.all()}

    def ensure(code: str, name: str, kind: Unit.Kind, parent: Unit | None) -> Unit:
        if code not in units:
            fields = {"code": code, "name": name, "kind": kind}
            units[code] = Unit.add_root(**fields) if parent is None else parent.add_child(**fields)
            report.count("units")
        return units[code]

    national_code, national_name, voivodeships = DEMO_UNITS
    national = ensure(national_code, national_name, Unit.Kind.NATIONAL, None)
    for code, name, districts in voivodeships:
        voivodeship = ensure(code, name, Unit.Kind.VOIVODESHIP, national)
        for district_code, district_name in districts:
            # Treebeard moved the sibling paths when adding a unit under this parent.
            voivodeship.refresh_from_db()
            ensure(district_code, district_name, Unit.Kind.DISTRICT, voivodeship)
    return units


def _seed_demo_trainee(unit: Unit, report: SeedReport) -> None:
    trainee = get_user_model().objects.get(username=DEMO_TRAINEE)
    trainee.groups.add(Group.objects.get(name=TRAINEES_GROUP))  # no-op once in it
    _, created = TraineeProfile.objects.get_or_create(
        user=trainee, defaults={"unit": unit, "rank": "sierżant sztabowy"}
    )
    if created:
        report.count("trainee profiles")
    # Once the trainee has any course, what they do is theirs: the seed adds nothing.
    if not Enrolment.objects.filter(user=trainee).exists():
        _start_demo_course(trainee)
        report.count("started courses")


def _start_demo_course(trainee: AbstractBaseUser) -> None:
    course = CoursePage.objects.get(slug=DEMO_STARTED_COURSE, locale=Locale.get_default())
    first, second = ModulePage.objects.child_of(course).live()[:2]
    services.record_module_viewed(trainee, first)
    _take_quiz(trainee, first, grader=None)
    services.record_module_viewed(trainee, second)


def _take_quiz(
    trainee: AbstractBaseUser,
    module: ModulePage,
    *,
    grader: AbstractBaseUser | None,
    at: datetime | None = None,
    answered: int | None = None,
) -> None:
    """An attempt at the module's quiz through the quiz services, started at `at` (now
    without it): the right answers to the first `answered` questions (all without it),
    essays graded in full by `grader` (left for grading without one). A pass is recorded
    as progress at once."""
    quiz = next(block.value["quiz"] for block in module.body if block.block_type == "quiz")
    at = at or timezone.now()
    attempt = quiz_services.start_attempt(quiz, trainee, now=at).attempt
    questions = list(attempt.questions.select_related("version__question"))
    for question in questions[:answered]:
        answer = question_types.get(question.version.question.type).right_answer(
            question.version.definition
        )
        if answer is None:  # an essay: a person grades it
            answer = {"text": "Opis postępowania zgodny z procedurą i podstawą prawną."}
        quiz_services.save_answer(attempt, question.position, answer, now=at)
    attempt = quiz_services.submit_attempt(attempt, now=at + timedelta(minutes=20))
    if grader is not None:
        for question in attempt.questions.filter(needs_grading=True):
            attempt = quiz_services.grade_manually(
                question, fraction=Decimal(1), comment="Wyczerpująca odpowiedź.", grader=grader
            )
    if answered is None and not attempt.passed:
        raise ValueError(f"The right answers do not pass the demo quiz {quiz}")
    if attempt.passed:
        # The grading signal arrives once the seed's transaction commits; record the pass
        # now so the seed is complete within it (recording it again changes nothing).
        services.record_quiz_passed(trainee, attempt.quiz)


@dataclass
class _Study:
    """One demo trainee's course: modules done (viewed, quiz passed) one by one from
    `started`, `pace` apart, then perhaps the next one opened (with a failed attempt)."""

    course: CoursePage
    started: datetime
    pace: timedelta
    done: int
    opened: bool
    failed_attempt: bool
    due_date: date | None = None
    events: dict[int, datetime] = field(default_factory=dict)  # by module id


def _seed_trainees(units: dict[str, Unit], report: SeedReport) -> None:
    """Trainees without a password in the district units, each on up to three courses:
    completed (with a certificate), in progress or assigned and not started; ten of them
    assigned a course with a due date. Their services write "now": the dates are spread
    over the last months afterwards, so the reports' periods and averages mean something."""
    rng = random.Random(DEMO_RANDOM_SEED)
    courses = list(CoursePage.objects.live().filter(locale=Locale.get_default()).order_by("pk"))
    modules = {course.pk: list(ModulePage.objects.child_of(course).live()) for course in courses}
    plans = _plan_studies(rng, units, courses, modules)
    existing = set(
        get_user_model().objects.filter(username__in=plans).values_list("username", flat=True)
    )
    grader = get_user_model().objects.get(username=DEMO_GRADER)
    studied: dict[int, list[_Study]] = {}
    for username, (data, studies) in plans.items():
        if username in existing:
            continue
        trainee = create_trainee(data)
        report.count("trainees")
        for study in studies:
            _study(trainee, study, modules[study.course.pk], grader)
        studied[trainee.pk] = studies
    _backdate(studied)


def _plan_studies(
    rng: random.Random,
    units: dict[str, Unit],
    courses: list[CoursePage],
    modules: dict[int, list[ModulePage]],
) -> dict[str, tuple[TraineeData, list[_Study]]]:
    """Every demo trainee's account and courses, by username; the same every time."""
    districts = sorted(code for code, unit in units.items() if unit.kind == Unit.Kind.DISTRICT)
    ranks, weights = zip(*DEMO_RANKS, strict=True)
    names = [(name, "pl") for name in DEMO_TRAINEES_PL] + [(n, "uk") for n in DEMO_TRAINEES_UK]
    assigned = set(rng.sample(range(len(names)), ASSIGNED_TRAINEES))
    now = timezone.now()
    plans = {}
    assignments = 0
    for number, (name, language) in enumerate(names):
        first_name, last_name = name.split()
        username = slugify(name.replace("ł", "l").replace("Ł", "L")).replace("-", ".")
        data = TraineeData(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@example.org",
            unit=units[districts[number % len(districts)]],
            rank=rng.choices(ranks, weights)[0],
            language=language,
        )
        chosen = rng.sample(courses, rng.choice((0, 1, 1, 1, 2)))
        studies = [_self_study(rng, course, len(modules[course.pk]), now) for course in chosen]
        if number in assigned:
            # Every other assignment is past its due date and unfinished: overdue.
            course = rng.choice([course for course in courses if course not in chosen])
            total = len(modules[course.pk])
            overdue = assignments % 2 == 0
            studies.append(_assigned_study(rng, course, total, now, overdue=overdue))
            assignments += 1
        plans[username] = (data, studies)
    return plans


def _self_study(rng: random.Random, course: CoursePage, total: int, now: datetime) -> _Study:
    done = rng.choice((0, 1, total))
    pace = timedelta(days=rng.randint(1, 9), hours=rng.randint(0, 12))
    return _Study(
        course=course,
        started=now - pace * (total + 1) - timedelta(days=rng.randint(0, 150)),
        pace=pace,
        done=min(done, total),
        opened=done < total,
        failed_attempt=rng.random() < 0.25,
    )


def _assigned_study(
    rng: random.Random, course: CoursePage, total: int, now: datetime, *, overdue: bool
) -> _Study:
    due = now + timedelta(days=-rng.randint(5, 40) if overdue else rng.randint(14, 75))
    done = rng.choice((0, 0, 1) if overdue else (0, 1, total))
    return _Study(
        course=course,
        started=min(due, now) - timedelta(days=rng.randint(30, 60)),
        pace=timedelta(days=rng.randint(2, 6)),
        done=done,
        opened=done < total and rng.random() < 0.5,
        failed_attempt=False,
        due_date=due.date(),
    )


def _study(
    trainee: AbstractBaseUser, study: _Study, modules: list[ModulePage], grader: AbstractBaseUser
) -> None:
    source = Enrolment.Source.ASSIGNED if study.due_date else Enrolment.Source.SELF
    services.enrol(trainee, study.course, source=source)
    for step, module in enumerate(modules[: study.done + study.opened], start=1):
        at = study.started + study.pace * step
        study.events[module.pk] = at
        services.record_module_viewed(trainee, module)
        if step <= study.done:
            _take_quiz(trainee, module, grader=grader, at=at)
        elif study.failed_attempt:
            _take_quiz(trainee, module, grader=None, at=at, answered=1)


def _backdate(studied: dict[int, list[_Study]]) -> None:
    """Move the new trainees' progress, completions and certificates (written "now" by the
    services) to the planned dates; the attempts already carry theirs."""
    when = {
        (user_id, study.course.pk): study
        for user_id, studies in studied.items()
        for study in studies
    }
    enrolments = list(Enrolment.objects.filter(user_id__in=studied))
    finished: dict[tuple[int, int], datetime] = {}
    for enrolment in enrolments:
        study = when[enrolment.user_id, enrolment.course_id]
        enrolment.enrolled_at = study.started
        enrolment.due_date = study.due_date
        if enrolment.completed_at is not None:
            enrolment.completed_at = max(study.events.values()) + timedelta(minutes=20)
            finished[enrolment.user_id, enrolment.course_id] = enrolment.completed_at
    Enrolment.objects.bulk_update(enrolments, ["enrolled_at", "due_date", "completed_at"])
    events = {
        (user_id, module_id): at
        for user_id, studies in studied.items()
        for study in studies
        for module_id, at in study.events.items()
    }
    progress = list(ModuleProgress.objects.filter(user_id__in=studied))
    for row in progress:
        at = events[row.user_id, row.module_id]
        row.viewed_at = at
        passed = at + timedelta(minutes=20)
        if row.quiz_passed_at is not None:
            row.quiz_passed_at = passed
        if row.completed_at is not None:
            row.completed_at = passed
    ModuleProgress.objects.bulk_update(progress, ["viewed_at", "quiz_passed_at", "completed_at"])
    certificates = list(Certificate.objects.filter(user_id__in=studied))
    for certificate in certificates:
        certificate.issued_at = finished[certificate.user_id, certificate.course_id]
    Certificate.objects.bulk_update(certificates, ["issued_at"])


#: Courses assigned to units by their trainers: (course slug, unit, with its subunits,
#: days from today to the due date, assigned by). The Białystok one is past its date.
DEMO_ASSIGNMENTS = (
    ("trafficking-in-human-beings", "kwp-lublin", True, 45, DEMO_TRAINER.username),
    ("itinerant-criminal-groups", "kwp-bialystok", True, -10, DEMO_GRADER),
    ("smuggling-eastern-border", "kmp-przemysl", False, 20, DEMO_GRADER),
)


def _seed_assignments(units: dict[str, Unit], report: SeedReport) -> None:
    """Assignments made through the service, as a trainer makes them in the admin: everyone
    in the unit is enrolled, due by the date (once: an existing assignment is left)."""
    today = timezone.localdate()
    users = get_user_model().objects
    for slug, unit_code, include_subunits, days, username in DEMO_ASSIGNMENTS:
        course = CoursePage.objects.get(slug=slug, locale=Locale.get_default())
        # Read afresh: adding units in name order renumbers their siblings' tree paths,
        # so the path of an object in `units` may be out of date.
        unit = Unit.objects.get(pk=units[unit_code].pk)
        if Assignment.objects.filter(course=course, unit=unit).exists():
            continue
        services.assign_course(
            course,
            unit=unit,
            include_subunits=include_subunits,
            due_date=today + timedelta(days=days),
            by=users.get(username=username),
        )
        report.count("assignments")


#: Classroom and practical sessions across the four voivodeships, led by the demo reviewer:
#: (course slug, kind, title, place, voivodeship unit, days from today, hours, seats).
#: Past ones have their attendance marked; the Chełm workshop has a waiting list.
DEMO_SESSIONS = (
    ("international-fugitive-searches", TrainingSession.Kind.WORKSHOP,
     "Warsztaty: poszukiwania osób ściganych listami gończymi",
     "KWP w Lublinie, ul. Narutowicza 73, sala 214", "kwp-lublin", -30, 6, 12),
    ("smuggling-eastern-border", TrainingSession.Kind.SEMINAR,
     "Seminarium: przemyt wyrobów akcyzowych na granicy wschodniej",
     "KWP w Białymstoku, ul. Sienkiewicza 65, aula", "kwp-bialystok", -14, 5, 20),
    ("police-language-english-ukrainian", TrainingSession.Kind.LANGUAGE_COURSE,
     "Język ukraiński w czynnościach służbowych – zajęcia stacjonarne",
     "KWP w Rzeszowie, ul. Dąbrowskiego 30, sala 12", "kwp-rzeszow", -7, 4, 10),
    ("cross-border-pursuit-and-surveillance", TrainingSession.Kind.PRACTICAL,
     "Bezpieczna jazda w pościgu – trening na torze",
     "Ośrodek doskonalenia techniki jazdy, Olsztyn", "kwp-olsztyn", -21, 8, 8),
    ("international-fugitive-searches", TrainingSession.Kind.WORKSHOP,
     "Warsztaty: ustalanie miejsca pobytu osób ściganych",
     "KMP w Chełmie, ul. Trubakowska 2, sala odpraw", "kwp-lublin", 10, 6, 4),
    ("smuggling-eastern-border", TrainingSession.Kind.SEMINAR,
     "Seminarium: przemyt przez zieloną granicę",
     "KWP w Olsztynie, ul. Partyzantów 6/8, sala 101", "kwp-olsztyn", 17, 5, 15),
    ("police-language-english-ukrainian", TrainingSession.Kind.LANGUAGE_COURSE,
     "Angielski dla patroli granicznych – konwersacje",
     "KWP w Białymstoku, ul. Sienkiewicza 65, sala 8", "kwp-bialystok", 24, 4, 10),
    ("cross-border-pursuit-and-surveillance", TrainingSession.Kind.PRACTICAL,
     "Bezpieczna jazda – trening zimowy",
     "Tor Podkarpacie, Rzeszów", "kwp-rzeszow", 30, 8, 8),
)  # fmt: skip
#: Trainees registered for each upcoming session: two more than the Chełm workshop seats.
DEMO_SESSION_REGISTRANTS = 6


def _seed_sessions(report: SeedReport) -> None:
    """The demo sessions missing (found by course and title), with the voivodeship's demo
    trainees registered by the trainer (and so enrolled on the course); every fifth one
    missed a past session. The demo trainee has a seat at the Chełm workshop, near their
    unit."""
    trainer = get_user_model().objects.get(username=DEMO_GRADER)
    demo_trainee = get_user_model().objects.get(username=DEMO_TRAINEE)
    today = timezone.localdate()
    # Read now: adding units moved their siblings' tree paths.
    paths = dict(Unit.objects.values_list("code", "path"))
    for slug, kind, title, place, unit_code, days, hours, seats in DEMO_SESSIONS:
        course = CoursePage.objects.get(slug=slug, locale=Locale.get_default())
        if TrainingSession.objects.filter(course=course, title=title).exists():
            continue
        starts_at = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(9)))
        session = TrainingSession.objects.create(
            course=course,
            kind=kind,
            title=title,
            place=place,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            trainer=trainer,
            capacity=seats,
        )
        report.count("training sessions")
        # Trainees already studying something: those who have not started any course
        # stay that way, for the reports.
        trainees = list(
            get_user_model()
            .objects.filter(
                trainee_profile__unit__path__startswith=paths[unit_code],
                enrolments__isnull=False,
            )
            .exclude(pk=demo_trainee.pk)
            .distinct()
            .order_by("username")
        )
        if days > 0:
            trainees = trainees[:DEMO_SESSION_REGISTRANTS]
            if demo_trainee.trainee_profile.unit.path.startswith(paths[unit_code]):
                trainees.insert(0, demo_trainee)
        for trainee in trainees:
            services.register_for_session(trainee, session, by=trainer)
        if days < 0:
            present = [t.pk for number, t in enumerate(trainees, start=1) if number % 5]
            services.mark_attendance(session, present, by=trainer)
