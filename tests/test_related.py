"""Related posts: which posts a post lists under "Related", in which order, through the real CLI; the
index's walk for broad terms finds exactly what comparing every pair finds."""
from __future__ import annotations

import random
import re
from dataclasses import fields
from datetime import datetime, timedelta, timezone

import pytest

from conftest import post, read, run_cli
from sitegen.model import FrozenMap, Header, Post
from sitegen.related import CATEGORY_WEIGHT, TAG_WEIGHT, related_posts

POSTS = {
    "alpha": dict(date="2024-01-10", tags="[rnn, dynamics]", categories="[research]"),
    "bravo": dict(date="2023-06-01", tags="[RNN, Dynamics]"),  # the same tags, written otherwise
    "charlie": dict(date="2024-01-05", tags="[rnn]", categories="[research]"),
    "delta": dict(date="2024-01-09", tags="[dynamics]"),
    "echo": dict(date="2024-01-11", tags="[eeg]", categories="[research]"),
    "foxtrot": dict(date="2024-01-10", tags="[cooking]"),
    "golf": dict(date="2022-01-01", tags="[rnn]", related="false"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("related")
    for name, front in POSTS.items():
        path = root / "content" / "posts" / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(post(name.capitalize(), f"The {name} post.", **front), encoding="utf-8")
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    return root


def related_titles(root, name: str) -> list[str] | None:
    """The titles under the post's "Related" heading, in order; None when it has no such section."""
    page = read(root, f"posts/{name}/index.html")
    section = re.search(r'<section class="[^"]*\brelated\b.*?</section>', page, re.S)
    if section is None:
        return None
    assert '<h2 id="related-title" class="related__title">Related</h2>' in section.group(0)
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', section.group(0))


def test_the_most_shared_first_then_the_nearest_in_date(built):
    # bravo shares two tags (4), charlie a tag and the category (3); delta and golf one tag each (2),
    # delta is a day away and golf two years: delta.
    assert related_titles(built, "alpha") == ["Bravo", "Charlie", "Delta"]


def test_a_category_counts_and_a_post_with_fewer_matches_lists_fewer(built):
    assert related_titles(built, "echo") == ["Alpha", "Charlie"]  # the category alone; alpha is nearer


def test_a_post_that_shares_nothing_has_no_related_section(built):
    assert related_titles(built, "foxtrot") is None
    assert "Related</h2>" not in read(built, "posts/foxtrot/index.html")


def test_related_false_turns_it_off_for_that_post_only(built):
    assert related_titles(built, "golf") is None
    assert "Golf" in related_titles(built, "charlie")  # it is still listed on others


def test_related_links_are_relative_to_the_post(built):
    page = read(built, "posts/alpha/index.html")
    section = re.search(r'<section class="[^"]*\brelated\b.*?</section>', page, re.S).group(0)
    assert 'href="../bravo/"' in section


def test_related_posts_0_turns_them_off_site_wide(site):
    root = site({"content/posts/a.md": post("A", tags="[x]", date="2024-01-01"),
                 "content/posts/b.md": post("B", tags="[x]", date="2024-01-02")}, config="related_posts = 0\n")
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    assert "Related</h2>" not in read(root, "posts/a/index.html")


def test_related_must_be_true_or_false(site):
    root = site({"content/posts/a.md": post("A", tags="[x]", date="2024-01-01", related="sometimes")})
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert "content/posts/a.md:5: error: 'related' must be true or false" in result.err, result.err
    assert "Traceback" not in result.text


# ---- the index against every pair


def make_post(number: int, date: datetime | None, tags: tuple[str, ...], categories: tuple[str, ...]) -> Post:
    empty = {f.name: f.default for f in fields(Post)}
    empty.update({name: "" for name in ("kind", "source", "source_rel", "title", "slug", "url_path", "layout",
                                        "description", "excerpt_html", "content_html", "toc_html")})
    empty.update(kind="post", title=f"post {number}", url_path=f"posts/{number}/", date=date, last_modified=None,
                 draft=False, show_toc=False, header=Header(), sidebar=(), gallery=(), tags=tags,
                 categories=categories, word_count=0, extra=FrozenMap(), front_matter=FrozenMap(),
                 key_lines=FrozenMap())
    return Post(**empty)


def every_pair(posts: list[Post], count: int) -> list[list[str]]:
    """The definition, comparing every pair: score, then nearness in date, then the newer."""
    def when(p: Post) -> float:
        return p.date.timestamp() if p.date else 0.0

    def score(a: Post, b: Post) -> int:
        return (TAG_WEIGHT * len({t.lower() for t in a.tags} & {t.lower() for t in b.tags})
                + CATEGORY_WEIGHT * len({c.lower() for c in a.categories} & {c.lower() for c in b.categories}))

    result = []
    for number, a in enumerate(posts):
        scored = [(-score(a, b), abs(when(b) - when(a)), -when(b), other) for other, b in enumerate(posts)
                  if other != number and score(a, b)]
        result.append([posts[o].title for *_, o in sorted(scored)[:count]])
    return result


@pytest.mark.parametrize("seed", range(6))
def test_the_index_finds_what_every_pair_finds(seed):
    rng = random.Random(seed)
    start = datetime(2020, 1, 1, tzinfo=timezone.utc)
    posts = []
    for number in range(120):
        date = None if rng.random() < 0.05 else start + timedelta(days=rng.randrange(0, 400))
        tags = tuple(rng.sample(["a", "b", "c", "d", "e", "f", "g", "h"], rng.randrange(0, 3)))
        categories = ("research",) * (rng.random() < 0.8) + ("notes",) * (rng.random() < 0.3)
        posts.append(make_post(number, date, tags, categories))
    posts.sort(key=lambda p: p.date or datetime(1970, 1, 1, tzinfo=timezone.utc), reverse=True)
    expected = every_pair(posts, 3)
    for broad in (0, 5, 40, 10_000):  # only how they are found changes
        found = [[p.title for p in related] for related in related_posts(posts, 3, broad=broad)]
        assert found == expected, broad


def test_every_pair_helper_agrees_on_a_hand_made_case():
    day = datetime(2024, 1, 1, tzinfo=timezone.utc)
    posts = [make_post(n, day - timedelta(days=n), ("x",), ()) for n in range(4)]
    assert [[p.title for p in r] for r in related_posts(posts, 2)] == every_pair(posts, 2)
    assert [p.title for p in related_posts(posts, 2)[1]] == ["post 0", "post 2"]  # equally near: the newer
