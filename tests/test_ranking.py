"""Decided places and ties from (plan, bound) intervals, and the rounds that spend a comparison's
budget on the candidates still in contention (racing.run_rounds with a stand-in runner: no
solver)."""

from __future__ import annotations

import pytest

from periodize.plan.schema import Plan
from periodize.sweep.racing import SweepBudget, run_rounds
from periodize.sweep.ranking import Place, contenders, places, top_decided, top_equivalent


def test_separated_intervals_decide_every_place():
    found = places([(10, 11), (12, 13), (5, 6)])
    assert found == [Place(2, 2), Place(1, 1), Place(3, 3)]
    assert top_decided(found) and contenders(found) == [1]
    assert found[0].ruled_out and not found[1].ruled_out


def test_overlapping_intervals_are_ties_within_the_bounds():
    # candidate 0 (10..12.5) overlaps candidate 1 (12..13): either may be first
    found = places([(10, 12.5), (12, 13), (5, 6)])
    assert found[0] == Place(1, 2) and found[1] == Place(1, 2) and found[2] == Place(3, 3)
    assert not top_decided(found) and contenders(found) == [0, 1]
    assert found[0].text() == "1-2" and found[2].text() == "3"


def test_a_bound_below_the_best_plan_rules_out_even_when_its_place_is_open():
    # candidate 2 cannot be first (its bound 11 is below 12) but may be second or third
    found = places([(10, 11.5), (12, 13), (9, 11)])
    assert found[2] == Place(2, 3) and found[2].ruled_out and not found[2].decided
    assert found[1] == Place(1, 1)


def test_equal_proven_plans_tie_and_missing_plans_are_not_ranked():
    found = places([(10, 10), (10, 10), None])
    assert found[:2] == [Place(1, 2), Place(1, 2)] and found[2] is None
    assert not top_decided(found)


class FakeRunner:
    """Answers each job with a plan whose objective and bound the test sets per scenario name and
    round; records the jobs of each round."""

    slots = 2

    def __init__(self, answers):
        self.answers, self.rounds = answers, []

    def run(self, jobs):
        self.rounds.append(jobs)
        out = []
        for job in jobs:
            objective, bound = self.answers[job.scenario][len(self.rounds) - 1]
            status = "optimal" if objective == bound else "feasible"
            out.append(Plan(status=status, objective=objective, bound=bound, solve_seconds=1.0))
        return out


def test_rounds_go_to_the_contenders_with_cutoffs_and_their_own_plans_as_hints():
    answers = {  # round 1, round 2 per candidate
        "a": [(100, 104), (101, 102)],
        "b": [(102, 106), (103, 103.5)],
        "c": [(90, 95), None],  # ruled out after round 1: never solved again
    }
    runner = FakeRunner(answers)
    candidates, found, rounds = run_rounds(
        ["a", "b", "c"], lambda i, j: 7 * (i - j), runner, SweepBudget(work_limit=3.0)
    )
    assert rounds == 2
    first, second = runner.rounds
    assert [j.scenario for j in first] == ["a", "b", "c"]
    assert {j.work_limit for j in first} == {1.0} and {j.work_limit for j in second} == {2.0}
    assert [j.scenario for j in second] == ["a", "b"]
    by_name = {j.scenario: j for j in second}
    assert by_name["a"].cutoff == 102 and by_name["b"].cutoff is None  # b leads after round 1
    assert by_name["a"].warm_start[0].objective == 100 and by_name["a"].warm_start[1] == 0
    # best plan and lowest bound over the rounds
    assert candidates[0].interval == (101, 102) and candidates[1].interval == (103, 103.5)
    assert found[1] == Place(1, 1) and top_decided(found)


def test_the_sweep_stops_once_the_top_is_decided():
    runner = FakeRunner({"a": [(100, 101)], "b": [(102, 102)]})
    _, found, rounds = run_rounds(["a", "b"], lambda i, j: 0, runner, SweepBudget(work_limit=3.0))
    assert rounds == 1 and top_decided(found)


def test_budgets_are_checked():
    with pytest.raises(ValueError, match="time_limit"):
        SweepBudget(time_limit=-1)
    with pytest.raises(ValueError, match="per_candidate needs a time_limit"):
        SweepBudget(work_limit=1, per_candidate=True)
    assert SweepBudget(work_limit=1).reproducible and not SweepBudget(60, 1).reproducible


def test_a_candidate_without_a_plan_leaves_the_top_place_undecided():
    """A date whose solve found no plan (status unknown) may still be the best: the sweep must
    not call another date's top place decided (batch.compare_peaks reads `undetermined`)."""
    from periodize.sweep.racing import Candidate

    planned, unplanned, impossible = Candidate("a"), Candidate("b"), Candidate("c")  # type: ignore[arg-type]
    planned.take(Plan(status="optimal", objective=100, bound=100, solve_seconds=1.0))
    unplanned.take(Plan(status="unknown", solve_seconds=1.0))
    impossible.take(Plan(status="infeasible", solve_seconds=1.0))
    found = places([c.interval for c in (planned, unplanned, impossible)])
    assert top_decided(found)  # among the planned dates alone, "a" is first ...
    assert unplanned.undetermined and not planned.undetermined  # ... but "b" is unknown
    assert not impossible.undetermined  # a date proven to have no plan cannot be first


def test_a_plan_without_a_bound_is_kept_but_not_ranked():
    """A constructed plan from a search that proved no bound (bound None): the candidate keeps
    it (it is the next round's hint) but has no interval, so it stays undetermined and waits for
    another round; a later bound completes its interval."""
    from periodize.sweep.racing import Candidate

    c = Candidate("a")  # type: ignore[arg-type]
    c.take(Plan(status="feasible", objective=90, bound=None, solve_seconds=1.0))
    assert c.best is not None and c.interval is None and c.undetermined and c.waiting
    assert isinstance(c.plan(), Plan) and c.plan().objective == 90
    c.take(Plan(status="feasible", objective=95, bound=99, solve_seconds=1.0))
    assert c.interval == (95, 99) and not c.undetermined and not c.waiting


def test_contenders_within_the_tolerance_are_practically_equivalent():
    # both may be first (their intervals overlap); from the lowest plan (100) to the highest
    # bound (100.2) is 0.2 % of the best plan (100.1): equivalent at 0.25 %, not at 0.1 %
    intervals = [(100.0, 100.2), (100.1, 100.15), (90.0, 95.0)]
    found = places(intervals)
    assert not top_decided(found) and contenders(found) == [0, 1]
    assert top_equivalent(intervals, found, 0.0025) == [0, 1]
    assert top_equivalent(intervals, found, 0.001) == []
    # a decided top place is not an equivalence
    decided = [(100.0, 100.0), (90.0, 95.0)]
    assert top_equivalent(decided, places(decided), 0.5) == []


def test_the_sweep_stops_once_the_top_is_practically_equivalent():
    answers = {"a": [(100, 100.2), (100, 100)], "b": [(100.1, 100.15), (100.1, 100.1)]}
    _, found, rounds = run_rounds(
        ["a", "b"], lambda i, j: 0, FakeRunner(answers), SweepBudget(work_limit=3.0)
    )
    assert rounds == 1 and not top_decided(found)
    _, found, rounds = run_rounds(
        ["a", "b"], lambda i, j: 0, FakeRunner(answers), SweepBudget(work_limit=3.0),
        tolerance=0.0005,
    )  # fmt: skip
    assert rounds == 2 and top_decided(found)
