"""The question preview of Wagtail's admin: what the preview page embeds, and grading there.

The question editor's live preview (`Question.get_preview_context`) renders the player on a
one-question "attempt" built from the editor's unsaved form (`QuestionForm` hangs the would-be
version on the question as `preview_version`), or from the latest version of a saved question.
Nothing is stored: the player's `PreviewBackend` keeps the answer in the browser and asks
`grade_preview` to grade it, with the same registry calls as a real attempt (`clean_definition`,
`clean_answer`, `grade`). The page is for editors, so it may carry the definition (the key).
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import question_types
from .html import trainee_html
from .models import Question, QuestionVersion
from .question_types import QuestionType
from .selectors import correctness_of, player_question

#: Options are shuffled as a quiz shuffles them, but in the same order on every refresh of
#: the live preview (a new order at each keystroke would only distract the editor).
PREVIEW_SEED = "question-preview"
#: The URL name of `grade_preview` (registered by quizzes.wagtail_hooks).
GRADE_URL_NAME = "quizzes_question_preview_grade"


def can_preview_questions(user: AbstractBaseUser) -> bool:
    """Whoever may add or edit questions sees their preview (and has it graded)."""
    return user.is_authenticated and (
        user.has_perm("quizzes.add_question") or user.has_perm("quizzes.change_question")
    )


# --- the preview page --------------------------------------------------------------------------


class PreviewUnavailable(Exception):
    """Nothing to show: a new question without content, or stored content that is broken."""


def preview_context(question: Question) -> dict[str, Any]:
    """Template context of quizzes/question_preview.html for `question` (in memory)."""
    try:
        data = preview_data(question)
    except PreviewUnavailable as error:
        return {"question": question, "preview_error": str(error)}
    return {
        "question": question,
        "preview_data": data,
        # What player.html reads of a quiz; a question preview has no quiz.
        "preview_quiz": {"pk": "", "title": question.name or _("Question preview"), "intro": ""},
    }


def preview_version(question: Question) -> QuestionVersion:
    """The version to preview: the form's unsaved one, else the latest saved one."""
    version = getattr(question, "preview_version", None)
    if version is None and question.pk is not None:
        version = question.latest_version
    if version is None:
        raise PreviewUnavailable(_("Write the question and choose its type to see a preview."))
    return version


def preview_data(question: Question) -> dict[str, Any]:
    """The JSON the preview page embeds: {"attempt": …, "grading": …}.

    `attempt` has the shape of `selectors.attempt_payload` (in progress, one question, no
    time limit); `grading` is what `PreviewBackend` sends to `grade_preview`, and the general
    feedback the result shows.
    """
    version = preview_version(question)
    try:
        question_type = question_types.get(question.type)
        definition = question_type.clean_definition(version.definition)
    except (KeyError, ValidationError) as error:
        raise PreviewUnavailable(
            _("The stored answers cannot be shown (%(error)s); write them again.")
            % {"error": "; ".join(_all_messages(error))}
        ) from error
    max_mark = question.default_mark if question.default_mark is not None else Decimal("1")
    return {
        "attempt": {
            "id": "preview",
            "quiz": None,
            "quiz_title": question.name,
            "number": 1,
            "state": "in_progress",
            "layout": "all",
            "started_at": None,
            "deadline": None,
            "seconds_left": None,
            "submitted_at": None,
            "timed_out": False,
            "result": None,
            "questions": [
                player_question(
                    question_type,
                    definition,
                    version.text,
                    position=1,
                    max_mark=max_mark,
                    answer=None,
                    rng=random.Random(PREVIEW_SEED),
                )
            ],
        },
        "grading": {
            "url": reverse(GRADE_URL_NAME),
            "type": question_type.name,
            "definition": definition,
            "general_feedback": trainee_html(version.general_feedback),
        },
    }


# --- grading ---------------------------------------------------------------------------------


class BadRequest(Exception):
    def __init__(self, errors: dict[str, Any], detail: str) -> None:
        super().__init__(detail)
        self.errors = errors
        self.detail = detail


def _message_dict(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {NON_FIELD_ERRORS: error.messages}


def _all_messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return [message for messages in _message_dict(error).values() for message in messages]
    return [str(error.args[0]) if error.args else str(error)]


def _invalid(key: str, error: ValidationError, summary: str) -> BadRequest:
    messages = _all_messages(error)
    return BadRequest({key: _message_dict(error)}, f"{summary} {' '.join(messages)}".strip())


def _question_to_grade(body: dict[str, Any]) -> tuple[QuestionType, dict[str, Any]]:
    """The type and the clean definition: of a stored version, or as sent."""
    if "version" in body:
        version_id = body["version"]
        version = None
        if isinstance(version_id, int) and not isinstance(version_id, bool):
            version = QuestionVersion.objects.select_related("question").filter(pk=version_id)
            version = version.first()
        if version is None:
            message = _("No question version with this id.")
            raise BadRequest({"version": [message]}, message)
        type_name, definition = version.question.type, version.definition
    else:
        type_name, definition = body.get("type"), body.get("definition")
    if not isinstance(type_name, str) or type_name not in question_types.names():
        message = _("Unknown question type.")
        raise BadRequest({"type": [message]}, message)
    question_type = question_types.get(type_name)
    try:
        definition = question_type.clean_definition(definition)
    except ValidationError as error:
        raise _invalid("definition", error, _("The question cannot be graded:")) from error
    return question_type, definition


def grade(body: Any) -> dict[str, Any]:
    """Grade `body` = {type, definition, answer} or {version, answer}, as an attempt would.

    An answer of null is no answer (0, like a question left empty in an attempt). Raises
    BadRequest for anything else that the type refuses.
    """
    if not isinstance(body, dict):
        message = _("Send a JSON object.")
        raise BadRequest({NON_FIELD_ERRORS: [message]}, message)
    question_type, definition = _question_to_grade(body)
    answer = body.get("answer")
    if answer is None:
        result = question_types.Grade(0.0)
    else:
        try:
            answer = question_type.clean_answer(definition, answer)
        except ValidationError as error:
            raise _invalid("answer", error, _("The answer was not accepted:")) from error
        result = question_type.grade(definition, answer)
    manual = result.needs_manual_grading
    return {
        "fraction": result.fraction,
        "feedback": result.feedback,
        "needs_manual_grading": manual,
        "correctness": None if manual else correctness_of(Decimal(str(result.fraction))),
        "right_answer": question_type.right_answer(definition),
        "answer": answer,
    }


@require_POST
def grade_preview(request: HttpRequest) -> JsonResponse:
    """POST {type, definition, answer} (or {version, answer}) → {fraction, feedback,
    needs_manual_grading, correctness, right_answer, answer}; 400 {field: messages, detail}
    on input the type refuses. Admin only (Wagtail's admin URLs require admin access)."""
    if not can_preview_questions(request.user):
        return JsonResponse({"detail": _("You may not preview questions.")}, status=403)
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        message = _("Send a JSON object.")
        return JsonResponse({NON_FIELD_ERRORS: [message], "detail": message}, status=400)
    try:
        return JsonResponse(grade(body))
    except BadRequest as error:
        return JsonResponse({**error.errors, "detail": error.detail}, status=400)
