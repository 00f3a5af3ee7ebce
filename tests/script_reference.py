"""Matplotlib's own frames for an author's script, to hold sitegen's output against.

Each script runs in a child process the way sitegen means to run it (Agg backend, the light theme's
rcParams, plt.show() a no-op, the script's own ani.save / to_jshtml / to_html5_video calls not
executed), with a temporary copy of the script's folder as its working directory, so nothing is ever
written into tests/. Then:

- an Animation (the last one made, or the one `animation` names; what the script's
  make_animation(data, params) returns when it defines one) is saved with
  `Animation.save(..., writer=PillowWriter(...), dpi=...)` to an APNG (lossless RGBA), the other
  Animations passed as `extra_anim`, so that those drawing on the same figure advance with it;
- a `with writer.saving(fig, path, dpi): ... writer.grab_frame()` loop, with any of matplotlib's
  writers, has each grab_frame go to a real PillowWriter instead of `path`;
- a `plt.pause()` loop, or a `fig.canvas.draw(); fig.canvas.flush_events()` loop, has the figure
  saved (PillowWriter.grab_frame, i.e. savefig) at each pause / flush_events.

One interpreter imports matplotlib once and forks a child per script (importing it costs more than
drawing a corpus script). Run as `python script_reference.py BATCH.json`, this file is that interpreter.
"""
from __future__ import annotations

import contextlib
import json
import os
import runpy
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import numpy as np
from PIL import Image

FPS = 10  # PillowWriter's frame duration is int(1000 / fps) ms: 100 ms, so merged frames are whole multiples
_FRAME_MS = int(1000 / FPS)


@dataclass(frozen=True)
class ScriptRun:
    """One script to draw, as a directive would ask for it."""

    script: Path
    animation: str | None = None  # the directive's 'animation:' (a variable name)
    data: Mapping[str, np.ndarray] | None = None  # make_animation's data
    params: Mapping[str, Any] = field(default_factory=dict)  # make_animation's params
    dpi: float = 100.0  # the directive's dpi


@dataclass(frozen=True, slots=True)
class Reference:
    frames: list[np.ndarray]  # H×W×3 uint8, one per frame matplotlib wrote
    source: str  # "animation" (Animation.save) or "grabbed" (a writer, pause or flush_events loop)
    output: str  # what the script printed
    problem: str = ""  # why there are no frames


def light_style() -> dict[str, Any]:
    """The rcParams sitegen applies to a script for the default theme's light variant."""
    from sitegen.config import ThemeOptions
    from sitegen.animation.styles import variant_styles

    return variant_styles(ThemeOptions())["light"].rc()


def reference_frames(script: Path, **options: Any) -> Reference:
    """Matplotlib's frames for one script (options as for ScriptRun); raises if the script failed."""
    [made] = references([ScriptRun(Path(script), **options)])
    if made.problem:
        raise RuntimeError(made.problem)
    return made


def references(runs: Sequence[ScriptRun], style: Mapping[str, Any] | None = None,
               timeout: float = 120) -> list[Reference]:
    """Matplotlib's frames for each run; a script that fails gets a Reference with its `problem`."""
    style = dict(style if style is not None else light_style())
    with tempfile.TemporaryDirectory(prefix="script-reference-") as scratch:
        requests = [_request(run, Path(scratch) / f"run{index}", style) for index, run in enumerate(runs)]
        batch = Path(scratch) / "batch.json"
        batch.write_text(json.dumps({"requests": requests, "timeout": timeout}))
        env = {**os.environ, "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(Path(scratch) / "mplconfig"),
               "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("PYTHONPATH", None)  # each script's own folder is put first on sys.path, as sitegen does
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), str(batch)], cwd=scratch, env=env,
                              capture_output=True, text=True, timeout=timeout * len(runs) + 60)
        if proc.returncode != 0:
            raise RuntimeError(f"the reference interpreter failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        return [_collect(run, request) for run, request in zip(runs, requests)]


def _request(run: ScriptRun, scratch: Path, style: dict[str, Any]) -> dict[str, Any]:
    script = run.script.resolve()
    folder = scratch / "scripts"
    shutil.copytree(script.parent, folder, ignore=shutil.ignore_patterns("__pycache__"))
    request = {"script": str(folder / script.name), "out": str(scratch / "reference.png"),
               "result": str(scratch / "result.json"), "output": str(scratch / "output.txt"),
               "animation": run.animation, "params": dict(run.params), "dpi": run.dpi, "style": style, "data": None}
    if run.data is not None:
        request["data"] = str(scratch / "data.npz")
        np.savez(request["data"], **dict(run.data))
    return request


def _collect(run: ScriptRun, request: dict[str, Any]) -> Reference:
    output_path, result_path = Path(request["output"]), Path(request["result"])
    output = output_path.read_text(errors="replace") if output_path.is_file() else ""
    if not result_path.is_file():
        return Reference([], "", output, f"the reference run of {run.script.name} failed:\n{output[-3000:]}")
    result = json.loads(result_path.read_text())
    return Reference(read_apng(Path(request["out"]), result["grabbed"]), result["source"], output)


def read_apng(path: Path, count: int) -> list[np.ndarray]:
    """The `count` frames PillowWriter wrote. Pillow merges identical consecutive frames into one of a
    longer duration, so each is repeated duration / frame time times; when every frame was the same it
    writes a plain PNG."""
    frames = []
    with Image.open(path) as image:
        if not getattr(image, "is_animated", False):
            return [_opaque_rgb(image, path.name)] * count
        for index in range(image.n_frames):
            image.seek(index)
            repeats = round(image.info.get("duration", _FRAME_MS) / _FRAME_MS)
            frames += [_opaque_rgb(image, f"{path.name} frame {index}")] * repeats
    if len(frames) != count:
        raise RuntimeError(f"{path.name}: {count} frames grabbed, {len(frames)} read back")
    return frames


def _opaque_rgb(image: Image.Image, where: str) -> np.ndarray:
    rgba = np.asarray(image.convert("RGBA"))
    if (rgba[..., 3] != 255).any():
        raise RuntimeError(f"{where} is transparent: sitegen's frames are opaque RGB")
    return rgba[..., :3].copy()


# ---- the interpreter that runs the scripts ----

def _batch(batch_path: str) -> int:
    import imageio_ffmpeg
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.animation  # noqa: F401  (imported before forking, like pyplot: once for all scripts)
    import matplotlib.pyplot  # noqa: F401

    matplotlib.rcParams["animation.ffmpeg_path"] = imageio_ffmpeg.get_ffmpeg_exe()
    batch = json.loads(Path(batch_path).read_text())
    for request in batch["requests"]:
        pid = os.fork()
        if pid == 0:
            os._exit(_forked(request, batch["timeout"]))
        os.waitpid(pid, 0)
    return 0


def _forked(request: dict[str, Any], timeout: float) -> int:
    """In the forked child: the script's folder as cwd and first on sys.path, its output to a file."""
    import signal
    import traceback

    with open(request["output"], "w") as output:
        os.dup2(output.fileno(), 1)
        os.dup2(output.fileno(), 2)
    sys.stdout = open(1, "w", closefd=False)
    sys.stderr = open(2, "w", closefd=False)
    script = Path(request["script"])
    os.chdir(script.parent)
    sys.path.insert(0, str(script.parent))
    sys.argv = [str(script)]
    signal.alarm(int(timeout))
    try:
        source, grabbed = _run(request)
    except BaseException:
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    Path(request["result"]).write_text(json.dumps({"source": source, "grabbed": grabbed}))
    return 0


class _Recorder:
    """Every frame a writer loop, plt.pause() or flush_events() produces goes to one real PillowWriter."""

    def __init__(self, writer_class: type, out: Path) -> None:
        self._writer_class = writer_class
        self._out = out
        self._writer: Any = None
        self._figure: Any = None
        self.grabbed = 0

    def grab(self, figure: Any, dpi: float | None, savefig_kwargs: Mapping[str, Any]) -> None:
        if self._writer is None:
            self._writer = self._writer_class(fps=FPS)
            self._writer.setup(figure, str(self._out), dpi)
            self._figure = figure
        if figure is not self._figure:
            raise RuntimeError("the script grabbed frames of two figures")
        self._writer.grab_frame(**savefig_kwargs)
        self.grabbed += 1

    def finish(self) -> None:
        self._writer.finish()


@contextlib.contextmanager
def _patched(target: Any, name: str, value: Any) -> Iterator[None]:
    original = getattr(target, name)
    setattr(target, name, value)
    try:
        yield
    finally:
        setattr(target, name, original)


def _run(request: dict[str, Any]) -> tuple[str, int]:
    """Run the script; save its Animation, or finish the frames it grabbed. (source, frame count)"""
    import matplotlib
    import matplotlib.animation as mpl_animation
    import matplotlib.pyplot as plt
    from matplotlib import _pylab_helpers
    from matplotlib.backend_bases import FigureCanvasBase

    dpi = request["dpi"]
    recorder = _Recorder(mpl_animation.PillowWriter, Path(request["out"]))
    made: list[Any] = []
    original_init = mpl_animation.Animation.__init__

    def remember(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        made.append(self)

    @contextlib.contextmanager
    def saving(self: Any, fig: Any, outfile: Any, dpi: float | None = None, *args: Any, **kwargs: Any) -> Iterator[Any]:
        # the script's own writer: its frames go to the recorder's PillowWriter, nothing to `outfile`
        with matplotlib.rc_context({"savefig.bbox": None}), \
                _patched(self, "grab_frame", lambda **savefig: recorder.grab(fig, dpi, savefig)):
            yield self

    def pause(interval: float) -> None:
        manager = _pylab_helpers.Gcf.get_active()
        if manager is not None:
            recorder.grab(manager.canvas.figure, dpi, {})

    def flush_events(self: Any) -> None:
        recorder.grab(self.figure, dpi, {})

    with matplotlib.rc_context(request["style"]):
        with contextlib.ExitStack() as patches:
            for target, name, value in [
                (mpl_animation.Animation, "__init__", remember),
                (mpl_animation.Animation, "save", lambda self, *a, **k: None),
                (mpl_animation.Animation, "to_jshtml", lambda self, *a, **k: ""),
                (mpl_animation.Animation, "to_html5_video", lambda self, *a, **k: ""),
                (mpl_animation.AbstractMovieWriter, "saving", saving),
                (plt, "show", lambda *a, **k: None),
                (plt, "pause", pause),
                (FigureCanvasBase, "flush_events", flush_events),
            ]:
                patches.enter_context(_patched(target, name, value))
            namespace = runpy.run_path(request["script"], run_name="__main__")
            factory = namespace.get("make_animation")
            returned = None
            if callable(factory):
                data = dict(np.load(request["data"])) if request["data"] else {}
                returned = factory(data, request["params"])
        if recorder.grabbed:
            recorder.finish()
            return "grabbed", recorder.grabbed
        if not made:
            raise RuntimeError("the script made no Animation and grabbed no frames")
        chosen = returned or (namespace[request["animation"]] if request["animation"] else made[-1])
        return "animation", _save(chosen, made, request["out"], dpi, mpl_animation.PillowWriter)


def _save(chosen: Any, made: list[Any], out: str, dpi: float, pillow: type) -> int:
    """Animation.save with a PillowWriter; returns how many frames it grabbed."""
    others = [a for a in made if a is not chosen]  # save() keeps those drawing on the same figure

    class CountingPillowWriter(pillow):  # type: ignore[misc, valid-type]
        grabbed = 0

        def grab_frame(self, **savefig_kwargs: Any) -> None:
            super().grab_frame(**savefig_kwargs)
            CountingPillowWriter.grabbed += 1

    chosen.save(out, writer=CountingPillowWriter(fps=FPS), dpi=dpi, extra_anim=others)
    return CountingPillowWriter.grabbed


if __name__ == "__main__":
    raise SystemExit(_batch(sys.argv[1]))
