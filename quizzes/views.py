"""The standalone quiz page: the player for one quiz, outside any course page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .models import Quiz


@login_required
def quiz_page(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = Quiz.objects.filter(pk=pk).first()
    if quiz is None:
        raise Http404
    return TemplateResponse(request, "quizzes/quiz_page.html", {"quiz": quiz})
