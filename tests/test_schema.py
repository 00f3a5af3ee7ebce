"""The one option schema: how it checks a mapping, that the README's key tables are written from it, and
its messages as a user meets them through the real CLI (sitegen.toml, animation directives, `sitegen kinds`)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, read, run_cli

from sitegen.config import TABLES, TOP_LEVEL, SiteConfig
from sitegen.docs_tables import rewrite
from sitegen.errors import Severity
from sitegen.schema import NUMBER, TOML, Option, Schema, exclusive, ordered, validate

SCHEMA = Schema((
    Option("fps", NUMBER, 20, "frames per second", greater_than=0),
    Option("clip", NUMBER, 1.0, "percent clipped", min=0, max=49),
    Option("count", int, None, "how many"),
    Option("origin", str, "upper", "where row 0 is", ("upper", "lower")),
    Option("formats", list, ["webm"], "the files", choices=("webm", "gif", "poster")),
    Option("colour", str, "red", "the colour", renamed_from=("color",)),
    Option("vmin", NUMBER, None, "low end"),
    Option("vmax", NUMBER, None, "high end"),
), owner="the kind 'test'", rules=(ordered("vmin", "vmax"), exclusive("fps", "count")))


def messages(raw: dict) -> list[str]:
    return [p.message + (f" ({p.hint})" if p.hint else "") for p in validate(raw, SCHEMA).problems]


def test_a_valid_mapping_gives_its_values_and_the_defaults_of_the_rest():
    checked = validate({"fps": 12.5, "origin": "lower", "count": None}, SCHEMA)
    assert checked.problems == ()
    assert checked.values == {**SCHEMA.defaults(), "fps": 12.5, "origin": "lower"}
    assert checked.given == {"fps", "origin"}  # an empty value (YAML `count:`) is the default


def test_an_unknown_key_names_its_owner_and_the_closest_key():
    assert messages({"orgin": "upper"}) == ["unknown key 'orgin' for the kind 'test' (did you mean 'origin'?)"]


def test_a_wrong_type_names_both_types_in_the_words_of_the_file():
    assert messages({"fps": "fast"}) == ["'fps' must be a number, not str"]
    assert messages({"count": 2.5, "origin": True}) == ["'count' must be a whole number, not float",
                                                        "'origin' must be text, not bool"]
    toml = validate({"posts_per_page": "ten"}, TOP_LEVEL).problems
    assert [p.message for p in toml] == ["'posts_per_page' must be an integer, not a string"]


def test_a_number_must_be_finite_and_within_its_bounds():
    assert messages({"fps": 0}) == ["'fps' must be a positive number, not 0"]
    assert messages({"clip": 60}) == ["'clip' must be from 0 to 49, not 60"]
    assert messages({"clip": -0.5}) == ["'clip' must be from 0 to 49, not -0.5"]
    assert messages({"fps": float("inf")}) == ["'fps' must be a finite number, not inf"]
    assert messages({"fps": 1, "clip": 49}) == []


def test_a_value_outside_its_choices_lists_them_and_suggests_the_closest():
    assert messages({"origin": "lowr"}) == ["'origin' must be 'upper' or 'lower', not 'lowr' (did you mean 'lower'?)"]
    assert messages({"formats": ["webm", "gifs"]}) == [
        "'formats' must be a non-empty list of 'webm', 'gif', 'poster', not ['webm', 'gifs'] (did you mean 'gif'?)"]
    assert messages({"formats": []}) == ["'formats' must be a non-empty list of 'webm', 'gif', 'poster', not []"]


def test_a_renamed_key_still_works_with_a_warning_naming_the_new_one():
    checked = validate({"color": "blue"}, SCHEMA)
    [problem] = checked.problems
    assert problem.severity is Severity.WARNING and problem.key == "color"
    assert (problem.message, problem.hint) == ("'color' is now called 'colour'", "rename it to 'colour'")
    assert checked.values["colour"] == "blue" and "colour" in SCHEMA and "color" not in SCHEMA


def test_the_old_and_the_new_name_together_is_an_error():
    [problem] = validate({"color": "blue", "colour": "green"}, SCHEMA).problems
    assert problem.severity is Severity.ERROR and problem.message == "'color' is the old name of 'colour': give only 'colour'"


def test_rules_check_keys_against_each_other():
    assert messages({"vmin": 2, "vmax": 1}) == ["'vmax' (1) must be greater than 'vmin' (2)"]
    assert messages({"fps": 10, "count": 3}) == ["give 'fps' or 'count', not both"]


def test_a_key_is_declared_once():
    with pytest.raises(ValueError, match="declared twice: fps"):
        Schema((Option("fps", int, 1, "a"), Option("rate", int, 1, "b", renamed_from=("fps",))))


def test_sitegen_toml_defaults_are_the_dataclasses_defaults():
    assert TOP_LEVEL.defaults() == {name: getattr(SiteConfig(), name) for name in TOP_LEVEL.names}
    for schema, owner in TABLES.values():
        assert schema.defaults() == {name: getattr(owner(), name) for name in schema.names}
        assert schema.words is TOML and schema.prefix == f"{next(k for k, v in TABLES.items() if v[1] is owner)}."


# ---------------------------------------------------------------- the README's tables


def test_the_readme_key_tables_are_current():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert rewrite(text) == text, "the README's key tables are out of date: run python -m sitegen.docs_tables"


def test_a_stale_table_is_rewritten_and_an_unknown_one_refused():
    stale = "intro\n<!-- keys:directive -->\n| `fps` | old |\n<!-- /keys:directive -->\nend\n"
    fresh = rewrite(stale)
    assert "| old |" not in fresh and "| `fps` | `20` | a number, greater than 0 | frames per second |" in fresh
    assert fresh.startswith("intro\n<!-- keys:directive -->\n") and fresh.endswith("<!-- /keys:directive -->\nend\n")
    with pytest.raises(ValueError, match="names no table"):
        rewrite("<!-- keys:nothing -->\n<!-- /keys:nothing -->\n")


def test_the_readme_check_fails_on_a_stale_readme(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("<!-- keys:config -->\n<!-- /keys:config -->\n")
    assert run_cli_module("--check", str(readme), cwd=tmp_path) == 1
    assert run_cli_module(str(readme), cwd=tmp_path) == 0
    assert "| `render.scheduler` | `''` | a string |" in readme.read_text()
    assert run_cli_module("--check", str(readme), cwd=tmp_path) == 0


def run_cli_module(*args: str, cwd: Path) -> int:
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "sitegen.docs_tables", *args], cwd=cwd, env=env,
                          capture_output=True).returncode


# ---------------------------------------------------------------- through the real CLI


def fence(body: str) -> str:
    return "```animation\n" + body.strip() + "\nalt: x\n```\n"


def line_of(root: Path, rel: str, text: str) -> int:
    return next(n for n, line in enumerate((root / rel).read_text().splitlines(), start=1) if line == text)


def test_every_directive_key_problem_is_an_error_at_its_line(site):
    body = "".join(fence(f"kind: heatmap\ndata: wave.npy\n{key}") + "\n" for key in
                   ("origin: lowr", "clip_percent: 60", "dpi: high", "colourbar: false", "vmin: 2\nvmax: 1"))
    root = site({"content/posts/2024-01-01-a.md": "---\ntitle: A\n---\n" + body})
    result = run_cli("build", cwd=root)
    assert result.code == 1
    rel = "content/posts/2024-01-01-a.md"
    for text, message in [
        ("origin: lowr", "'origin' must be 'upper' or 'lower', not 'lowr' (did you mean 'lower'?)"),
        ("clip_percent: 60", "'clip_percent' must be from 0 to 49, not 60"),
        ("dpi: high", "'dpi' must be a number, not str"),
        ("colourbar: false", "unknown key 'colourbar' for the kind 'heatmap' (did you mean 'colorbar'?)"),
        ("vmax: 1", "'vmax' (1) must be greater than 'vmin' (2)"),
    ]:
        assert f"{rel}:{line_of(root, rel, text)}: error: {message}" in result.err, result.err
    assert "Build failed: 5 errors" in result.err


def test_sitegen_toml_problems_each_at_their_line(site):
    root = site({"content/posts/2024-01-01-a.md": "---\ntitle: A\n---\nText.\n"}, config='''\
        posts_per_page = 0
        [render]
        preset = "publsh"
        scheduler = "10.0.0.5:8786"
        [limits]
        max_frames = "many"
        ''')
    result = run_cli("build", cwd=root)
    assert result.code == 1
    for line, message in [
        (1, "'posts_per_page' must be a positive number, not 0"),
        (3, "'render.preset' must be 'publish' or 'preview', not 'publsh' (did you mean 'publish'?)"),
        (4, "'render.scheduler' must be a Dask scheduler address like 'tcp://10.0.0.5:8786'"),
        (6, "'limits.max_frames' must be an integer, not a string"),
    ]:
        assert f"sitegen.toml:{line}: error: {message}" in result.err, result.err


def test_a_renamed_sitegen_toml_key_builds_with_a_warning_naming_the_new_key(site):
    root = site({"content/posts/2024-01-01-a.md": "---\ntitle: A\n---\nText.\n"},
                config='[theme]\nnav = [{ label = "Publications", url = "/pubs/" }]\n')
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    assert ("sitegen.toml:2: warning: 'theme.nav.label' is now called 'theme.nav.title' (rename it to 'title')"
            in result.err), result.err
    assert ">Publications<" in read(root, "index.html")


def test_the_kinds_command_prints_each_key_from_the_schema():
    result = run_cli("kinds", "heatmap", cwd=REPO)
    assert result.code == 0
    assert "    origin ('upper' or 'lower'; default 'upper'): where row 0 is drawn\n" in result.out
    assert "    clip_percent (a number, from 0 to 49; default 1.0): " in result.out
    assert "Keys every animation accepts" not in result.out
    unknown = run_cli("kinds", "heatmapp", cwd=REPO)
    assert unknown.code == 2 and "unknown kind 'heatmapp' (did you mean 'heatmap'?)" in unknown.err
