from django.urls import path

from . import views

app_name = "quizzes"
urlpatterns = [path("quizzes/<int:pk>/", views.quiz_page, name="quiz")]
