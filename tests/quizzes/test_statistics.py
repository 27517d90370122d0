"""Moodle-style quiz statistics, checked against figures worked out by hand."""

import math
import statistics

import pytest

from quizzes.statistics import (
    QuestionStats,
    QuizStats,
    question_stats,
    quiz_stats,
    response_counts,
)

# --------------------------------------------------------------------------- the data set
#
# Six attempts, four questions. Q1 to Q3 are right/wrong (max 1), Q4 is partially
# marked (max 2). The quiz's maximum grade is M = 1 + 1 + 1 + 2 = 5.
#
#   attempt   Q1  Q2  Q3  Q4   total
#   A1         1   1   1  2.0   5.0
#   A2         1   1   0  1.5   3.5
#   A3         1   1   1  1.0   4.0
#   A4         0   1   0  1.0   2.0
#   A5         0   0   0  0.5   0.5
#   A6         0   0   0  0.0   0.0
#
# Notation: n = 6; SS(x) = Σ(x - mean x)² = Σx² - (Σx)²/n;
# SP(x, y) = Σ(x - mean x)(y - mean y) = Σxy - ΣxΣy/n; var = SS/(n-1), cov = SP/(n-1).

MARKS = [
    [1, 1, 1, 2.0],
    [1, 1, 0, 1.5],
    [1, 1, 1, 1.0],
    [0, 1, 0, 1.0],
    [0, 0, 0, 0.5],
    [0, 0, 0, 0.0],
]
MAX_MARKS = [1, 1, 1, 2]

# --------------------------------------------------------------------------- quiz level
#
# Totals t = 5, 3.5, 4, 2, 0.5, 0; Σt = 15; mean = 2.5 → 2.5/5 = 50 %.
# Median: sorted 0, 0.5, 2, 3.5, 4, 5 → (2 + 3.5)/2 = 2.75 → 55 %.
# Deviations d = 2.5, 1, 1.5, -0.5, -2, -2.5
#   d²: 6.25 + 1 + 2.25 + 0.25 + 4 + 6.25   = 20      → m2 = 20/6 = 10/3
#   d³: 15.625 + 1 + 3.375 - 0.125 - 8 - 15.625 = -3.75 → m3 = -0.625
#   d⁴: 39.0625 + 1 + 5.0625 + 0.0625 + 16 + 39.0625 = 100.25 → m4 = 100.25/6 = 401/24
# k2 = 20/5 = 4 (sample variance); SD = 2 → 2/5 = 40 %.
# k3 = n²·m3/((n-1)(n-2)) = 36·(-0.625)/20 = -1.125; skewness = k3/k2^1.5 = -1.125/8 = -0.140625.
# k4 = n²((n+1)m4 - 3(n-1)m2²)/((n-1)(n-2)(n-3))
#    = 36·(7·401/24 - 15·100/9)/60 = 36·(2807/24 - 4000/24)/60 = 36·(-1193/24)/60 = -1193/40
# kurtosis = k4/k2² = (-1193/40)/16 = -1193/640 = -1.8640625.
#
# Item variances (0/1 item with k right: SS = k - k²/6):
#   Q1 k=3: SS = 1.5 → var 0.3      Q2 k=4: SS = 4/3 → var 4/15
#   Q3 k=2: SS = 4/3 → var 4/15     Q4: marks - 1 = 1, .5, 0, 0, -.5, -1 → SS = 2.5 → var 0.5
#   Σ var = 0.3 + 8/15 + 0.5 = 4/3
# alpha = p/(p-1)·(1 - Σvar/k2) = 4/3·(1 - (4/3)/4) = 4/3·2/3 = 8/9 → 88.888… %
# error ratio = 100·sqrt(1 - 8/9) = 100/3 = 33.333… %
# standard error = 33.333… % · 40 % = 13.333… % (of the maximum grade)


def test_quiz_stats_by_hand():
    stats = quiz_stats(MARKS, MAX_MARKS)

    assert isinstance(stats, QuizStats)
    assert stats.attempt_count == 6
    assert stats.mean == pytest.approx(50.0)
    assert stats.median == pytest.approx(55.0)
    assert stats.standard_deviation == pytest.approx(40.0)
    assert stats.skewness == pytest.approx(-0.140625)
    assert stats.kurtosis == pytest.approx(-1193 / 640)
    assert stats.cronbach_alpha == pytest.approx(800 / 9)
    assert stats.error_ratio == pytest.approx(100 / 3)
    assert stats.standard_error == pytest.approx(40 / 3)


# --------------------------------------------------------------------------- question level
#
# rest = total - the question's own mark.
#
# Q1: m = 1,1,1,0,0,0 (mean 0.5, var 0.3); facility 50 %; SD sqrt(0.3) = 0.5477 → 54.77 %
#     r = 4, 2.5, 3, 2, 0.5, 0; Σr = 12, mean 2; r - 2 = 2, .5, 1, 0, -1.5, -2
#     SS(r) = 4 + .25 + 1 + 0 + 2.25 + 4 = 11.5 → var 2.3
#     SP = .5·(2 + .5 + 1) - .5·(0 - 1.5 - 2) = 1.75 + 1.75 = 3.5 → cov 0.7
#     DI = 100·0.7/sqrt(0.3·2.3) = 70/sqrt(0.69) = 84.27 %
#     sorted m = 0,0,0,1,1,1 with sorted r = 0, .5, 2, 2.5, 3, 4: the right answers
#     already sit with the three best rests, so SP_max = SP → DE = 100 %.
#
# Q2: m = 1,1,1,1,0,0 (Σm = 4, var 4/15); facility 66.67 %; SD sqrt(4/15) = 0.5164 → 51.64 %
#     r = 4, 2.5, 3, 1, 0.5, 0; Σr = 11; Σr² = 32.5 → SS(r) = 32.5 - 121/6 = 37/3 → var 37/15
#     Σmr = 4 + 2.5 + 3 + 1 = 10.5 → SP = 10.5 - 4·11/6 = 19/6 → cov 19/30
#     DI = 100·(19/30)/sqrt(4/15 · 37/15) = 100·(19/30)·15/sqrt(148) = 950/sqrt(148) = 78.09 %
#     Again the four right answers go with the four best rests → DE = 100 %.
#
# Q3: m = 1,0,1,0,0,0 (Σm = 2, var 4/15); facility 33.33 %; SD 51.64 %
#     r = 4, 3.5, 3, 2, 0.5, 0; Σr = 13; Σr² = 41.5 → SS(r) = 41.5 - 169/6 = 40/3 → var 8/3
#     Σmr = 4 + 3 = 7 → SP = 7 - 2·13/6 = 8/3 → cov 8/15
#     DI = 100·(8/15)/sqrt(4/15 · 8/3) = 100·(8/15)·sqrt(45/32) = 100·sqrt(2/5) = 63.25 %
#     sorted pairing puts the two 1s with the two best rests, 4 and 3.5:
#     Σmr_max = 7.5 → SP_max = 7.5 - 13/3 = 19/6 → DE = (8/3)/(19/6) = 16/19 = 84.21 %
#
# Q4: m = 2, 1.5, 1, 1, 0.5, 0 (mean 1, var 0.5); facility 1/2 = 50 %
#     SD = sqrt(0.5)/2 = 0.35355 → 35.36 %
#     r = 3, 2, 3, 1, 0, 0; mean 1.5; r - 1.5 = 1.5, .5, 1.5, -.5, -1.5, -1.5 → SS 9.5, var 1.9
#     m - 1 = 1, .5, 0, 0, -.5, -1 → SP = 1.5 + .25 + 0 + 0 + .75 + 1.5 = 4 → cov 0.8
#     DI = 100·0.8/sqrt(0.5·1.9) = 80/sqrt(0.95) = 82.08 %
#     sorted: m - 1 = -1, -.5, 0, 0, .5, 1 with r - 1.5 = -1.5, -1.5, -.5, .5, 1.5, 1.5
#     SP_max = 1.5 + .75 + 0 + 0 + .75 + 1.5 = 4.5 → DE = 4/4.5 = 88.89 %


def test_question_stats_by_hand():
    q1, q2, q3, q4 = question_stats(MARKS, MAX_MARKS, random_guess_scores=[0.5, 0.25, 0.25, None])

    assert q1 == QuestionStats(
        slot=1,
        max_mark=1,
        count=6,
        facility_index=pytest.approx(50.0),
        standard_deviation=pytest.approx(100 * math.sqrt(0.3)),
        random_guess_score=pytest.approx(50.0),
        discrimination_index=pytest.approx(70 / math.sqrt(0.69)),
        discriminative_efficiency=pytest.approx(100.0),
    )
    assert (q2.slot, q2.max_mark, q2.count) == (2, 1, 6)
    assert q2.facility_index == pytest.approx(200 / 3)
    assert q2.standard_deviation == pytest.approx(100 * math.sqrt(4 / 15))
    assert q2.random_guess_score == pytest.approx(25.0)
    assert q2.discrimination_index == pytest.approx(950 / math.sqrt(148))
    assert q2.discriminative_efficiency == pytest.approx(100.0)

    assert q3.facility_index == pytest.approx(100 / 3)
    assert q3.standard_deviation == pytest.approx(100 * math.sqrt(4 / 15))
    assert q3.discrimination_index == pytest.approx(100 * math.sqrt(2 / 5))
    assert q3.discriminative_efficiency == pytest.approx(1600 / 19)

    assert (q4.slot, q4.max_mark) == (4, 2)
    assert q4.facility_index == pytest.approx(50.0)
    assert q4.standard_deviation == pytest.approx(100 * math.sqrt(0.5) / 2)
    assert q4.random_guess_score is None
    assert q4.discrimination_index == pytest.approx(80 / math.sqrt(0.95))
    assert q4.discriminative_efficiency == pytest.approx(800 / 9)


def test_question_stats_agree_with_the_standard_library():
    """Cross-check: SD is a sample SD, DI is Pearson's r with the rest of the test."""
    for q, stats in enumerate(question_stats(MARKS, MAX_MARKS)):
        column = [row[q] for row in MARKS]
        rest = [sum(row) - row[q] for row in MARKS]
        assert stats.standard_deviation == pytest.approx(
            100 * statistics.stdev(column) / MAX_MARKS[q]
        )
        assert stats.discrimination_index == pytest.approx(
            100 * statistics.correlation(column, rest)
        )


def test_custom_slot_numbers():
    stats = question_stats(MARKS, MAX_MARKS, slots=[3, 5, 8, 13])
    assert [s.slot for s in stats] == [3, 5, 8, 13]
    with pytest.raises(ValueError):
        question_stats(MARKS, MAX_MARKS, slots=[1, 2])
    with pytest.raises(ValueError):
        question_stats(MARKS, MAX_MARKS, random_guess_scores=[0.5])


def test_question_that_weak_trainees_get_right_discriminates_negatively():
    # Q2 is right exactly when Q1 is wrong: cov(Q2, rest) < 0, so DI and DE are negative.
    marks = [[1, 0, 1], [1, 0, 1], [0, 1, 1], [0, 1, 0]]
    q2 = question_stats(marks, [1, 1, 1])[1]
    assert q2.discrimination_index < 0
    assert q2.discriminative_efficiency < 0


# --------------------------------------------------------------------------- KR-20
#
# Only right/wrong items: alpha must equal KR-20 = k/(k-1)·(1 - Σ p_i q_i / σ²), with
# population variance σ² of the totals (the n/(n-1) of the sample formulas cancels).
#
#   attempt  I1 I2 I3  total
#   B1        1  1  1   3
#   B2        1  1  0   2
#   B3        1  0  0   1
#   B4        1  0  1   2
#   B5        0  0  0   0
#
# p = 4/5, 2/5, 2/5 → pq = .16, .24, .24 → Σpq = .64
# totals 3, 2, 1, 2, 0: mean 1.6; deviations 1.4, .4, -.6, .4, -1.6;
# squares 1.96 + .16 + .36 + .16 + 2.56 = 5.2 → σ² = 5.2/5 = 1.04
# KR-20 = 3/2·(1 - .64/1.04) = 3/2·(.4/1.04) = 15/26 = 0.5769 → 57.69 %

KR_MARKS = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [1, 0, 1], [0, 0, 0]]


def kr20(marks: list[list[int]]) -> float:
    """KR-20 straight from its textbook definition (as a fraction, not %)."""
    n, k = len(marks), len(marks[0])
    p = [sum(row[i] for row in marks) / n for i in range(k)]
    totals = [sum(row) for row in marks]
    return k / (k - 1) * (1 - sum(pi * (1 - pi) for pi in p) / statistics.pvariance(totals))


def test_kr20_by_hand():
    assert kr20(KR_MARKS) == pytest.approx(15 / 26)
    assert quiz_stats(KR_MARKS, [1, 1, 1]).cronbach_alpha == pytest.approx(1500 / 26)


def test_alpha_equals_kr20_for_right_wrong_items():
    marks = [
        [1, 1, 1, 0, 1],
        [1, 0, 1, 0, 0],
        [1, 1, 1, 1, 1],
        [0, 0, 1, 0, 0],
        [1, 1, 0, 1, 1],
        [0, 0, 0, 0, 1],
        [1, 1, 1, 1, 0],
        [0, 1, 0, 0, 0],
    ]
    stats = quiz_stats(marks, [1] * 5)
    assert stats.cronbach_alpha == pytest.approx(100 * kr20(marks))
    assert stats.error_ratio == pytest.approx(100 * math.sqrt(1 - kr20(marks)))


# --------------------------------------------------------------------------- edge cases


def test_no_attempts():
    assert quiz_stats([], [1, 1]) == QuizStats(0, None, None, None, None, None, None, None, None)
    assert question_stats([], [1, 2]) == [
        QuestionStats(1, 1, 0, None, None, None, None, None),
        QuestionStats(2, 2, 0, None, None, None, None, None),
    ]


def test_one_attempt():
    stats = quiz_stats([[1, 0.5]], [1, 1])
    assert stats.attempt_count == 1
    assert stats.mean == pytest.approx(75.0)
    assert stats.median == pytest.approx(75.0)
    assert (stats.standard_deviation, stats.skewness, stats.kurtosis) == (None, None, None)
    assert (stats.cronbach_alpha, stats.error_ratio, stats.standard_error) == (None, None, None)

    q1, q2 = question_stats([[1, 0.5]], [1, 1])
    assert q1.facility_index == pytest.approx(100.0)
    assert q2.facility_index == pytest.approx(50.0)
    for q in (q1, q2):
        assert q.standard_deviation is None
        assert q.discrimination_index is None
        assert q.discriminative_efficiency is None


def test_identical_attempts():
    marks = [[1, 0, 0.5]] * 5
    stats = quiz_stats(marks, [1, 1, 1])
    assert stats.mean == pytest.approx(50.0)
    assert stats.median == pytest.approx(50.0)
    assert stats.standard_deviation == 0.0  # defined: everybody scored the same
    assert (stats.skewness, stats.kurtosis) == (None, None)
    assert (stats.cronbach_alpha, stats.error_ratio, stats.standard_error) == (None, None, None)

    for q in question_stats(marks, [1, 1, 1]):
        assert q.standard_deviation == 0.0
        assert q.discrimination_index is None
        assert q.discriminative_efficiency is None


def test_constant_float_column_has_no_rounding_noise_variance():
    # (0.1 + 0.1 + 0.1) / 3 is not exactly 0.1 in floating point; the column is still constant.
    marks = [[0.1, 1], [0.1, 0], [0.1, 1]]
    q1, _ = question_stats(marks, [1, 1])
    assert q1.standard_deviation == 0.0
    assert q1.discrimination_index is None
    assert q1.discriminative_efficiency is None


def test_too_few_attempts_for_skewness_and_kurtosis():
    two = quiz_stats([[1, 1], [0, 1]], [1, 1])
    assert two.standard_deviation is not None
    assert (two.skewness, two.kurtosis) == (None, None)
    three = quiz_stats([[1, 1], [0, 1], [0, 0]], [1, 1])
    assert three.skewness is not None
    assert three.kurtosis is None


def test_single_question_quiz_has_no_alpha_and_no_discrimination():
    marks = [[1], [0], [1]]
    assert quiz_stats(marks, [1]).cronbach_alpha is None
    (q,) = question_stats(marks, [1])
    assert q.facility_index == pytest.approx(200 / 3)
    assert q.discrimination_index is None  # the rest of the test is always 0


def test_zero_maximum_mark():
    (q,) = question_stats([[0], [0]], [0])
    assert q.facility_index is None
    assert q.standard_deviation is None
    stats = quiz_stats([[0], [0]], [0])
    assert stats.mean is None
    assert stats.standard_deviation is None


def test_attempt_with_wrong_number_of_marks():
    with pytest.raises(ValueError):
        quiz_stats([[1, 0], [1]], [1, 1])
    with pytest.raises(ValueError):
        question_stats([[1, 0, 1]], [1, 1])


# --------------------------------------------------------------------------- responses


def test_response_counts_orders_by_count_then_key():
    counts = response_counts(["b", "a", "c", "b", "a", "d", "b"])
    assert counts == {"b": 3, "a": 2, "c": 1, "d": 1}
    assert list(counts) == ["b", "a", "c", "d"]
    assert response_counts([]) == {}
    assert response_counts(iter(["x"])) == {"x": 1}
