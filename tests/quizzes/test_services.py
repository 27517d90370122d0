"""Attempt lifecycle: start, resume, save, submit, time-out, versions, manual grading."""

import random
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from quizzes import selectors, services
from quizzes.models import Attempt, AttemptState, QuestionVersion
from quizzes.question_types import AnswerError, DefinitionError
from quizzes.signals import attempt_graded
from quizzes.tasks import regrade_quiz
from tests.quizzes.factories import (
    make_category,
    make_question,
    make_quiz,
    make_random_slot,
    single_choice,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee(django_user_model):
    return django_user_model.objects.create_user("kursant", password="x-Password-1")


def test_full_attempt_is_graded_with_marks_and_pass(trainee):
    first = make_question(mark="2")
    second = make_question(type="true_false", definition={"correct": False}, text="Prawda?")
    quiz = make_quiz([first, second], pass_mark=60)

    attempt = services.start_attempt(quiz, trainee).attempt
    services.save_answer(attempt, 1, {"option": "b"})
    services.save_answer(attempt, 2, {"value": True})
    services.submit_attempt(attempt)

    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED
    assert attempt.score == Decimal("2.00") and attempt.max_score == Decimal("3.00")
    assert attempt.percent == Decimal("66.67")
    assert attempt.passed is True
    marks = [question.mark for question in attempt.questions.order_by("position")]
    assert marks == [Decimal("2.00"), Decimal("0.00")]


def test_unanswered_questions_score_zero(trainee):
    quiz = make_quiz([make_question()])
    attempt = services.start_attempt(quiz, trainee).attempt
    services.submit_attempt(attempt)
    attempt.refresh_from_db()
    assert attempt.score == 0 and attempt.passed is False


def test_answers_are_graded_as_they_are_saved_and_clearing_scores_zero(trainee):
    quiz = make_quiz([make_question(mark="2"), make_question(text="Drugie")])
    attempt = services.start_attempt(quiz, trainee).attempt

    saved = services.save_answer(attempt, 1, {"option": "b"})
    assert (saved.fraction, saved.mark) == (Decimal("1"), Decimal("2.00"))
    services.save_answer(attempt, 2, {"option": "b"})
    cleared = services.save_answer(attempt, 2, None)
    assert cleared.answer is None and cleared.mark == Decimal("0.00")

    submitted = services.submit_attempt(attempt)
    assert submitted.score == Decimal("2.00") and submitted.max_score == Decimal("3.00")


def test_answers_saved_before_grading_on_save_are_graded_at_submit(trainee):
    # Attempts in progress during an upgrade hold answers without a grade.
    quiz = make_quiz([make_question(), make_question(text="Drugie")])
    attempt = services.start_attempt(quiz, trainee).attempt
    services.save_answer(attempt, 1, {"option": "b"})
    services.save_answer(attempt, 2, {"option": "a"})
    attempt.questions.update(fraction=None, mark=None)

    submitted = services.submit_attempt(attempt)

    assert submitted.score == Decimal("1.00")
    marks = [question.mark for question in attempt.questions.order_by("position")]
    assert marks == [Decimal("1.00"), Decimal("0.00")]


def test_starting_again_resumes_the_attempt_in_progress(trainee):
    quiz = make_quiz([make_question()])
    first = services.start_attempt(quiz, trainee)
    services.save_answer(first.attempt, 1, {"option": "a"})
    again = services.start_attempt(quiz, trainee)
    assert first.created and not again.created
    assert again.attempt.pk == first.attempt.pk
    assert again.attempt.questions.get().answer == {"option": "a"}


def test_attempt_limit_is_enforced_with_a_reason(trainee):
    quiz = make_quiz([make_question()], attempts_allowed=1)
    services.submit_attempt(services.start_attempt(quiz, trainee).attempt)
    with pytest.raises(services.AttemptConflict) as error:
        services.start_attempt(quiz, trainee)
    assert error.value.code == "no_attempts_left"


def test_availability_window(trainee):
    now = timezone.now()
    not_yet = make_quiz([make_question()], opens_at=now + timedelta(days=1))
    with pytest.raises(services.AttemptConflict) as error:
        services.start_attempt(not_yet, trainee, now=now)
    assert error.value.code == "not_open"
    closed = make_quiz([make_question()], closes_at=now - timedelta(minutes=1))
    with pytest.raises(services.AttemptConflict) as error:
        services.start_attempt(closed, trainee, now=now)
    assert error.value.code == "closed"


def test_saving_is_idempotent_and_rejected_after_submit(trainee):
    quiz = make_quiz([make_question()])
    attempt = services.start_attempt(quiz, trainee).attempt
    saved = services.save_answer(attempt, 1, {"option": "b"})
    again = services.save_answer(attempt, 1, {"option": "b"})
    assert again.answered_at == saved.answered_at
    services.submit_attempt(attempt)
    for answer in ({"option": "c"}, {"option": "b"}):  # a change, and the same answer
        with pytest.raises(services.AttemptConflict) as error:
            services.save_answer(attempt, 1, answer)
        assert error.value.code == "attempt_closed"
    with pytest.raises(services.AttemptConflict):
        services.submit_attempt(attempt)


def test_a_save_trusts_what_its_process_knows_of_the_attempt_only_as_far_as_the_row_agrees(
    trainee, django_user_model, django_assert_num_queries
):
    question = make_question()
    quiz = make_quiz([question, make_question(text="Drugie")])
    attempt = services.start_attempt(quiz, trainee).attempt
    services.save_answer(attempt, 1, {"option": "b"}, trainee=trainee)  # learns the layout
    services.save_answer(attempt, 2, {"option": "a"}, trainee=trainee)  # and the version
    with django_assert_num_queries(1):  # a change: one guarded UPDATE
        services.save_answer(attempt, 2, {"option": "b"}, trainee=trainee)
    # The same answer: the UPDATE finds nothing to do, the question read says why.
    with django_assert_num_queries(2):
        again = services.save_answer(attempt, 2, {"option": "b"}, trainee=trainee)
    assert again.fraction == 1

    # A correction and a regrade move question 1 to a version the layout does not know:
    # the save notices, reads the question and grades against the new version.
    services.edit_question(question, text="Poprawione", definition=single_choice(correct="c"))
    services.regrade_attempt(attempt, to_latest_version=True)
    saved = services.save_answer(attempt, 1, {"option": "c"}, trainee=trainee)
    question.refresh_from_db()
    assert saved.version_id == question.latest_version_id and saved.fraction == 1

    # Another trainee gets nothing out of it; after the submit, neither does the owner.
    other = django_user_model.objects.create_user("inny", password="x-Password-1")
    with pytest.raises(services.AttemptNotFound):
        services.save_answer(attempt, 1, {"option": "a"}, trainee=other)
    services.submit_attempt(attempt, trainee=trainee)
    with pytest.raises(services.AttemptConflict):
        services.save_answer(attempt, 2, {"option": "a"}, trainee=trainee)
    attempt.refresh_from_db()
    assert attempt.score == 2


def test_bad_answers_name_the_problem(trainee):
    quiz = make_quiz([make_question()])
    attempt = services.start_attempt(quiz, trainee).attempt
    with pytest.raises(AnswerError):
        services.save_answer(attempt, 1, {"option": "zzz"})
    with pytest.raises(AnswerError) as error:
        services.save_answer(attempt, 7, {"option": "a"})
    assert "position" in error.value.message_dict


def test_time_out_grades_the_answers_saved_in_time(trainee):
    start = timezone.now()
    quiz = make_quiz([make_question(), make_question()], time_limit=timedelta(minutes=10))
    attempt = services.start_attempt(quiz, trainee, now=start).attempt
    assert attempt.deadline == start + timedelta(minutes=10)
    services.save_answer(attempt, 1, {"option": "b"}, now=start + timedelta(minutes=5))

    late = start + timedelta(minutes=11)
    with pytest.raises(services.AttemptConflict) as error:
        services.save_answer(attempt, 2, {"option": "b"}, now=late)
    assert error.value.code == "time_up"

    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED and attempt.timed_out
    assert attempt.score == Decimal("1.00")  # the answer saved in time counts, the late one not


def test_the_deadline_itself_is_too_late(trainee):
    start = timezone.now()
    quiz = make_quiz([make_question(), make_question()], time_limit=timedelta(minutes=10))
    attempt = services.start_attempt(quiz, trainee, now=start).attempt
    just_in_time = attempt.deadline - timedelta(microseconds=1)
    assert services.save_answer(attempt, 1, {"option": "b"}, now=just_in_time).mark == 1
    with pytest.raises(services.AttemptConflict) as error:
        services.save_answer(attempt, 2, {"option": "b"}, now=attempt.deadline)
    assert error.value.code == "time_up"


def test_overdue_attempt_is_closed_when_the_trainee_comes_back(trainee):
    start = timezone.now()
    quiz = make_quiz([make_question()], time_limit=timedelta(minutes=1))
    attempt = services.start_attempt(quiz, trainee, now=start).attempt
    services.save_answer(attempt, 1, {"option": "b"}, now=start)
    later = services.start_attempt(quiz, trainee, now=start + timedelta(hours=1))
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED and attempt.score == 1
    assert later.created and later.attempt.number == 2


def test_editing_a_question_makes_a_version_and_old_attempts_keep_theirs(trainee):
    question = make_question()
    quiz = make_quiz([question])
    old = services.start_attempt(quiz, trainee).attempt
    services.submit_attempt(old)

    services.edit_question(question, text="Nowa treść", definition=single_choice(correct="c"))
    question.refresh_from_db()
    assert question.latest_version.number == 2

    new = services.start_attempt(quiz, trainee).attempt
    assert old.questions.get().version.number == 1
    assert new.questions.get().version.text == "Nowa treść"


def test_pinned_version_is_used_even_after_edits(trainee):
    question = make_question()
    first = question.latest_version
    services.edit_question(question, text="v2", definition=single_choice())
    quiz = make_quiz([question])
    quiz.slots.update(pinned_version=first)
    attempt = services.start_attempt(quiz, trainee).attempt
    assert attempt.questions.get().version == first


def test_invalid_definition_is_refused():
    with pytest.raises(DefinitionError):
        make_question(definition={"options": [], "correct": "a"})


def test_random_slot_draws_distinct_questions_reproducibly(trainee, django_user_model):
    smuggling = make_category("Przemyt")
    excise = make_category("Wyroby akcyzowe", parent=smuggling)
    for i in range(6):
        make_question(excise, text=f"Pytanie {i}", tags=["poziom-1"] if i % 2 else [])
    quiz = make_quiz([])
    make_random_slot(quiz, smuggling, 3, random_tags=["poziom-1"])

    attempt = services.start_attempt(quiz, trainee).attempt
    drawn = [q.version.question_id for q in attempt.questions.all()]
    assert len(drawn) == len(set(drawn)) == 3
    tagged = {q.pk for q in excise.questions.filter(tags__name="poziom-1")}
    assert set(drawn) == tagged


def random_quiz(random_slots: int):
    """A fixed question and `random_slots` slots drawing two each from a subtree whose
    questions include the fixed one."""
    smuggling = make_category(f"Przemyt {random_slots}")
    excise = make_category("Wyroby akcyzowe", parent=smuggling)
    fixed = make_question(excise, text="Stała")
    for i in range(2 * random_slots):
        make_question(excise if i % 2 else smuggling, text=f"Losowa {i}")
    quiz = make_quiz([fixed])
    for _ in range(random_slots):
        make_random_slot(quiz, smuggling, 2)
    return quiz, fixed


def test_random_slots_share_one_pool_without_repeats_and_in_fixed_queries(
    trainee, django_assert_num_queries
):
    three, fixed = random_quiz(3)
    seeded = [services.draw_questions(three, random.Random(7), "pl") for _ in range(2)]
    assert [version for _, version, _ in seeded[0]] == [version for _, version, _ in seeded[1]]
    question_of = dict(QuestionVersion.objects.values_list("pk", "question_id"))
    drawn = [question_of[version] for _, version, _ in seeded[0]]
    # The whole pool is used: the fixed question and the six others, each once.
    assert len(drawn) == len(set(drawn)) == 7 and drawn[0] == fixed.pk

    one, _ = random_quiz(1)
    # Slots, categories, candidates: whatever the slots.
    for quiz in (one, three):
        with django_assert_num_queries(3):
            services.draw_questions(quiz, random.Random(1), "pl")


def test_a_random_slot_short_of_questions_refuses_to_start(trainee):
    quiz, _ = random_quiz(1)
    make_random_slot(quiz, quiz.slots.get(position=2).random_category, 1)
    with pytest.raises(services.QuizError) as refused:
        services.start_attempt(quiz, trainee)
    assert refused.value.code == "too_few_questions"
    assert not Attempt.objects.filter(quiz=quiz).exists()


def test_manual_grading_of_an_essay_completes_the_result(trainee, django_user_model):
    reviewer = django_user_model.objects.create_user("recenzent", password="x-Password-1")
    essay = make_question(type="essay", definition={"min_words": 0, "max_words": 0}, mark="4")
    quiz = make_quiz([make_question(), essay], pass_mark=50)
    attempt = services.start_attempt(quiz, trainee).attempt
    services.save_answer(attempt, 1, {"option": "b"})
    services.save_answer(attempt, 2, {"text": "Zgłaszam trafienie do SIRENE."})
    services.submit_attempt(attempt)
    attempt.refresh_from_db()
    assert attempt.needs_grading and attempt.passed is None

    services.grade_manually(
        attempt.questions.get(position=2),
        fraction=Decimal("0.5"),
        comment="Brak weryfikacji trafienia.",
        grader=reviewer,
    )
    attempt.refresh_from_db()
    assert not attempt.needs_grading
    assert attempt.score == Decimal("3.00") and attempt.passed is True


def test_regrade_after_a_fixed_grader_keeps_manual_grades(trainee):
    quiz = make_quiz([make_question()])
    attempt = services.start_attempt(quiz, trainee).attempt
    services.save_answer(attempt, 1, {"option": "b"})
    services.submit_attempt(attempt)
    version = attempt.questions.get().version
    version.definition = single_choice(correct="a")  # a key corrected in place, as in Moodle
    version.save()
    services.regrade_attempt(attempt)
    attempt.refresh_from_db()
    assert attempt.score == 0
    assert Attempt.objects.get(pk=attempt.pk).passed is False


def test_overdue_attempts_are_closed_in_bulk_by_the_command(trainee, django_user_model):
    start = timezone.now() - timedelta(hours=1)
    quiz = make_quiz([make_question()], time_limit=timedelta(minutes=5))
    other = django_user_model.objects.create_user("drugi", password="x-Password-1")
    late = services.start_attempt(quiz, trainee, now=start).attempt
    services.save_answer(late, 1, {"option": "b"}, now=start)
    current = services.start_attempt(quiz, other).attempt

    output = StringIO()
    call_command("close_overdue_attempts", stdout=output)

    assert "Closed 1" in output.getvalue()
    late.refresh_from_db()
    current.refresh_from_db()
    assert late.state == AttemptState.SUBMITTED and late.timed_out and late.score == 1
    assert current.state == AttemptState.IN_PROGRESS


def test_regrading_a_quiz_to_the_latest_version_uses_the_corrected_key(trainee, django_user_model):
    question = make_question()  # key: b
    quiz = make_quiz([question])
    answers = {"kursant": "b", "drugi": "c"}
    other = django_user_model.objects.create_user("drugi", password="x-Password-1")
    for user in (trainee, other):
        attempt = services.start_attempt(quiz, user).attempt
        services.save_answer(attempt, 1, {"option": answers[user.username]})
        services.submit_attempt(attempt)

    services.edit_question(question, text="Poprawione", definition=single_choice(correct="c"))
    result = regrade_quiz.enqueue(quiz.pk, to_latest_version=True)

    assert result.return_value == 2
    scores = dict(Attempt.objects.values_list("user__username", "score"))
    assert scores == {"kursant": Decimal("0.00"), "drugi": Decimal("1.00")}
    assert {q.version.number for q in Attempt.objects.get(user=trainee).questions.all()} == {2}


def test_version_contents_are_read_once_and_forgotten_when_their_version_is_saved(
    django_assert_num_queries,
):
    version = make_question().latest_version
    other = make_question(text="Inne").latest_version
    for pk in (version.pk, other.pk):
        selectors.forget_version_content(pk)
    with django_assert_num_queries(1):
        first = selectors.version_content(version.pk)
    with django_assert_num_queries(1):  # only the one not read yet
        both = selectors.version_contents([version.pk, other.pk])
    with django_assert_num_queries(0):
        assert selectors.version_contents([version.pk, other.pk]) == both
    assert both[version.pk] is first and both[other.pk].text == "Inne"
    assert first.type == "single_choice" and first.definition == version.definition
    assert (first.text, first.general_feedback) == (version.text, version.general_feedback)

    # Only a rolled-back test database reuses a version's id: saving drops the entry.
    version.definition = {**version.definition, "correct": "a"}
    version.save()
    assert selectors.version_content(version.pk).definition["correct"] == "a"


def test_graded_attempts_are_announced_after_commit(trainee, django_capture_on_commit_callbacks):
    announced = []

    def receiver(sender, attempt, **kwargs):
        announced.append((attempt.pk, attempt.passed))

    attempt_graded.connect(receiver)
    try:
        quiz = make_quiz([make_question()])
        attempt = services.start_attempt(quiz, trainee).attempt
        services.save_answer(attempt, 1, {"option": "b"})
        with django_capture_on_commit_callbacks() as callbacks:
            services.submit_attempt(attempt)
        assert announced == []  # nothing before the commit
        for callback in callbacks:
            callback()
        assert announced == [(attempt.pk, True)]

        with django_capture_on_commit_callbacks(execute=True):
            services.regrade_attempt(attempt)
        assert announced[-1] == (attempt.pk, True) and len(announced) == 2
    finally:
        attempt_graded.disconnect(receiver)
