"""``make locales``: every stage for every story, in one process, redoing only what changed.

A story is skipped when the digest of everything its outputs depend on
(:mod:`storyloc.freshness`, the rule ``publish`` also uses: its article and
photos, template and catalogs; the settings, glossaries and imported memories;
storyloc's own page template and words) equals the digest recorded after its
last complete run. Reading and hashing a few files per story is what a run with
nothing to do costs: well under a second for hundreds of stories.

Stories are independent, so with ``jobs`` > 1 the stories to redo run in
that many processes at once, each with its own drafting session (engines,
cache, translation memory) for all the stories it gets.
"""
from __future__ import annotations

import contextlib
import json
import os
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, ContextManager, Union

from . import freshness
from .project import Project
from .files import write_if_changed

Stage = tuple[str, Callable[[Project, str], object]]
# A list of stages, or (to run stories in several processes, each opening its own) a module-level
# function of the project returning a context manager that yields them.
Stages = Union[list[Stage], Callable[[Project], ContextManager[list[Stage]]]]


@dataclass
class StoryRun:
    story: str
    skipped: bool
    stages: dict[str, object] = field(default_factory=dict)
    complete: bool = True           # False when something was left for a later run (e.g. an engine was offline)

    @property
    def files_written(self) -> int:
        """The files its stages rewrote: 0 when it was redone (``--force``, or an input changed that
        no output shows) and every file already held what it would write.  A stage gives a result
        with ``files_written``, or a result or list of results with a ``written`` flag each."""
        total = 0
        for result in self.stages.values():
            for one in result if isinstance(result, list) else [result]:
                total += getattr(one, "files_written", None) or int(getattr(one, "written", 0))
        return total


def cores() -> int:
    """The CPUs this process may use (its affinity, as a container or ``taskset`` sets it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                     # not Linux
        return os.cpu_count() or 1


STAGES = ("extract", "update", "draft", "build")        # the flow, in order; `publish` is run apart


def stages(drafting: Callable[[Project, str], object] | None = None) -> list[Stage]:
    """:data:`STAGES` as functions of (project, story); ``draft`` only when a drafting session is given."""
    from .build import build_story
    from .extract import extract
    from .update import update
    functions = {"extract": lambda p, s: extract(p, (s,)), "update": lambda p, s: update(p, stories=(s,)),
                 "draft": drafting, "build": build_story}
    return [(name, functions[name]) for name in STAGES if functions[name] is not None]


@contextlib.contextmanager
def standard_stages(project: Project):
    """Every stage, one drafting session for every story of the process."""
    from .draft import DraftSession
    with DraftSession(project) as drafting:
        yield stages(drafting)


def locales(project: Project, stages: Stages, force: bool = False,
            on_story: Callable[[StoryRun], None] | None = None, jobs: int = 1) -> list[StoryRun]:
    """Run ``stages`` (name, fn(project, story)) for each story whose inputs changed.

    A stage may return an object with ``complete = False`` (drafting with an
    engine offline): the story is then not stamped, so the next run tries again.
    With ``jobs`` > 1 and more than one story to redo, ``stages`` must be a
    function (see :data:`Stages`); ``on_story`` hears of each story as it ends.
    The overview page (``build/index.html``) is rewritten when a story was redone.
    """
    stamps_path = project.stamps()
    stamps = _read_stamps(stamps_path)
    shared = freshness.shared(project)

    def fresh_digest(story: str) -> str:
        return freshness.digest(freshness.inputs(project, story, shared))

    runs: dict[str, StoryRun] = {}
    todo = []
    for story in project.stories:
        if not force and stamps.get(story) == fresh_digest(story) and project.manifest(story).exists():
            runs[story] = StoryRun(story, skipped=True)
            if on_story is not None:
                on_story(runs[story])
        else:
            todo.append(story)

    def done(run: StoryRun) -> None:
        if run.complete:
            stamps[run.story] = fresh_digest(run.story)
        else:
            stamps.pop(run.story, None)
        runs[run.story] = run
        if on_story is not None:
            on_story(run)

    def save() -> None:
        kept = {s: d for s, d in stamps.items() if s in project.stories}
        write_if_changed(stamps_path, (json.dumps(kept, indent=1, sort_keys=True) + "\n").encode())

    try:
        if jobs > 1 and len(todo) > 1:
            if not callable(stages):
                raise ValueError("running stories in several processes needs a function that makes the stages")
            _in_processes(project, stages, todo, min(jobs, len(todo)), done)
        else:
            with (stages(project) if callable(stages) else contextlib.nullcontext(stages)) as opened:
                for story in todo:
                    done(_run_story(project, opened, story))
    except BaseException:
        if any(not runs[s].skipped for s in runs):    # stories finished before the failure stay done
            save()
        raise
    save()
    if todo or not project.overview().exists():
        from .status import write_overview
        write_overview(project)
    return [runs[story] for story in project.stories]


def _read_stamps(path: Path) -> dict[str, str]:
    """Each story's digest after its last complete run (none when the file is missing or unreadable)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def _run_story(project: Project, stages: list[Stage], story: str) -> StoryRun:
    run = StoryRun(story, skipped=False)
    for name, stage in stages:
        result = stage(project, story)
        run.stages[name] = result
        if getattr(result, "complete", True) is False:
            run.complete = False
    return run


def _in_processes(project: Project, stages, todo: list[str], jobs: int, done: Callable[[StoryRun], None]) -> None:
    """Each story in a worker process; the first failure cancels the stories not started."""
    with ProcessPoolExecutor(jobs, initializer=_worker_start, initargs=(project.root, stages)) as pool:
        pending = {pool.submit(_worker_story, story) for story in todo}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in finished:
                if future.exception() is not None:
                    for other in pending:
                        other.cancel()
                    raise future.exception()
                done(future.result())


_worker: dict = {}


def _worker_start(root: Path, stages) -> None:
    """In each worker: the project and its stages, opened once for all the stories it gets."""
    import multiprocessing.util
    project = Project.load(root)
    exits = contextlib.ExitStack()
    _worker.update(project=project, stages=exits.enter_context(stages(project)))
    # closed as the worker exits (engines' processes, the draft cache): multiprocessing runs
    # its finalizers there, where atexit handlers do not run
    multiprocessing.util.Finalize(exits, exits.close, exitpriority=10)


def _worker_story(story: str) -> StoryRun:
    return _run_story(_worker["project"], _worker["stages"], story)
