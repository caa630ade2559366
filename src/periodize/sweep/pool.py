"""Many solves at once, each in its own process: a local process pool kept for a whole sweep, or
any concurrent.futures-style executor such as a Dask distributed client's `get_executor()`.

CP-SAT solves must not share a process (cp-sat-notes.md), so every `Job` is pickled to a worker
process, which builds its model there. Results come back in input order whatever order they
finish in. A job whose worker process dies is not lost: the jobs that were waiting on the broken
pool are solved again, each in a pool of its own, so that only a job that kills its worker every
time is reported as crashed. (On Dask the scheduler itself moves the tasks of a lost worker to
another one.)
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from periodize.plan.schema import Plan
from periodize.scenario.schema import Scenario

# Fault injection for the tests: PERIODIZE_FAULT=<athlete name> kills every worker process that
# starts that athlete's solve; PERIODIZE_FAULT_ONCE=<file> kills the first worker process to start
# a solve while the file does not exist yet (and creates it): a worker lost once, mid-sweep.
FAULT, FAULT_ONCE = "PERIODIZE_FAULT", "PERIODIZE_FAULT_ONCE"
EXIT_FAULT = 70


@dataclass(frozen=True)
class Job:
    """One solve as sent to a worker process (picklable): the scenario and periodize.solve's
    options. `explain`: name the clashing rules when the scenario is infeasible."""

    scenario: Scenario
    seed: int = 0
    time_limit: float | None = None
    work_limit: float | None = None
    workers: int = 1
    warm_start: tuple[Plan, int] | None = None
    cutoff: float | None = None
    explain: bool = True


_in_local_pool = False  # this process is a worker of a local pool (see _stop_on_sigint)
_interrupted = False  # in such a worker: Ctrl-C reached it (its process group's SIGINT)


def _stop_on_sigint() -> None:
    """A local pool's worker: Ctrl-C at the terminal (sent to the whole process group) stops
    the running solve, which returns its best plan so far, and no later job starts a search.
    Jobs then run on a thread of their own, so that the handler runs while CP-SAT searches
    (Python handles signals on the main thread, between bytecodes)."""
    global _in_local_pool
    _in_local_pool = True

    def stop(signum: int, frame: object) -> None:
        from periodize.solver.search import stopping

        global _interrupted
        _interrupted = True
        stopping.interrupt()

    signal.signal(signal.SIGINT, stop)


def solve_job(job: Job) -> Plan | str:
    """Solve one job (in a worker process); an infeasible scenario's plan says which rules clash;
    "interrupted" when Ctrl-C came before the job began."""
    if _interrupted:
        return "interrupted: not solved"
    if not _in_local_pool:
        return _solved(job)
    outcome: list[Plan | BaseException] = []

    def work() -> None:
        try:
            outcome.append(_solved(job))
        except BaseException as exc:  # re-raised in the worker's main thread
            outcome.append(exc)

    thread = threading.Thread(target=work, name="periodize-job", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.2)
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _solved(job: Job) -> Plan:
    from periodize.audit import settle
    from periodize.solver.search.pipeline import search

    _maybe_fail(job.scenario.athlete.name)
    plan = search(  # unaudited, with a cutoff: periodize.solve is this search and the settle below
        job.scenario, time_limit=job.time_limit, work_limit=job.work_limit, seed=job.seed,
        workers=job.workers, warm_start=job.warm_start, cutoff=job.cutoff,
    )  # fmt: skip
    if plan.days:
        settle(job.scenario, plan, {(b.rule, b.week) for b in plan.bends})
    if plan.status == "infeasible" and job.explain:
        from periodize.api import explain

        plan.conflict = explain(job.scenario, time_limit=job.time_limit or 60.0, seed=job.seed)
    return plan


def _maybe_fail(athlete: str) -> None:
    if os.environ.get(FAULT) == athlete:
        os._exit(EXIT_FAULT)
    marker = os.environ.get(FAULT_ONCE)
    if marker:
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
        os._exit(EXIT_FAULT)


def cores() -> int:
    return os.cpu_count() or 1


def executor_slots(executor: Executor) -> int | None:
    """How many solves an executor runs at once, when it can tell (a Dask client's threads)."""
    client = getattr(executor, "_client", None)
    try:
        threads = client.nthreads() if client is not None else None
    except Exception:  # a client that cannot answer: the caller's guess stands
        return None
    return sum(threads.values()) or None if threads else None


class Runner:
    """Runs Jobs: on `executor` if given, else on a local process pool of `processes` (default:
    the cores, never more) created once and kept until close(). `slots`: solves at once."""

    def __init__(self, executor: Executor | None = None, processes: int | None = None) -> None:
        self.own = executor is None
        if executor is None:
            self.slots = max(1, min(processes or cores(), cores()))
        else:
            self.slots = max(1, processes or executor_slots(executor) or cores())
        self._executor = executor
        self._pool: Executor | None = executor

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.own and self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        self._pool = self._executor

    def _get_pool(self) -> Executor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.slots, initializer=_stop_on_sigint)
        return self._pool

    def run(
        self, jobs: Sequence[Job], progress: Callable[[int], None] | None = None
    ) -> list[Plan | str]:
        """Every job's Plan in input order, or why there is none ('crashed: ...')."""
        from periodize.solver.search import stopping

        results: list[Plan | str] = ["crashed: no result"] * len(jobs)
        broken = self._collect(self._get_pool(), jobs, range(len(jobs)), results, progress)
        if broken and stopping.requested():  # Ctrl-C broke the pool: nothing is run again
            for i in broken:
                results[i] = "interrupted: not solved"
            return results
        if broken and self.own:  # a broken pool takes no more jobs: all again on a new one
            self._replace_pool()
            broken = self._collect(self._get_pool(), jobs, broken, results, progress)
            if broken:
                self._replace_pool()
        for i in broken:  # broken again: each in a pool of its own, so only the culprit is marked
            with ProcessPoolExecutor(max_workers=1) as alone:
                broken_alone = self._collect(alone, jobs, [i], results, progress)
            for j in broken_alone:
                results[j] = "crashed: its worker process died (every time it was solved)"
                if progress:
                    progress(1)
        return results

    def _replace_pool(self) -> None:
        assert self._pool is not None
        self._pool.shutdown(cancel_futures=True)
        self._pool = None

    @staticmethod
    def _collect(
        pool: Executor,
        jobs: Sequence[Job],
        which: Sequence[int],
        results: list[Plan | str],
        progress: Callable[[int], None] | None,
    ) -> list[int]:
        """Run jobs[which] on `pool` into results; the indices whose pool broke under them."""
        futures, broken = {}, []
        for i in which:
            try:
                futures[i] = pool.submit(solve_job, jobs[i])
            except BrokenProcessPool:  # broken before this job could be sent
                broken.append(i)
        for i, future in futures.items():
            try:
                results[i] = future.result()
            except BrokenProcessPool:
                broken.append(i)  # maybe another job killed the pool
                continue
            except Exception as exc:  # a bug in one solve, or a task Dask gave up on: a row
                results[i] = _crashed(exc)
            if progress:
                progress(1)
        return broken


def _crashed(exc: BaseException) -> str:
    return f"crashed: {type(exc).__name__}: {exc}".strip()


def run_jobs(
    jobs: Sequence[Job],
    *,
    executor: Executor | None = None,
    processes: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Plan | str]:
    """Run jobs once on a fresh Runner (see Runner.run)."""
    with Runner(executor, processes) as runner:
        return runner.run(jobs, progress)


def solver_workers(runner: Runner, jobs: int) -> int:
    """CP-SAT workers per solve: processes x workers <= cores on the local pool; one on an
    executor (start its workers with one thread each)."""
    if not runner.own:
        return 1
    return max(1, cores() // max(1, min(runner.slots, jobs)))
