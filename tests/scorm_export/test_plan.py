"""The plan and its rendering on small hand-made courses."""

import io
import json
import re
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale

from quizzes import question_types, services
from scorm_export.errors import ExportError
from scorm_export.options import ExportOptions
from scorm_export.plan import build_plan
from scorm_export.services import export_package
from tests.factories import (
    make_catalogue,
    make_course,
    make_document,
    make_home,
    make_image,
    make_module,
)
from tests.quizzes.factories import (
    make_category,
    make_question,
    make_question_of_each_type,
    make_quiz,
    make_random_slot,
    single_choice,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def messages_in_english():
    """Error messages are matched in English (the suite's default language is Polish)."""
    with translation.override("en"):
        yield


@pytest.fixture
def course():
    return make_course(make_catalogue(make_home()), title="Kurs testowy")


def block(kind: str, value) -> dict:
    return {"type": kind, "value": value}


def quiz_block(quiz):
    return block("quiz", {"quiz": quiz.pk})


def config_of(html: str) -> dict:
    match = re.search(r'<script id="sco-config" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def module_with_questions(course, count: int):
    category = make_category(f"Kat {count}")
    questions = [make_question(category, name=f"Pytanie {n}") for n in range(count)]
    quiz = make_quiz(questions[: count // 2])
    make_random_slot(quiz, category, 2)
    return make_module(course, body=[quiz_block(quiz)], title=f"Moduł {count}")


def test_plan_queries_do_not_grow_with_the_number_of_questions(course):
    small = module_with_questions(course, 6)
    large = module_with_questions(course, 50)
    options = ExportOptions(version="2004")
    build_plan(small, options)  # warm caches (content types, locales)
    with CaptureQueriesContext(connection) as few:
        build_plan(small, options)
    with CaptureQueriesContext(connection) as many:
        plan = build_plan(large, options)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    slots = plan.scos[0].config["quizzes"][0]["slots"]
    assert [slot["count"] for slot in slots] == [1] * 25 + [2]
    assert len(slots[-1]["questions"]) == 25  # the whole pool: the other 25 questions
    assert large.title == "Moduł 50"


def test_quiz_config_follows_the_contract(course):
    questions = make_question_of_each_type()
    quiz = make_quiz(questions, title="Sprawdzian", pass_mark=70, layout="all")
    module = make_module(course, body=[block("heading", {"text": "Wstęp"}), quiz_block(quiz)])
    plan = build_plan(module, ExportOptions(version="1.2", reporting="passed-failed"))
    (sco,) = plan.scos
    html = next(file.text for file in plan.files if file.path == sco.href)
    config = config_of(html)
    assert config == sco.config
    assert (config["version"], config["sco"], config["language"], config["reporting"]) == (
        "1.2",
        sco.identifier,
        "pl",
        "passed-failed",
    )
    assert config["pages"] == [{"id": "page-1", "title": module.title}]
    assert config["strings"]["scoNext"] == "Następna strona"
    assert config["strings"]["start"] == "Rozpocznij test"
    (quiz_config,) = config["quizzes"]
    assert quiz_config["key"] == "quiz-1" and quiz_config["passMark"] == 70
    assert quiz_config["layout"] == "all_on_one_page"
    assert '<div class="sco-quiz" data-quiz="quiz-1"></div>' in html
    types = set()
    for slot in quiz_config["slots"]:
        (question,) = slot["questions"]
        assert re.fullmatch(r"[\x21-\x7e]+", question["id"])
        assert set(question) >= {"type", "widget", "text", "data", "rightAnswer", "grader"}
        assert question["interaction"]["type"]
        types.add(question["type"])
        assert "correct" not in json.dumps(question["data"])
        assert question["shuffle"] is question_types.get(question["type"]).shuffles
    assert len(types) == 9


def test_a_question_whose_editor_fixed_the_order_is_not_shuffled(course):
    fixed = make_question(definition={**single_choice(), "shuffle": False})
    module = make_module(course, body=[quiz_block(make_quiz([fixed, make_question()]))])
    plan = build_plan(module, ExportOptions(version="2004"))
    slots = plan.scos[0].config["quizzes"][0]["slots"]
    assert [slot["questions"][0]["shuffle"] for slot in slots] == [False, True]


def test_questions_and_texts_in_the_package_language(course):
    english = Locale.objects.get_or_create(language_code="en")[0]
    question = make_question(text="<p>Pytanie po polsku</p>")
    translated = services.translate_question(question, english)
    services.edit_question(
        translated,
        text="<p>Question in English</p>",
        definition=question.latest_version.definition,
        general_feedback="",
    )
    quiz = make_quiz([question])
    module = make_module(course, body=[quiz_block(quiz)])
    english_module = module.copy_for_translation(english, copy_parents=True)
    english_module.save_revision().publish()
    plan = build_plan(module, ExportOptions(version="2004", locale="en"))
    question_config = plan.scos[0].config["quizzes"][0]["slots"][0]["questions"][0]
    assert question_config["text"] == "<p>Question in English</p>"
    assert plan.language == "en"


def test_missing_translation_and_unpublished_page(course):
    module = make_module(course)
    Locale.objects.get_or_create(language_code="uk")
    with pytest.raises(ExportError, match="no translation"):
        build_plan(module, ExportOptions(version="2004", locale="uk"))
    module.unpublish()
    with pytest.raises(ExportError, match="not published"):
        build_plan(module, ExportOptions(version="2004"))


def test_rendering_media_links_and_embeds(course, settings):
    image = make_image("Mapa")
    document = make_document("Ulotka", b"%PDF-1.4 ulotka")
    video = make_document("Film", b"\x00\x00\x00 ftypmp4")
    other = make_course(course.get_parent(), title="Inny kurs")
    sibling = make_module(course, title="Sąsiedni moduł")
    rich = (
        f'<p><a linktype="page" id="{other.pk}">inny kurs</a>, '
        f'<a linktype="page" id="{sibling.pk}">sąsiedni moduł</a>, '
        f'<a linktype="document" id="{document.pk}">ulotka</a>, '
        '<a href="https://eur-lex.europa.eu/">EUR-Lex</a>, '
        f'<a href="{settings.WAGTAILADMIN_BASE_URL}/pl/kursy/">katalog</a></p>'
    )
    module = make_module(
        course,
        title="Moduł z mediami",
        body=[
            block("paragraph", rich),
            block(
                "image", {"image": image.pk, "alt_text": "Mapa", "decorative": False, "caption": ""}
            ),
            block("document", {"document": document.pk, "description": "PDF"}),
            block("video", {"title": "Film", "file": video.pk, "embed": None, "transcript": ""}),
            block(
                "video",
                {
                    "title": "Na YouTube",
                    "file": None,
                    "embed": "https://www.youtube.com/watch?v=abc",
                    "transcript": "",
                },
            ),
        ],
    )
    output = io.BytesIO()
    plan = export_package(course, ExportOptions(version="2004", single_sco=True), output)
    archive = zipfile.ZipFile(output)
    names = set(archive.namelist())
    html = archive.read("course/index.html").decode()
    section = html.split('id="page-2"', 1)[1].split("</section>", 1)[0]
    assert [page.title for page in plan.scos[0].pages] == [sibling.title, module.title]
    # images (renditions), documents and uploaded videos are in the package, linked relatively
    for url in re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r'srcset="([^"]+)"', html):
        for part in url.split(", "):
            target = part.split(" ")[0]
            if target.startswith("../"):
                assert target[3:] in names, target
    assert f"../media/{document.file.name}" in section
    assert f"../media/{video.file.name}" in section
    assert re.search(r'<img [^>]*src="\.\./media/images/[^"]+\.webp"', section)
    # no URL to the CMS; pages outside the SCO are plain text; the sibling page is an anchor
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert settings.WAGTAILADMIN_BASE_URL not in html and 'href="/' not in html
    assert '<span class="sco-unlinked">inny kurs</span>' in section
    assert '<span class="sco-unlinked">katalog</span>' in section
    assert '<a href="#page-1">sąsiedni moduł</a>' in section
    assert '<a href="https://eur-lex.europa.eu/">EUR-Lex</a>' in section
    # an external embed is a link with a notice, never an iframe
    assert "<iframe" not in html
    assert 'href="https://www.youtube.com/watch?v=abc"' in section
    assert "sco-notice" in section


def test_missing_media_file_is_named(course):
    document = make_document("Zgubiona ulotka")
    module = make_module(
        course, body=[block("document", {"document": document.pk, "description": ""})]
    )
    document.file.storage.delete(document.file.name)
    with pytest.raises(ExportError, match=re.escape(document.file.name)):
        build_plan(module, ExportOptions(version="1.2"))
