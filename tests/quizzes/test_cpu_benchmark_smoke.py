"""Keeps benchmarks/quiz_cpu.py from rotting: one measured round and one counted round
against this test database, and its report."""

import argparse

import pytest
from django.db import connection

from benchmarks.quiz_cpu import Costs, Driver, quiz_mix, report
from benchmarks.quiz_load import seed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("benchmarks.urls"),  # the baseline endpoint, /bench/write/
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the benchmark reads the PostgreSQL backend's CPU: set DATABASE_URL",
    ),
]


def test_a_round_measures_every_request_and_the_report_shows_them():
    driver = Driver(seed(2))
    driver.round(0, measure=True)
    driver.round(1, measure=False, count_queries=True)

    costs = driver.costs
    assert {name: len(cost.python) for name, cost in costs.items()} == {
        "baseline": 12,
        "start": 1,
        "save": 10,
        "submit": 1,
    }
    # Token authentication and one UPDATE each (a save in a process that knows where the
    # attempt's questions are).
    assert costs["baseline"].queries == 2 and costs["save"].queries == 2
    text = report(argparse.Namespace(attempts=1), driver)
    assert "ratio of costs, Python and PostgreSQL" in text
    for name in costs:
        assert f"\n{name} " in text


def test_the_quiz_mix_weighs_every_save():
    costs = {
        name: Costs(python=[seconds])
        for name, seconds in (("start", 0.012), ("save", 0.003), ("submit", 0.006))
    }
    # (12 + 10 * 3 + 6) / 12 = 4 ms per request
    assert quiz_mix(costs, 10, "python_ms") == pytest.approx(4.0)
