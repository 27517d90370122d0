"""OpenAPI schema hooks: the published schema covers this project's API only."""

API_PREFIX = "/api/v1/"


def only_project_api(endpoints: list) -> list:
    """Drop Wagtail's and wagtail-localize's internal admin endpoints."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]
