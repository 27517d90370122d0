"""An export reads a course in a fixed number of queries, whatever its number of modules
and quizzes: each block type, quiz step and page link lookup is one read for the whole
package."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scorm_export.options import ExportOptions
from scorm_export.services import export_package
from tests.factories import make_catalogue, make_course, make_home, make_image, make_module
from tests.quizzes.factories import make_category, make_question, make_quiz, make_random_slot

pytestmark = pytest.mark.django_db


def course_of(catalogue, modules: int):
    """A course whose every module has rich text linking to the previous module, an image
    and a quiz of a fixed question plus a random slot drawing from a category subtree."""
    course = make_course(catalogue, title=f"Kurs {modules}")
    category = make_category(f"Kategoria {modules}")
    subcategory = make_category(f"Podkategoria {modules}", parent=category)
    previous = None
    for number in range(1, modules + 1):
        for name in ("a", "b"):
            make_question(subcategory, name=f"Pytanie {number}{name}")
        quiz = make_quiz([make_question(category, name=f"Pytanie {number}")])
        make_random_slot(quiz, category, 1)
        link = f'<a linktype="page" id="{previous.pk}">poprzedni</a>' if previous else ""
        previous = make_module(
            course,
            title=f"Moduł {number}",
            body=[
                {"type": "paragraph", "value": f"<p>Tekst {number}. {link}</p>"},
                {
                    "type": "image",
                    "value": {"image": make_image().pk, "alt_text": "Obraz", "caption": ""},
                },
                {"type": "quiz", "value": {"quiz": quiz.pk}},
            ],
        )
    return course


@pytest.mark.parametrize("single_sco", [False, True])
def test_export_queries_do_not_grow_with_modules_and_quizzes(single_sco):
    catalogue = make_catalogue(make_home())
    small, large = course_of(catalogue, 2), course_of(catalogue, 4)
    options = ExportOptions(version="2004", single_sco=single_sco)
    export_package(small, options, io.BytesIO())  # renditions, content types, site paths
    export_package(large, options, io.BytesIO())
    with CaptureQueriesContext(connection) as few:
        export_package(small, options, io.BytesIO())
    with CaptureQueriesContext(connection) as many:
        plan = export_package(large, options, io.BytesIO())
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]
    quizzes = [quiz for sco in plan.scos for quiz in sco.config["quizzes"]]
    assert len(quizzes) == 4
    # The random slot offers its whole pool: the subcategory's 8 questions and the other
    # modules' fixed questions, never the quiz's own fixed one.
    assert [len(quiz["slots"][1]["questions"]) for quiz in quizzes] == [11] * 4
    index = next(file.text for file in plan.files if file.path == plan.scos[-1].href)
    if single_sco:
        assert '<a href="#page-3">poprzedni</a>' in index
    else:
        assert '<span class="sco-unlinked">poprzedni</span>' in index
