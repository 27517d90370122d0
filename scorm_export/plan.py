"""A published course or module → a plain, immutable description of its package.

`build_plan` reads everything (pages in the requested language, their quizzes), renders
each SCO's launch page and lists every file to write; `manifest` and `package` only
consume the plan. The shape of `sco-config` is docs/scorm-package.md.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from courses.models import CoursePage, ModulePage
from quizzes import question_types
from quizzes.html import trainee_html
from quizzes.models import Layout, QuestionVersion, Quiz
from quizzes.selectors import player_question

from . import render, selectors
from .errors import ExportError
from .files import PackageFile
from .options import ExportOptions

RUNTIME_DIR = Path(__file__).resolve().parent / "runtime"
#: The site's quiz player, copied next to the SCO runtime.
PLAYER_FILES = ("player.js", "player.css")
RUNTIME_FOLDER = "runtime"
COURSE_FOLDER = "course"
RESERVED_FOLDERS = {RUNTIME_FOLDER, render.MEDIA_FOLDER, "imsmanifest.xml"}
#: The HMAC's key salt for the salts of hidden answer keys (see `_Planner._key_salt`).
KEY_SALT_PURPOSE = "scorm_export.plan.hide_keys"


class JSONEncoder(json.JSONEncoder):
    """Marks and fractions (Decimal) as JSON numbers."""

    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return float(o)
        return super().default(o)


@dataclass(frozen=True)
class PagePlan:
    key: str  # the section's id in the launch page: "page-1"…
    title: str


@dataclass(frozen=True)
class ScoPlan:
    """One SCO: a launch page `<folder>/index.html` holding its pages.

    identifier: the manifest item's identifier, also `sco` in sco-config.
    files: what its manifest resource lists: the launch page and the media it uses.
    config: sco-config (read it, do not change it).
    """

    identifier: str
    folder: str
    title: str
    pages: tuple[PagePlan, ...]
    files: tuple[str, ...]
    config: dict[str, Any]

    @property
    def href(self) -> str:
        return f"{self.folder}/index.html"


@dataclass(frozen=True)
class ReadableKey:
    """A question whose answer key stays readable in a package exported with hidden keys
    (its type cannot hash it, or not all of it: numerical ranges, wildcard texts)."""

    question_id: str  # as in sco-config: "Q12v3"
    name: str  # the question's name in the bank
    type: str  # the question type's name (its label is in the registry)


@dataclass(frozen=True)
class PackagePlan:
    """The whole package. `files` is every file but the manifest, sorted by path;
    `shared` the runtime's files (one asset resource every SCO depends on);
    `readable_keys` the questions whose key stays readable although keys are hidden."""

    identifier: str
    title: str
    language: str
    options: ExportOptions
    scos: tuple[ScoPlan, ...]
    shared: tuple[str, ...]
    files: tuple[PackageFile, ...]
    readable_keys: tuple[ReadableKey, ...] = ()


def build_plan(page: Page, options: ExportOptions) -> PackagePlan:
    """The package of a course (one SCO per module, or one for the whole course) or of
    one module, in `options.locale`. Raises ExportError with a message for the editor."""
    return _Planner(options).build(page)


class _Planner:
    def __init__(self, options: ExportOptions) -> None:
        self.options = options
        self.language = options.locale
        base_host = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").hostname
        self.site_hosts = {*Site.objects.values_list("hostname", flat=True), base_host or ""}
        with translation.override(self.language):
            self.strings = render.interface_strings()
        self.identifier = ""
        self.readable_keys: dict[str, ReadableKey] = {}

    def build(self, page: Page) -> PackagePlan:
        root = selectors.page_in_locale(page, self.language)
        self.identifier = (
            f"MANIFEST-{_folder_names([root])[0]}"
            f"-{self.options.version.replace('.', '')}-{self.language}"
        )
        if isinstance(root, CoursePage):
            modules = selectors.modules_of(root)
            if not modules:
                raise ExportError(
                    _("The course %(title)s has no published modules.") % {"title": root.title}
                )
            if self.options.single_sco:
                groups = [(COURSE_FOLDER, root.title, modules)]
            else:
                folders = _folder_names(modules)
                groups = [
                    (folder, module.title, [module])
                    for folder, module in zip(folders, modules, strict=True)
                ]
        else:
            modules = [root]
            groups = [(_folder_names([root])[0], root.title, [root])]
        for module in modules:
            _check_stored_files(module)
        self.quizzes = selectors.PackageQuizzes(modules, self.language)

        files: dict[str, PackageFile] = {}
        scos = []
        for folder, title, pages in groups:
            # The package's language for what it shows; the editor's for error messages.
            with translation.override(self.language):
                sco, sco_files = self._sco(folder, title, pages)
            scos.append(sco)
            for file in sco_files:
                files.setdefault(file.path, file)
        for file in files.values():
            if file.kind == "storage" and not default_storage.exists(file.source):
                raise ExportError(
                    _("The media file %(name)s is missing from the storage.")
                    % {"name": file.source}
                )
        shared = runtime_files()
        for file in shared:
            files[file.path] = file
        return PackagePlan(
            identifier=self.identifier,
            title=root.title,
            language=self.language,
            options=self.options,
            scos=tuple(scos),
            shared=tuple(file.path for file in shared),
            files=tuple(files[path] for path in sorted(files)),
            readable_keys=tuple(self.readable_keys.values()),  # in the order of the package
        )

    def _sco(
        self, folder: str, title: str, pages: list[ModulePage]
    ) -> tuple[ScoPlan, list[PackageFile]]:
        keys = {page.pk: f"page-{number}" for number, page in enumerate(pages, start=1)}
        anchors = {}
        for page in pages:
            url = page.get_url()
            if url:
                anchors[urlsplit(url).path] = keys[page.pk]
        rewriter = render.Rewriter(anchors, self.site_hosts)
        quizzes: list[dict[str, Any]] = []

        def quiz_mount(quiz: Quiz) -> dict[str, str]:
            config = self._quiz(quiz, f"quiz-{len(quizzes) + 1}", rewriter)
            quizzes.append(config)
            return {"key": config["key"], "title": config["title"]}

        rendered = [
            render.RenderedPage(
                key=keys[page.pk],
                title=page.title,
                summary=page.summary,
                html=render.page_body(page, quiz_mount=quiz_mount, rewriter=rewriter),
            )
            for page in pages
        ]
        config = {
            "version": self.options.version,
            "sco": folder,
            "title": title,
            "language": self.language,
            "reporting": self.options.reporting,
            "pages": [{"id": page.key, "title": page.title} for page in rendered],
            "strings": self.strings,
            "quizzes": quizzes,
        }
        document = render.sco_document(
            language=self.language, title=title, pages=rendered, config=config
        )
        index = PackageFile(f"{folder}/index.html", "text", text=document)
        media = [rewriter.media[path] for path in sorted(rewriter.media)]
        sco = ScoPlan(
            identifier=folder,
            folder=folder,
            title=title,
            pages=tuple(PagePlan(page.key, page.title) for page in rendered),
            files=(index.path, *(file.path for file in media)),
            config=config,
        )
        return sco, [index, *media]

    def _quiz(self, quiz: Quiz, key: str, rewriter: render.Rewriter) -> dict[str, Any]:
        shown = self.quizzes.get(quiz)
        texts, source, slots = shown.texts, shown.source, shown.slots
        time_limit = source.time_limit
        return {
            "key": key,
            "title": texts.title,
            "intro": texts.intro,
            "passMark": source.pass_mark,
            "attemptsAllowed": source.attempts_allowed,
            "gradingMethod": source.grading_method,
            "timeLimit": int(time_limit.total_seconds()) if time_limit else None,
            "layout": "all_on_one_page"
            if source.layout == Layout.ALL_ON_ONE_PAGE
            else "one_per_page",
            "shuffleQuestions": source.shuffle_questions,
            "shuffleOptions": source.shuffle_options,
            "reviewOptions": self._review_options(source.review_options or {}),
            "overallFeedback": texts.overall_feedback or [],
            "slots": [
                {
                    "mark": slot.questions[0][1] if slot.questions else None,
                    "count": slot.count,
                    "questions": [
                        self._question(version, mark, rewriter) for version, mark in slot.questions
                    ],
                }
                for slot in slots
            ],
        }

    def _question(
        self, version: QuestionVersion, mark: Decimal, rewriter: render.Rewriter
    ) -> dict[str, Any]:
        question_type = question_types.get(version.question.type)
        definition = version.definition
        shown = player_question(
            question_type,
            definition,
            version.text,
            position=0,
            max_mark=mark,
            answer=None,
            rng=None,
        )
        interaction = question_type.scorm_interaction(definition, self.options.version)
        config = {
            "id": question_id(version),
            "type": shown["type"],
            "widget": shown["widget"],
            "text": rewriter.fragment(shown["text"]),
            "mark": mark,
            "data": shown["data"],
            # The question's own setting; the quiz's "shuffle options" applies on top.
            "shuffle": question_type.shuffles and definition.get("shuffle", True) is not False,
            "generalFeedback": rewriter.fragment(trainee_html(version.general_feedback)),
            "rightAnswer": question_type.right_answer(definition),
            "grader": question_type.offline_grader_data(definition),
            "interaction": {
                "type": interaction.type,
                "correctResponses": list(interaction.correct_responses),
            },
        }
        if self.options.hide_keys:
            self._hide_key(config, question_type, version)
        return config

    def _hide_key(
        self,
        config: dict[str, Any],
        question_type: question_types.QuestionType,
        version: QuestionVersion,
    ) -> None:
        """Without a readable key the package can neither show the right answer nor give the
        LMS correct-response patterns: both go; the grader gets the hashed key."""
        hidden = question_type.hide_key(version.definition, self._key_salt(config["id"]))
        del config["rightAnswer"]
        config["grader"] = hidden.grader
        config["interaction"]["correctResponses"] = []
        if hidden.readable:
            self.readable_keys[config["id"]] = ReadableKey(
                question_id=config["id"],
                name=version.question.name,
                type=question_type.name,
            )

    def _key_salt(self, question: str) -> str:
        """A salt per question and package, from SECRET_KEY: never random, so the same
        content and options still give the same bytes; unlike the question's id alone, it
        differs between packages and cannot be computed without the site's secret."""
        return salted_hmac(
            KEY_SALT_PURPOSE, f"{self.identifier}:{question}", algorithm="sha256"
        ).hexdigest()[:32]

    def _review_options(self, review_options: dict[str, Any]) -> dict[str, Any]:
        """The quiz's review options; with hidden keys, never the right answer."""
        if not self.options.hide_keys:
            return review_options
        return {
            when: [option for option in shown if option != "right_answer"]
            if isinstance(shown, list)
            else shown
            for when, shown in review_options.items()
        }


def question_id(version: QuestionVersion) -> str:
    """Printable ASCII without spaces (SCORM interaction ids): "Q<question>v<version>"."""
    return f"Q{version.question_id}v{version.number}"


def runtime_files() -> list[PackageFile]:
    """Every file of scorm_export/runtime/, plus the site's quiz player, under runtime/."""
    files: dict[str, PackageFile] = {}
    if RUNTIME_DIR.is_dir():
        for path in sorted(RUNTIME_DIR.rglob("*")):
            relative = path.relative_to(RUNTIME_DIR)
            if path.is_file() and not any(
                part.startswith(".") or part == "__pycache__" for part in relative.parts
            ):
                target = f"{RUNTIME_FOLDER}/{relative.as_posix()}"
                files[target] = PackageFile(target, "local", source=str(path))
    player = Path(apps.get_app_config("quizzes").path) / "static" / "quizzes"
    for name in PLAYER_FILES:
        target = f"{RUNTIME_FOLDER}/{name}"
        files[target] = PackageFile(target, "local", source=str(player / name))
    return [files[path] for path in sorted(files)]


def _check_stored_files(page: ModulePage) -> None:
    for title, field_file in render.stored_files(page.body):
        if not field_file or not field_file.storage.exists(field_file.name):
            raise ExportError(
                _("The media file %(name)s (%(title)s, in %(page)s) is missing.")
                % {"name": getattr(field_file, "name", ""), "title": title, "page": page.title}
            )


def _folder_names(pages: list[Page]) -> list[str]:
    """A folder (and manifest identifier) per page: its slug in ASCII, starting with a
    letter, unique, never one of the package's own folders."""
    names: list[str] = []
    for number, page in enumerate(pages, start=1):
        ascii_slug = unicodedata.normalize("NFKD", page.slug).encode("ascii", "ignore").decode()
        name = re.sub(r"[^a-z0-9]+", "-", ascii_slug.lower()).strip("-")
        if not name or not name[0].isalpha():
            name = f"module-{number}" + (f"-{name}" if name else "")
        candidate, suffix = name, 2
        while candidate in names or candidate in RESERVED_FOLDERS:
            candidate, suffix = f"{name}-{suffix}", suffix + 1
        names.append(candidate)
    return names
