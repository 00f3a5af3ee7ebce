"""The script corpus (tests/script_corpus/): one small script per way authors animate with matplotlib,
built once through the real CLI as one site, each held against what matplotlib itself saves for it
(tests/script_reference.py)."""
from __future__ import annotations

import functools
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from animation_checks import animation_files, decode_video
from conftest import Result, run_cli
from script_reference import Reference, ScriptRun, references

CORPUS = Path(__file__).resolve().parent / "script_corpus"
SCRIPTS = "content/posts/scripts"
FENCE_LINE = 6  # the ```animation fence's line in every post (see post_text)
CHANGED_LEVEL = 48  # a pixel changed when a channel moved by more than this (well above encoder noise)
MIN_CHANGED = 10  # two frames differ when at least this many pixels changed (corpus scripts change ≥ 50)
WEBM_NOISE = 6.0  # the most mean absolute difference (0–255) VP9 may add to a frame (it adds 2–4 here)
GIF_NOISE = 3.0  # the same for the GIF's palette (it adds 0.1–1.2 here)


@dataclass(frozen=True)
class Case:
    slug: str
    script: str
    frames: int  # what matplotlib saves, counted from the script by hand
    keys: str = ""  # more directive keys
    halves: bool = False  # the left and the right half of the figure must each move


CASES = (
    Case("sine-wave", "sine_wave.py", 12),  # FuncAnimation without blit, frames=int
    Case("blit-init", "blit_init.py", 12),  # blit=True, init_func returning the artists, frames=array
    Case("frames-list", "frames_list.py", 10),  # frames = a list of tuples; fill_between replaced each frame
    Case("generator-save-count", "generator_save_count.py", 14),  # generator function + save_count
    Case("frames-none", "frames_none.py", 12),  # frames=None, save_count
    Case("repeat-false", "repeat_false.py", 10),  # repeat=False, bars
    Case("artist-animation", "artist_animation.py", 10),  # ArtistAnimation of lines and texts, no blit
    Case("artist-animation-blit", "artist_animation_blit.py", 10),  # ArtistAnimation of images, blit=True
    Case("imshow-heatmap", "imshow_heatmap.py", 12),  # imshow + set_data, colour bar
    Case("scatter-offsets", "scatter_offsets.py", 12),  # scatter set_offsets / set_array
    Case("frame-counter", "frame_counter.py", 10),  # only a text artist changes
    Case("two-on-one-figure", "two_on_one_figure.py", 12, halves=True),  # two Animations, one figure
    Case("two-variables", "two_variables.py", 10, "animation: wave_anim"),  # picked by name, not the last
    Case("facecolor", "facecolor.py", 10),  # fig.patch.set_facecolor, savefig.facecolor 'auto'
    Case("ends-with-save", "ends_with_save.py", 12),  # ani.save("pendulum.gif") at the end: not run
    Case("to-jshtml", "to_jshtml.py", 14),  # ani.to_jshtml() called: not run
    Case("ffmpeg-writer", "ffmpeg_writer.py", 12),  # FFMpegWriter.saving + grab_frame loop
    Case("pillow-writer", "pillow_writer.py", 12),  # PillowWriter.saving + grab_frame loop
    Case("pause-loop", "pause_loop.py", 10),  # plt.pause() loop
    Case("canvas-draw-loop", "canvas_draw_loop.py", 12),  # fig.canvas.draw() + flush_events() loop
    Case("local-helpers", "local_helpers.py", 10),  # from helpers import …, from helpers.waves import …; amp.txt
    Case("factory", "factory.py", 12, "data: {field: data/field.npy}\nparams: {cmap: magma, step: 1}"),
)
STILL = Case("still", "still.py", 8)  # the update changes nothing: a warning
DEFAULT_PICK = Case("two-variables-default", "two_variables.py", 13)  # no 'animation:': the last made
ALL = (*CASES, STILL, DEFAULT_PICK)
GRABBED = {"ffmpeg-writer", "pillow-writer", "pause-loop", "canvas-draw-loop"}  # no Animation object


def field_data() -> np.ndarray:
    """The factory's data: 12 frames of a drifting pattern."""
    y, x = np.mgrid[0:24, 0:32]
    return np.stack([np.sin(x / 4 + t / 2) * np.cos(y / 5 - t / 3) for t in range(12)])


def post_text(case: Case) -> str:
    keys = [f"script: scripts/{case.script}", "variants: [light]", "poster_frame: 0",
            "formats: [webm, gif, poster]", *case.keys.splitlines(), f"alt: {case.slug}"]
    return f"---\ntitle: {case.slug}\n---\nIntro.\n\n```animation\n" + "\n".join(keys) + "\n```\n"


def run_of(case: Case) -> ScriptRun:
    """The reference run matching the case's directive."""
    if case.script == "factory.py":
        return ScriptRun(CORPUS / case.script, data={"field": field_data()}, params={"cmap": "magma", "step": 1})
    picked = re.search(r"animation: (\w+)", case.keys)
    return ScriptRun(CORPUS / case.script, animation=picked.group(1) if picked else None)


def listing(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


@dataclass(frozen=True)
class CorpusBuild:
    root: Path
    build: Result  # the build of every post
    written: frozenset[str]  # what appeared in the scripts' folder during the builds
    references: dict[str, Reference]  # slug -> matplotlib's frames
    posts: dict[str, str]  # slug -> the post's path in messages
    failed: dict[str, str]  # slug -> its errors, when the build failed
    rebuild: Result | None  # the build without the failed posts


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> CorpusBuild:
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(CORPUS, root / SCRIPTS, ignore=shutil.ignore_patterns("__pycache__"))
    (root / "data").mkdir()
    np.save(root / "data/field.npy", field_data())
    posts = {case.slug: f"content/posts/2024-01-{index + 1:02d}-{case.slug}.md" for index, case in enumerate(ALL)}
    for case in ALL:
        (root / posts[case.slug]).write_text(post_text(case))
    corpus_before, scripts_before = listing(CORPUS), listing(root / SCRIPTS)
    with ThreadPoolExecutor(max_workers=2) as pool:  # matplotlib's references are drawn while the site builds
        building = pool.submit(run_cli, "build", "--preset", "preview", cwd=root, timeout=600)
        drawing = pool.submit(references, [run_of(case) for case in ALL])
        build, drawn = building.result(), drawing.result()
    assert listing(CORPUS) == corpus_before, "the reference runs wrote into tests/script_corpus"
    failed = {slug: _errors_of(build.err, path) for slug, path in posts.items()
              if re.search(rf"^{re.escape(path)}:\d+: error:", build.err, re.M)}
    rebuild = None
    if build.code != 0:  # build the posts that did not fail, so that their animations can still be checked
        for slug in failed:
            (root / posts[slug]).unlink()
        rebuild = run_cli("build", "--preset", "preview", cwd=root, timeout=600)
    return CorpusBuild(root, build, frozenset(listing(root / SCRIPTS) - scripts_before),
                       {case.slug: made for case, made in zip(ALL, drawn)}, posts, failed, rebuild)


def _errors_of(stderr: str, post: str) -> str:
    """The build's output from the first error naming `post` to the next message (its traceback)."""
    lines = stderr.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{post}:") and ": error:" in line)
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"^(content/|Build failed)", lines[i])), len(lines))
    return "\n".join(lines[start:end])


def rendered(corpus: CorpusBuild, case: Case) -> dict[str, Path]:
    """The case's files in the built site: {'light-webm': path, 'light-gif': …, 'light-poster': …}."""
    if case.slug in corpus.failed:
        pytest.fail(f"the build failed for {case.script}:\n{corpus.failed[case.slug]}")
    if corpus.rebuild is not None and corpus.rebuild.code != 0:
        pytest.fail(f"the build without the failed posts failed too:\n{corpus.rebuild.text[-3000:]}")
    page = corpus.root / f"site/posts/{case.slug}"
    [files] = animation_files((page / "index.html").read_text(), corpus.root / "site", page)
    return files


def reference(corpus: CorpusBuild, case: Case) -> list[np.ndarray]:
    made = corpus.references[case.slug]
    if made.problem:
        pytest.fail(made.problem)
    return made.frames


@functools.cache
def webm_frames(path: Path) -> np.ndarray:
    return decode_video(path).frames


@functools.cache
def gif_frames(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        frames = []
        for index in range(image.n_frames):
            image.seek(index)
            frames.append(np.asarray(image.convert("RGB")))
    return np.stack(frames)


def changed_pixels(a: np.ndarray, b: np.ndarray) -> int:
    return int((np.abs(a.astype(int) - b.astype(int)).max(axis=-1) > CHANGED_LEVEL).sum())


def regions(case: Case, frame: np.ndarray) -> list[np.ndarray]:
    width = frame.shape[1]
    return [frame[:, : width // 2], frame[:, width // 2:]] if case.halves else [frame]


def still_pairs(case: Case, frames: np.ndarray | list[np.ndarray]) -> list[int]:
    """Indices i where frame i+1 does not differ from frame i (in some region that must move)."""
    return [i for i in range(len(frames) - 1)
            if any(changed_pixels(a, b) < MIN_CHANGED
                   for a, b in zip(regions(case, frames[i]), regions(case, frames[i + 1])))]


def distances(frames: np.ndarray, wanted: list[np.ndarray]) -> np.ndarray:
    """Mean absolute difference of every frame (rows) to every wanted frame (columns)."""
    ours = frames.astype(np.int16)
    return np.array([[np.abs(frame - theirs).mean() for theirs in np.asarray(wanted, np.int16)] for frame in ours])


# ---- the reference harness on its own: matplotlib's frames are what the scripts say ----

@pytest.mark.parametrize("case", ALL, ids=lambda c: c.slug)
def test_matplotlibs_frames_are_what_the_script_makes(corpus, case):
    made = corpus.references[case.slug]
    assert not made.problem, made.problem
    assert len(made.frames) == case.frames
    assert made.frames[0].shape == (240, 320, 3)  # figsize (3.2, 2.4) at dpi 100
    assert made.source == ("grabbed" if case.slug in GRABBED else "animation")
    if case is STILL:
        assert all(np.array_equal(made.frames[0], f) for f in made.frames)
    else:
        assert still_pairs(case, made.frames) == []
    if case.slug == "facecolor":  # savefig.facecolor 'auto': the figure's own colour, not the theme's
        assert tuple(made.frames[0][1, 1]) == (0x14, 0x21, 0x3D)


# ---- sitegen's output ----

def test_the_whole_corpus_builds(corpus):
    assert corpus.build.code == 0, corpus.build.text[-6000:]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.slug)
def test_the_frame_count_is_what_matplotlib_saves(corpus, case):
    files = rendered(corpus, case)
    expected = len(reference(corpus, case))
    assert len(webm_frames(files["light-webm"])) == expected
    assert len(gif_frames(files["light-gif"])) == expected


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.slug)
def test_the_frames_move(corpus, case):
    files = rendered(corpus, case)
    assert still_pairs(case, webm_frames(files["light-webm"])) == [], "WebM frames that do not move"
    assert still_pairs(case, gif_frames(files["light-gif"])) == [], "GIF frames that do not move"


@pytest.mark.parametrize("case", (*CASES, DEFAULT_PICK), ids=lambda c: c.slug)
def test_the_poster_is_matplotlibs_first_frame(corpus, case):
    files = rendered(corpus, case)
    poster = np.asarray(Image.open(files["light-poster"]).convert("RGB"))
    first = reference(corpus, case)[0]
    assert poster.shape == first.shape
    # The poster is a lossless PNG of the frame sitegen drew, and both are drawn by Agg at the same
    # size and dpi: there is no encoder noise to allow for, every pixel must match.
    wrong = np.abs(poster.astype(int) - first.astype(int)).max(axis=-1)
    assert not wrong.any(), f"{int((wrong > 0).sum())} pixels differ (by up to {wrong.max()})"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.slug)
def test_every_frame_is_matplotlibs_within_encoder_noise(corpus, case):
    files = rendered(corpus, case)
    wanted = reference(corpus, case)
    webm, gif = webm_frames(files["light-webm"]), gif_frames(files["light-gif"])
    assert len(webm) == len(gif) == len(wanted)
    noise = distances(webm, wanted).diagonal()
    assert noise.max() <= WEBM_NOISE, f"WebM frame {noise.argmax()} is {noise.max():.1f} from matplotlib's"
    to_gif = distances(gif, wanted)
    assert to_gif.diagonal().max() <= GIF_NOISE, f"GIF frame {to_gif.diagonal().argmax()} differs from matplotlib's"
    # the GIF is nearly lossless here, so each of its frames is nearest to matplotlib's frame of the same
    # index: frames in the wrong order, or one repeated or dropped, show as a mismatch
    assert list(to_gif.argmin(axis=1)) == list(range(len(wanted)))


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.slug)
def test_nothing_is_written_beside_the_script(corpus, case):
    source = (CORPUS / case.script).read_text()
    its_own = sorted(p for p in corpus.written if any(part in source for part in Path(p).parts))  # names it wrote
    assert its_own == []


def test_nothing_at_all_is_written_into_the_scripts_folder(corpus):
    assert sorted(corpus.written) == []


def _lines_about(corpus: CorpusBuild, case: Case) -> list[str]:
    where = f"{corpus.posts[case.slug]}:{FENCE_LINE}"
    return [line for line in corpus.build.err.splitlines() if where in line]


def test_several_animations_and_no_name_warn_naming_the_others(corpus):
    lines = _lines_about(corpus, DEFAULT_PICK)
    assert any("warning" in line and "wave_anim" in line for line in lines), corpus.build.err[-3000:]
    named = _lines_about(corpus, next(c for c in CASES if c.slug == "two-variables"))
    assert not any("spiral_anim" in line for line in named)  # 'animation:' chose: nothing to warn about
    assert len(webm_frames(rendered(corpus, DEFAULT_PICK)["light-webm"])) == DEFAULT_PICK.frames  # spiral_anim


def test_an_animation_whose_frames_are_all_identical_is_a_warning(corpus):
    lines = _lines_about(corpus, STILL)
    assert any("warning" in line and "identical" in line and str(STILL.frames) in line for line in lines), \
        corpus.build.err[-3000:]
    frames = webm_frames(rendered(corpus, STILL)["light-webm"])
    assert len(still_pairs(STILL, frames)) == len(frames) - 1  # the motion check does not take encoder noise for motion
