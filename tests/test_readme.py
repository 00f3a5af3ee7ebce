"""The README is the manual: it starts with the two commands and documents every kind and key."""
from __future__ import annotations

import re

from conftest import REPO

from sitegen.animation.spec import COMMON
from sitegen.animation.kinds import KINDS

README = (REPO / "README.md").read_text()


def test_readme_starts_with_the_build_and_test_commands():
    commands = re.findall(r"^python3 -m pip install .*$", README, re.M)
    assert commands[0] == "python3 -m pip install . && sitegen build"
    assert commands[1] == 'python3 -m pip install -e ".[test]" && python3 -m pytest -q -n 2'
    assert README.index(commands[0]) < README.index("## A tour")
    assert commands[1] in (REPO / ".ci/run").read_text()


def test_every_kind_and_every_key_is_documented():
    for name, kind in KINDS.items():
        section = README.split(f"##### `{name}`", 1)
        assert len(section) == 2, f"kind {name} is not documented"
        body = section[1].split("#####", 1)[0]
        for param in kind.params:
            assert f"| `{param.name}` |" in body, f"{name}.{param.name} is not documented"
    for key in COMMON.names:
        assert f"| `{key}` |" in README, f"the common key {key} is not documented"
