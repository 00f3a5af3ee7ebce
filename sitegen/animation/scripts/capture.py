"""What an author's script does while it runs, seen from inside its child process.

`Capture.install()` changes matplotlib for the rest of the process so that a script written for
`plt.show()` or for saving a movie runs here unchanged and writes nothing:

- every Animation made is remembered (one nobody kept would be collected before it is rendered);
- `Animation.save`, `to_jshtml`, `to_html5_video`, `savefig`, `plt.show` and a switch to a GUI backend
  (`matplotlib.use("TkAgg")`) are not run, only noted;
- any matplotlib movie writer's `setup` / `grab_frame` / `finish` (so `with writer.saving(...)` loops)
  hand their frames to a FrameStore instead of a file;
- `plt.pause()` and `canvas.flush_events()` take one frame each;
- an audit hook records every file opened while the script runs, for the cache's dependency list.
"""
from __future__ import annotations

import os
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import matplotlib
import matplotlib.animation as mpl_animation
import matplotlib.pyplot as plt
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.figure import Figure

from sitegen.animation.scripts.frames import FrameStore, SitegenWriter, figure_pixels

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


@dataclass
class FrameSettings:
    """How live frames (writer loops, pauses) are taken: the directive's size and dpi where it gives them."""

    size: tuple[float, float] | None  # inches, when the directive fixes the frame size
    dpi: float | None  # when the directive fixes the dpi


@dataclass
class LiveFrames:
    """Frames a script captured while it ran, by one method (a movie writer, or plt.pause)."""

    store: FrameStore
    fps: float | None = None
    figure: Figure | None = None


@dataclass
class Capture:
    """Everything the script made or asked for; filled while it runs (it lives in the child only)."""

    scratch: Path
    wanted: int | None
    limit: int
    settings: FrameSettings
    max_pixels: int = 0
    animations: list[mpl_animation.Animation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    writer: LiveFrames | None = None
    paused: LiveFrames | None = None
    opened: set[str] = field(default_factory=set)
    written: set[str] = field(default_factory=set)
    recording: bool = False

    def install(self) -> None:
        _install(self)

    def note(self, what: str) -> None:
        where = _author_line()
        text = f"{where}: {what}" if where else what
        if text not in self.notes:
            self.notes.append(text)

    def live(self, method: str) -> LiveFrames:
        current = getattr(self, method)
        if current is None:
            current = LiveFrames(FrameStore(self.scratch / f"{method}.rgb", self.wanted, self.limit, self.max_pixels))
            setattr(self, method, current)
        return current

    def take(self, method: str, figure: Figure, dpi: float | None, kwargs: dict[str, Any]) -> None:
        """One live frame of `figure`, sized as the directive asks."""
        frames = self.live(method)
        if frames.store.full:
            return
        if self.settings.size is not None and frames.store.count == 0:
            figure.set_size_inches(*self.settings.size)
        frames.figure = figure
        frames.store.add(figure_pixels(figure, self.settings.dpi or dpi or figure.dpi, kwargs))

    def audit(self, event: str, args: tuple[Any, ...]) -> None:
        if event != "open" or not self.recording:
            return
        try:
            path, mode, flags = args
            if isinstance(path, int):
                return
            name = os.path.abspath(os.fsdecode(path))
            writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool((flags or 0) & _WRITE_FLAGS)
            (self.written if writes else self.opened).add(name)
        except Exception:  # an audit hook must never break the script
            pass


def _install(capture: Capture) -> None:
    original_init = mpl_animation.Animation.__init__

    def remember(self: mpl_animation.Animation, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        capture.animations.append(self)

    def not_run(what: str, result: Any, why: str = "sitegen renders the animation itself; nothing is written"
                ) -> Callable[..., Any]:
        def skipped(*args: Any, **kwargs: Any) -> Any:
            capture.note(f"{what} was not run ({why})")
            return result
        return skipped

    mpl_animation.Animation.__init__ = remember  # type: ignore[method-assign]
    mpl_animation.Animation.save = not_run("Animation.save()", None)  # type: ignore[method-assign]
    mpl_animation.Animation.to_jshtml = not_run("Animation.to_jshtml()", "")  # type: ignore[method-assign]
    mpl_animation.Animation.to_html5_video = not_run("Animation.to_html5_video()", "")  # type: ignore[method-assign]
    Figure.savefig = not_run("savefig()", None)  # type: ignore[method-assign]
    plt.show = lambda *args, **kwargs: None  # the code that runs under plt.show() runs here
    plt.switch_backend("Agg")  # resolved now, so pyplot never needs the replacement below
    keep_agg = not_run("choosing a GUI backend", None, "scripts draw with Agg here")  # scripts written for a window render with Agg here
    matplotlib.use = lambda backend, *a, **k: None if str(backend).lower() == "agg" else keep_agg()  # type: ignore
    plt.switch_backend = lambda backend: None if str(backend).lower() == "agg" else keep_agg()  # type: ignore
    _capture_writers(capture)
    _capture_pauses(capture)
    sys.addaudithook(capture.audit)


def _capture_writers(capture: Capture) -> None:
    """Every movie writer of matplotlib's (and any subclass made later) captures instead of writing."""

    def setup(self: Any, fig: Figure, outfile: Any, dpi: float | None = None, *args: Any, **kwargs: Any) -> None:
        self.outfile, self.fig, self.dpi = outfile, fig, dpi or fig.dpi
        live = capture.live("writer")
        live.fps = float(getattr(self, "fps", 0) or 0) or None
        capture.note(f"{type(self).__name__} frames are captured; nothing is written to {outfile!s}")

    def grab_frame(self: Any, **savefig_kwargs: Any) -> None:
        capture.take("writer", self.fig, self.dpi, savefig_kwargs)

    def finish(self: Any) -> None:
        pass

    def patch(cls: type) -> None:
        if cls is SitegenWriter:
            return
        cls.setup, cls.grab_frame, cls.finish = setup, grab_frame, finish  # type: ignore[attr-defined]
        for sub in cls.__subclasses__():
            patch(sub)

    patch(mpl_animation.AbstractMovieWriter)
    original = mpl_animation.AbstractMovieWriter.__init_subclass__

    def later(cls: type, **kwargs: Any) -> None:  # an author's own writer class, defined in the script
        original(**kwargs)
        patch(cls)

    mpl_animation.AbstractMovieWriter.__init_subclass__ = classmethod(later)  # type: ignore[assignment]


def _capture_pauses(capture: Capture) -> None:
    def pause(interval: float) -> None:
        if plt.get_fignums():
            live = capture.live("paused")
            live.fps = live.fps or (1 / interval if interval and interval > 0 else None)
            capture.take("paused", plt.gcf(), None, {})

    def flush_events(self: FigureCanvasBase) -> None:
        capture.take("paused", self.figure, None, {})

    plt.pause = pause
    FigureCanvasBase.flush_events = flush_events  # type: ignore[method-assign]


def _author_line() -> str:
    """file:line of the innermost frame outside matplotlib and sitegen: where the author called us."""
    skip = [Path(__file__).resolve().parents[2],  # the sitegen package
            *(Path(p).resolve() for p in {sys.prefix, sys.base_prefix})]
    for frame in reversed(traceback.extract_stack()[:-2]):
        path = Path(frame.filename)
        if path.is_absolute() and not any(path.resolve().is_relative_to(p) for p in skip) \
                and "site-packages" not in path.parts:
            return f"{path.name}:{frame.lineno}"
    return ""
