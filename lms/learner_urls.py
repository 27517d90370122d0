from django.urls import path

from . import learner_views

app_name = "learner"
urlpatterns = [
    path("my-courses/", learner_views.my_courses, name="my_courses"),
    path("my-courses/enrol/<int:course_id>/", learner_views.enrol, name="enrol"),
    path(
        "my-courses/<int:course_id>/sessions/",
        learner_views.course_sessions,
        name="course_sessions",
    ),
    path(
        "my-courses/sessions/<int:session_id>/register/",
        learner_views.register_for_session,
        name="register_for_session",
    ),
    path(
        "my-courses/session-registrations/<int:registration_id>/cancel/",
        learner_views.cancel_session_registration,
        name="cancel_session_registration",
    ),
    path(
        "my-courses/certificates/<str:code>.pdf",
        learner_views.download_certificate,
        name="download_certificate",
    ),
    path("certificates/<str:code>/", learner_views.verify_certificate, name="verify_certificate"),
]
