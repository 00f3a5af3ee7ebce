"""The objects that cross from the build to a render worker and back: pure, picklable and free of
paths on the build machine. A job names its files by site-relative path and content digest; a
worker gets those files from its executor (read in place, or shipped as bytes) and returns what it
rendered as bytes. So the same job renders the same bytes in a local process or on a cluster."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from sitegen.animation.encoders import formats  # the format table: loads no numpy or Pillow

# Each format's file name in a worker's output and in a cache entry: fixed, so a manifest cannot point elsewhere.
OUTPUT_NAMES = formats.OUTPUT_NAMES


@dataclass(frozen=True, slots=True)
class InputFile:
    """A file a render reads: its path relative to the site folder and the sha256 of its bytes."""

    rel: str
    digest: str


@dataclass(frozen=True, slots=True)
class RenderJob:
    """Everything a worker needs to render one (animation, variant)."""

    key: str
    post: str  # the post's path as messages show it ('content/posts/a.md')
    line: int
    variant: str
    kind: str | None
    script: str | None  # the author's script, relative to the site folder
    data: tuple[tuple[str, str, str | None, str], ...]  # (name, site-relative path, pick, as written)
    params: tuple[tuple[str, Any], ...]
    style: tuple[tuple[str, Any], ...]
    width: int
    height: int
    dpi: float
    fps: float
    frames: int | None  # None: the animation's own length (scripts learn it when they run)
    formats: tuple[str, ...]
    poster_frame: int | None  # None: the middle frame
    loop: bool
    audio: str | None  # relative to the site folder
    timeout: float
    max_frames: int
    inputs: tuple[InputFile, ...]  # every file the key covers: data, script and its modules, sound, files read
    versions: tuple[tuple[str, str], ...] = ()  # the libraries the key was made with; a worker must match them
    fixed_size: bool = True  # False: a script's figure keeps the size it gave itself
    script_params: tuple[tuple[str, Any], ...] = ()  # a script's make_animation(data, params)
    preset: str = "publish"  # encoder preset (its settings are in the key)
    alternates: tuple[str, ...] = ()  # keys of the same animation under presets whose files serve for this one
    # Scripts only:
    base_key: str = ""  # the key before the files the script read are folded in (see plan.script_key)
    reads_known: bool = True  # False: the script has not run yet, so its reads are unknown and `key` is provisional
    private_dirs: tuple[str, ...] = ()  # site-relative folders that are never inputs (the output, the cache)
    fps_fixed: bool = True  # False: the script's own fps (its interval, its writer's fps) is used
    dpi_fixed: bool = True  # False: the script's own dpi is used
    animation: str | None = None  # which of the script's Animations to render (its variable name)
    memory: int = 0  # bytes the script may use (0: no limit)
    max_frame_pixels: int = 0  # the most pixels one frame of a script may have (0: no limit)

    @property
    def label(self) -> str:
        return f"{self.post}:{self.line} ({self.kind or PurePosixPath(self.script or '').name}, {self.variant})"

    @property
    def script_folder(self) -> str | None:
        """The script's folder: a script may read any file in it, so a cluster ships them all."""
        return str(PurePosixPath(self.script).parent) if self.script else None


@dataclass(frozen=True, slots=True)
class Task:
    """One unit of work for a render worker: a whole job, or one part of a long one."""

    job: RenderJob
    part: int = 0
    parts: int = 1
    frames: tuple[int, int] | None = None  # [start, stop) of output frames for a video part; None: every frame
    formats: tuple[str, ...] = ()  # what this part writes

    @property
    def whole(self) -> bool:
        return self.parts == 1

    @property
    def id(self) -> str:
        return f"{self.job.key}/{self.part}"

    @property
    def label(self) -> str:
        if self.whole:
            return self.job.label
        what = f"frames {self.frames[0] + 1}–{self.frames[1]}" if self.frames else "GIF and poster"
        return f"{self.job.label} · {what}"


@dataclass(frozen=True, slots=True)
class TaskResult:
    """What a task made: its files as bytes (by format), facts about them, or what went wrong."""

    task: str  # Task.id
    files: dict[str, bytes] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None  # what went wrong, for the author
    hint: str = ""
    seconds: float = 0.0
    started: float = 0.0  # time.time() when the work began (parts of one animation run in several processes)
    worker: str = ""  # where it ran (host:pid), for messages


@dataclass(frozen=True, slots=True)
class FramesDrawn:
    """Progress: a task has drawn `done` of its `total` frames."""

    task: str
    label: str
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class TaskDone:
    """A task finished (well or not); the executor's last word on it."""

    task: Task
    result: TaskResult


Event = FramesDrawn | TaskDone
