"""sitegen.toml: declared options, every problem reported with its key and line."""
from __future__ import annotations

from pathlib import Path

from conftest import post, read, run_cli

from sitegen.config import SiteConfig, load_config, normalise_base_url


def config_problems(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "sitegen.toml").write_text(text)
    return [d.format() for d in load_config(tmp_path)[1]]


def test_no_config_file_means_every_default(tmp_path):
    config, problems = load_config(tmp_path)
    assert problems == []
    assert config.title == SiteConfig().title and config.base_url == "/" and config.output_dir == "site"


def test_every_problem_is_reported_with_key_line_and_suggestion(tmp_path):
    problems = config_problems(tmp_path, '''title = "Lab"
titel = "typo"
posts_per_page = "ten"
url = "lab.example.org"

[theme]
acent = "#fff"
accent = "teal"
code_style_dark = "monokay"

[author]
name = 3
''')
    assert problems == [
        "sitegen.toml:2: error: unknown key 'titel' (did you mean 'title'?)",
        "sitegen.toml:3: error: 'posts_per_page' must be an integer, not a string",
        "sitegen.toml:4: error: 'url' must start with http:// or https:// (e.g. 'https://name.github.io')",
        "sitegen.toml:12: error: 'author.name' must be a string, not an integer",
        "sitegen.toml:7: error: unknown key 'theme.acent' (did you mean 'accent'?)",
        "sitegen.toml:8: error: 'theme.accent' must be a colour like '#0b7285'",
        "sitegen.toml:9: error: 'theme.code_style_dark' names no Pygments style: 'monokay' (did you mean 'monokai'?)",
    ]


def test_invalid_toml_names_the_line(tmp_path):
    problems = config_problems(tmp_path, 'title = "a"\nurl = \n')
    assert len(problems) == 1 and problems[0].startswith("sitegen.toml:2: error: sitegen.toml is not valid TOML")


def test_nav_and_author_links_are_read(tmp_path):
    (tmp_path / "sitegen.toml").write_text('[author]\nlinks = [{ title = "GitHub", url = "https://github.com/x" }]\n'
                                           '[theme]\nnav = [{ title = "About", url = "/about/" }]\n')
    config, problems = load_config(tmp_path)
    assert problems == []
    assert config.author.links[0].title == "GitHub" and config.theme.nav[0].url == "/about/"


def test_base_url_is_normalised():
    assert normalise_base_url("repo") == "/repo/"
    assert normalise_base_url("/repo") == "/repo/"
    assert normalise_base_url("https://x.github.io/repo/") == "/repo/"
    assert normalise_base_url("") == "/"


def test_config_errors_fail_the_build_with_all_problems(site):
    root = site({"content/posts/2024-01-01-a.md": post("A")}, config='titel = "x"\nposts_per_page = 0\n')
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert "sitegen.toml:1: error: unknown key 'titel'" in result.err
    assert "sitegen.toml:2: error: 'posts_per_page' must be a positive number" in result.err
    assert not (root / "site").exists()


def test_config_values_reach_the_pages(site):
    root = site({"content/posts/2024-01-01-a.md": post("A")}, config='''
        title = "Neural Dynamics Lab"
        description = "Animated figures from our models"
        language = "de"
        [author]
        name = "Ada Example"
        [theme]
        accent = "#aa3300"
        nav = [{ title = "Publications", url = "/pubs/" }]
        ''')
    assert run_cli("build", cwd=root).code == 0
    html = read(root, "index.html")
    assert '<html lang="de"' in html and "Neural Dynamics Lab" in html and "Ada Example" in html
    assert "#aa3300" in html and ">Publications<" in html and 'href="pubs/"' in html


def test_link_entries_are_checked_key_by_key(tmp_path):
    problems = config_problems(tmp_path, '[theme]\nnav = [{ title = "About" }, { title = 3, url = "/x/" }, '
                                         '{ titel = "A", url = "/a/" }, "home"]\n')
    line = "sitegen.toml:2: error:"
    assert problems == [
        f"{line} each entry of 'theme.nav' needs a url, like {{ title = \"About\", url = \"/about/\" }}",
        f"{line} 'theme.nav.title' must be a string, not an integer",
        f"{line} unknown key 'theme.nav.titel' (did you mean 'title'?)",
        f"{line} each entry of 'theme.nav' must be a table like {{ title = \"About\", url = \"/about/\" }}",
    ]


def test_a_links_old_key_label_is_read_as_title_with_a_warning(tmp_path):
    (tmp_path / "sitegen.toml").write_text('[author]\nlinks = [{ label = "GitHub", url = "https://github.com/x" }]\n')
    config, problems = load_config(tmp_path)
    assert [d.format() for d in problems] == [
        "sitegen.toml:2: warning: 'author.links.label' is now called 'author.links.title' (rename it to 'title')"]
    assert config.author.links[0].title == "GitHub"


def test_the_render_scheduler_is_a_dask_address_or_empty(tmp_path):
    assert config_problems(tmp_path, '[render]\nscheduler = "tcp://10.0.0.5:8786"\n') == []
    assert config_problems(tmp_path, '[render]\nscheduler = "10.0.0.5:8786"\n') == [
        "sitegen.toml:2: error: 'render.scheduler' must be a Dask scheduler address like 'tcp://10.0.0.5:8786', "
        "or empty to render on this machine"]
    config, _ = load_config(tmp_path)
    assert config.render.scheduler == ""  # an invalid value keeps the default
