"""The quiz player's interface strings, for pages that embed the player elsewhere."""

import json

from django.template.loader import render_to_string


def player_strings() -> dict[str, str]:
    """The player's strings in the active language: the JSON that quizzes/player.html
    embeds (one source, quizzes/player_strings.html), as a dict; `{n}`-style placeholders
    are filled in by player.js."""
    return json.loads(render_to_string("quizzes/player_strings.html"))
