"""Quiz statistics in the manner of Moodle's statistics report, from plain numbers.

No Django here: the functions take a matrix of marks, so the report can feed
them from the ORM, from SQL aggregates or from a CSV file alike.

Input
-----
``marks[a][q]`` is the mark attempt ``a`` earned on question ``q`` (in the
question's own marks, ``0 <= mark <= max_marks[q]``) and ``max_marks[q]`` the
question's maximum mark in this quiz. Only the attempts that count under the
quiz's grading method belong in ``marks`` (Moodle's "first", "highest", "last"
or "all" attempts), and only questions that carry marks belong in
``max_marks`` (no description items: they would count as items in Cronbach's
alpha).

Conventions (the same as Moodle's report; formulas below use ``n`` attempts)
------------------------------------------------------------------------------
* Sample statistics throughout: every variance and covariance divides a sum of
  squares or products of deviations from the mean by ``n - 1``, never by ``n``::

      var(x)    = Σ (x_a - mean(x))² / (n - 1)
      cov(x, y) = Σ (x_a - mean(x)) (y_a - mean(y)) / (n - 1)

  (Moodle: ``question/classes/statistics/questions/calculator.php`` and
  ``mod/quiz/report/statistics/classes/calculator.php``.)
* Scores are reported as percentages: a question's facility and standard
  deviation of its maximum mark, the quiz's mean, median, standard deviation
  and standard error of the quiz's maximum grade ``Σ max_marks``. Skewness and
  kurtosis have no unit. Cronbach's alpha and the error ratio are percentages
  too, as Moodle shows them ("coefficient of internal consistency": 88.89 means
  alpha = 0.8889).
* A figure that is undefined for the data (too few attempts, a zero variance
  in a denominator, a zero maximum mark) is ``None``; nothing here raises
  ``ZeroDivisionError``. A standard deviation of exactly zero *is* defined and
  is returned as ``0.0``.
* "Zero variance" is decided exactly (all values equal), not by comparing a
  float with zero, so rounding noise such as ``(0.1 + 0.1 + 0.1) / 3 != 0.1`` never turns
  a constant column into a tiny spurious variance.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "QuestionStats",
    "QuizStats",
    "question_stats",
    "quiz_stats",
    "response_counts",
]


@dataclass(frozen=True, slots=True)
class QuestionStats:
    """Moodle's per-question statistics for one slot.

    Attributes:
        slot: the slot number (by default the question's position, counted from 1).
        max_mark: the question's maximum mark in this quiz.
        count: number of attempts analysed (``n``).
        facility_index: ``100 · mean(mark) / max_mark`` — the average score in %
            of the maximum mark. ``None`` without attempts or when ``max_mark`` is 0.
        standard_deviation: ``100 · sqrt(var(mark)) / max_mark`` with the sample
            variance (``n - 1``) of the raw marks, i.e. the SD of the fraction
            ``mark / max_mark`` in %, as Moodle's "Standard deviation" column.
            ``None`` below 2 attempts or when ``max_mark`` is 0.
        random_guess_score: the score a random guesser would expect, in % of the
            maximum mark (given by the caller, e.g. 25.0 for one of four options);
            ``None`` when not known.
        discrimination_index: ``100 · cov(mark, rest) / sqrt(var(mark) · var(rest))``
            where ``rest`` is the attempt's total mark minus this question's mark:
            the correlation of the question with the rest of the test, in %.
            ``None`` below 2 attempts or when either variance is 0.
        discriminative_efficiency: ``100 · cov(mark, rest) / cov_max`` where
            ``cov_max = Σ (m_(i) - mean(mark)) (r_(i) - mean(rest)) / (n - 1)``
            pairs the i-th smallest mark ``m_(i)`` with the i-th smallest rest
            mark ``r_(i)``: the largest covariance these marks could reach. In %.
            ``None`` below 2 attempts or when ``cov_max`` is 0 (either column
            constant).
    """

    slot: int
    max_mark: float
    count: int
    facility_index: float | None
    standard_deviation: float | None
    random_guess_score: float | None
    discrimination_index: float | None
    discriminative_efficiency: float | None


@dataclass(frozen=True, slots=True)
class QuizStats:
    """Moodle's quiz-level statistics over the attempts' total marks.

    With ``t_a = Σ_q marks[a][q]`` the total of attempt ``a``, ``M = Σ max_marks``
    the maximum grade, ``p`` the number of questions, ``d_a = t_a - mean(t)`` and
    ``m_k = Σ d_a^k / n`` (central moments):

    Attributes:
        attempt_count: ``n``.
        mean: ``100 · mean(t) / M``. ``None`` without attempts or when ``M`` is 0.
        median: ``100 · median(t) / M`` (the mean of the two middle totals when
            ``n`` is even). ``None`` without attempts or when ``M`` is 0.
        standard_deviation: ``100 · sqrt(k2) / M`` with
            ``k2 = Σ d_a² / (n - 1) = n · m2 / (n - 1)`` (sample variance).
            ``None`` below 2 attempts or when ``M`` is 0.
        skewness: ``k3 / k2^(3/2)`` with ``k3 = n² · m3 / ((n - 1)(n - 2))``.
            ``None`` below 3 attempts or when ``k2`` is 0.
        kurtosis: excess kurtosis ``k4 / k2²`` with
            ``k4 = n² · ((n + 1) · m4 - 3 (n - 1) · m2²) / ((n - 1)(n - 2)(n - 3))``
            (0 for a normal distribution). ``None`` below 4 attempts or when
            ``k2`` is 0.
        cronbach_alpha: the coefficient of internal consistency in %,
            ``100 · p / (p - 1) · (1 - Σ_q var(marks[·][q]) / k2)`` with sample
            variances of the raw marks. For right/wrong (0/1) items this equals
            KR-20 ``p / (p - 1) · (1 - Σ p_q (1 - p_q) / σ²)``: the factor
            ``n / (n - 1)`` cancels between numerator and denominator. ``None``
            when ``p < 2``, below 2 attempts or when ``k2`` is 0. (Moodle only
            reports it from 3 attempts on, because it computes it next to the
            skewness; with 2 attempts the figure is defined but means little.)
        error_ratio: ``100 · sqrt(1 - alpha / 100)``: the share of the standard
            deviation that is due to chance rather than to differences between
            trainees, in %. ``None`` when alpha is ``None``.
        standard_error: ``error_ratio · standard_deviation / 100``, in % of the
            maximum grade: the uncertainty of a single trainee's total.
            ``None`` when either factor is ``None``.
    """

    attempt_count: int
    mean: float | None
    median: float | None
    standard_deviation: float | None
    skewness: float | None
    kurtosis: float | None
    cronbach_alpha: float | None
    error_ratio: float | None
    standard_error: float | None


# --------------------------------------------------------------------------- helpers


def _validated(marks: Sequence[Sequence[float]], max_marks: Sequence[float]) -> None:
    """Raise ``ValueError`` unless every attempt has one mark per question."""
    width = len(max_marks)
    for index, row in enumerate(marks):
        if len(row) != width:
            raise ValueError(
                f"Attempt {index} has {len(row)} marks but there are {width} questions."
            )


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _is_constant(values: Sequence[float]) -> bool:
    return min(values) == max(values)


def _sum_of_products(xs: Sequence[float], ys: Sequence[float]) -> float:
    """``Σ (x_i - mean(x)) (y_i - mean(y))``, exactly 0 when either column is constant."""
    if _is_constant(xs) or _is_constant(ys):
        return 0.0
    mean_x, mean_y = _mean(xs), _mean(ys)
    return math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))


def _sample_variance(values: Sequence[float]) -> float:
    """``Σ (x_i - mean(x))² / (n - 1)``; the caller makes sure that ``n >= 2``."""
    return _sum_of_products(values, values) / (len(values) - 1)


def _percent(value: float, maximum: float) -> float | None:
    return None if maximum == 0 else 100 * value / maximum


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


# --------------------------------------------------------------------------- questions


def question_stats(
    marks: Sequence[Sequence[float]],
    max_marks: Sequence[float],
    *,
    slots: Sequence[int] | None = None,
    random_guess_scores: Sequence[float | None] | None = None,
) -> list[QuestionStats]:
    """Per-question statistics, one `QuestionStats` per column of ``marks``.

    Args:
        marks: ``marks[a][q]`` = mark of attempt ``a`` on question ``q``.
        max_marks: ``max_marks[q]`` = maximum mark of question ``q``.
        slots: slot numbers to report, one per question; by default 1, 2, 3, …
        random_guess_scores: per question, the expected *fraction* (0..1) of the
            maximum mark a random guess earns, as a question type computes it
            (e.g. 0.25 for a single-answer multiple choice with four options),
            or ``None``; reported as a percentage.

    Formulas (``m`` = the question's marks, ``r`` = rest of the test, i.e.
    ``r_a = Σ_q' marks[a][q'] - m_a``, ``n`` = number of attempts, sample
    statistics with ``n - 1``):

        facility_index            = 100 · mean(m) / max_mark
        standard_deviation        = 100 · sqrt(var(m)) / max_mark
        discrimination_index      = 100 · cov(m, r) / sqrt(var(m) · var(r))
        discriminative_efficiency = 100 · cov(m, r) / cov_max(m, r)
        cov_max(m, r)             = Σ_i (sorted(m)_i - mean(m)) (sorted(r)_i - mean(r)) / (n - 1)

    See `QuestionStats` for when each figure is ``None``.

    Raises:
        ValueError: an attempt does not have exactly one mark per question, or
            ``slots`` / ``random_guess_scores`` have the wrong length.
    """
    _validated(marks, max_marks)
    count = len(max_marks)
    if slots is None:
        slots = range(1, count + 1)
    if random_guess_scores is None:
        random_guess_scores = [None] * count
    if len(slots) != count or len(random_guess_scores) != count:
        raise ValueError("slots and random_guess_scores need one entry per question.")

    attempts = len(marks)
    totals = [math.fsum(row) for row in marks]
    results = []
    for q, max_mark in enumerate(max_marks):
        column = [row[q] for row in marks]
        guess = random_guess_scores[q]
        facility = sd = discrimination = efficiency = None
        if attempts:
            facility = _percent(_mean(column), max_mark)
        if attempts >= 2:
            rest = [total - mark for total, mark in zip(totals, column, strict=True)]
            sd = _percent(math.sqrt(_sample_variance(column)), max_mark)
            covariance_sum = _sum_of_products(column, rest)
            if not (_is_constant(column) or _is_constant(rest)):
                # Σ dm² and Σ dr² are both > 0; the (n - 1) divisors cancel.
                discrimination = (
                    100
                    * covariance_sum
                    / math.sqrt(_sum_of_products(column, column) * _sum_of_products(rest, rest))
                )
                # Pairing sorted with sorted maximises the covariance (rearrangement
                # inequality); it is > 0 here because neither column is constant.
                max_covariance_sum = _sum_of_products(sorted(column), sorted(rest))
                efficiency = 100 * covariance_sum / max_covariance_sum
        results.append(
            QuestionStats(
                slot=slots[q],
                max_mark=max_mark,
                count=attempts,
                facility_index=facility,
                standard_deviation=sd,
                random_guess_score=None if guess is None else 100 * guess,
                discrimination_index=discrimination,
                discriminative_efficiency=efficiency,
            )
        )
    return results


# --------------------------------------------------------------------------- quiz


def quiz_stats(marks: Sequence[Sequence[float]], max_marks: Sequence[float]) -> QuizStats:
    """Quiz-level statistics over the attempts' total marks (see `QuizStats`).

    Args:
        marks: ``marks[a][q]`` = mark of attempt ``a`` on question ``q``.
        max_marks: ``max_marks[q]`` = maximum mark of question ``q``; their sum is
            the quiz's maximum grade, the base of all percentages.

    Formulas (``t_a`` = total of attempt ``a``, ``M = Σ max_marks``, ``p`` =
    number of questions, ``d_a = t_a - mean(t)``, ``m_k = Σ d_a^k / n``):

        mean               = 100 · mean(t) / M
        median             = 100 · median(t) / M
        k2                 = n · m2 / (n - 1)            (= sample variance of t)
        standard_deviation = 100 · sqrt(k2) / M
        k3                 = n² · m3 / ((n - 1)(n - 2))
        skewness           = k3 / k2^(3/2)
        k4                 = n² ((n + 1) m4 - 3 (n - 1) m2²) / ((n - 1)(n - 2)(n - 3))
        kurtosis           = k4 / k2²
        cronbach_alpha     = 100 · p / (p - 1) · (1 - Σ_q var(marks[·][q]) / k2)
        error_ratio        = 100 · sqrt(1 - cronbach_alpha / 100)
        standard_error     = error_ratio · standard_deviation / 100

    Raises:
        ValueError: an attempt does not have exactly one mark per question.
    """
    _validated(marks, max_marks)
    n = len(marks)
    maximum = math.fsum(max_marks)
    mean = median = sd = skewness = kurtosis = alpha = error_ratio = standard_error = None
    if n:
        totals = [math.fsum(row) for row in marks]
        mean = _percent(_mean(totals), maximum)
        median = _percent(_median(totals), maximum)
    if n >= 2:
        k2 = _sample_variance(totals)
        sd = _percent(math.sqrt(k2), maximum)
        if not _is_constant(totals):
            average = _mean(totals)
            m2, m3, m4 = (math.fsum((t - average) ** k for t in totals) / n for k in (2, 3, 4))
            if n >= 3:
                k3 = n * n * m3 / ((n - 1) * (n - 2))
                skewness = k3 / k2**1.5
            if n >= 4:
                k4 = n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3))
                kurtosis = k4 / (k2 * k2)
            p = len(max_marks)
            if p >= 2:
                item_variances = math.fsum(
                    _sample_variance([row[q] for row in marks]) for q in range(p)
                )
                alpha = 100 * p / (p - 1) * (1 - item_variances / k2)
                # alpha <= 100 in exact arithmetic; clamp rounding noise below zero.
                error_ratio = 100 * math.sqrt(max(0.0, 1 - alpha / 100))
                if sd is not None:
                    standard_error = error_ratio * sd / 100
    return QuizStats(
        attempt_count=n,
        mean=mean,
        median=median,
        standard_deviation=sd,
        skewness=skewness,
        kurtosis=kurtosis,
        cronbach_alpha=alpha,
        error_ratio=error_ratio,
        standard_error=standard_error,
    )


# --------------------------------------------------------------------------- responses


def response_counts(responses: Iterable[str]) -> dict[str, int]:
    """How often each response was given: most frequent first, ties by response text.

    >>> response_counts(["b", "a", "b", "c", "a", "b"])
    {'b': 3, 'a': 2, 'c': 1}
    """
    counted = Counter(responses)
    return dict(sorted(counted.items(), key=lambda item: (-item[1], item[0])))
