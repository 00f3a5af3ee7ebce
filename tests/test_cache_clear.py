"""`sitegen cache clear` and `prune` delete only what sitegen wrote, in a folder sitegen tagged as its cache."""
from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from test_animations import fence
from test_cache import SMALL, counts, wave

TAG_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"


def animated_site(site, config: str = "") -> Path:
    root = site({"content/posts/2024-01-01-a.md": "---\ntitle: A\n---\nText.\n\n"
                 + fence(f"kind: heatmap\ndata: data/a.npy\n{SMALL}")}, config=config)
    wave(root / "data/a.npy")
    return root


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_clear_deletes_sitegen_entries_and_keeps_what_it_did_not_write(site):
    root = animated_site(site)
    assert counts(run_cli("build", cwd=root)) == (2, 0)
    cache = root / ".sitegen-cache"
    assert (cache / "CACHEDIR.TAG").read_text().startswith(TAG_SIGNATURE)
    (cache / "notes.txt").write_text("mine")
    (cache / "entries/zz/my-folder").mkdir(parents=True)
    (cache / "entries/zz/my-folder/keep.txt").write_text("mine too")
    (cache / "tmp/keep.txt").write_text("and this")
    (cache / "tmp/4242-0123456789abcdef0123456789abcdef").mkdir()  # a staging folder a killed build left
    cleared = run_cli("cache", "clear", cwd=root)
    assert cleared.code == 0, cleared.text
    assert "removed 2 entries" in cleared.out
    assert "notes.txt" in cleared.out and "entries/zz/my-folder" in cleared.out  # what it left, and why
    assert set(files_under(cache)) == {"CACHEDIR.TAG", "notes.txt", "entries/zz/my-folder/keep.txt", "tmp/keep.txt"}
    assert sorted(p.name for p in (cache / "tmp").iterdir()) == ["keep.txt"]
    assert counts(run_cli("build", cwd=root)) == (2, 0)  # nothing of the cache is left to reuse


def test_a_cache_dir_of_the_site_folder_never_loses_content(site):
    root = animated_site(site, 'title = "T"\ncache_dir = "."\n')
    (root / "notes.txt").write_text("mine")
    before = files_under(root)
    refused = run_cli("cache", "clear", cwd=root)  # nothing built yet: no tag, and not sitegen's layout
    assert refused.code == 1 and "Traceback" not in refused.err
    assert "not a sitegen cache" in refused.err and "CACHEDIR.TAG" in refused.err
    assert "cache_dir" in refused.err and "sitegen.toml" in refused.err  # where the folder was named
    assert files_under(root) == before
    refused = run_cli("cache", "prune", "--older-than", "0", cwd=root)
    assert refused.code == 1 and "not a sitegen cache" in refused.err
    assert files_under(root) == before
    # once a build has made it a cache, clearing takes sitegen's files out and nothing else
    assert counts(run_cli("build", cwd=root)) == (2, 0)
    assert (root / "CACHEDIR.TAG").is_file() and (root / "entries").is_dir()
    cleared = run_cli("cache", "clear", cwd=root)
    assert cleared.code == 0, cleared.text
    after = files_under(root)
    assert {rel: data for rel, data in after.items() if rel in before} == before
    assert not (root / "entries").exists() and not (root / "hashes.json").exists()
    assert (root / "site/index.html").is_file()  # the built site is not the cache's either


def test_a_cache_dir_of_the_content_folder_is_refused(site):
    root = animated_site(site, 'title = "T"\n')
    before = files_under(root / "content")
    for args in (["--cache-dir", "content"], ["--cache-dir", str(root / "content")]):
        refused = run_cli("cache", "clear", *args, cwd=root)
        assert refused.code == 1 and "not a sitegen cache" in refused.err and "--cache-dir" in refused.err
        assert files_under(root / "content") == before
    refused = run_cli("cache", "clear", cwd=root, env={"SITEGEN_CACHE_DIR": str(root / "content")})
    assert refused.code == 1 and "SITEGEN_CACHE_DIR" in refused.err
    assert files_under(root / "content") == before


def test_an_untagged_folder_of_sitegen_files_only_is_taken_as_a_cache_and_tagged(site):
    root = animated_site(site)
    assert counts(run_cli("build", cwd=root)) == (2, 0)
    cache = root / ".sitegen-cache"
    (cache / "CACHEDIR.TAG").unlink()  # a cache from before sitegen tagged its caches
    pruned = run_cli("cache", "prune", "--older-than", "30", cwd=root)
    assert pruned.code == 0, pruned.text
    assert (cache / "CACHEDIR.TAG").read_text().startswith(TAG_SIGNATURE)
    (cache / "CACHEDIR.TAG").write_text("Signature: something else\n")  # a tag that is not the cache tag
    refused = run_cli("cache", "clear", cwd=root)
    assert refused.code == 1 and "CACHEDIR.TAG" in refused.err
    assert (cache / "entries").is_dir()


def test_cache_commands_report_config_errors(site):
    root = animated_site(site, 'title = "T"\ncache_dir = 5\n')
    for action in ("info", "prune", "clear"):
        result = run_cli("cache", action, cwd=root)
        assert result.code == 1 and "Traceback" not in result.err, action
        assert "sitegen.toml:2" in result.err and "cache_dir" in result.err, result.err
    broken = animated_site(site, 'title = "T\n')
    result = run_cli("cache", "clear", cwd=broken)
    assert result.code == 1 and "sitegen.toml:1" in result.err and "Traceback" not in result.err
