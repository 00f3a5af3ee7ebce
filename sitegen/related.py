"""Post* -> each post's related posts: the ones that share the most tags and categories with it (a tag
counts more than a category), then the nearest in date, then the newer. A post that shares nothing
with another has none.

Posts are found through an index of each tag and category, not by comparing every pair. A term most
posts carry (a category like 'research') would make that index no better than every pair, so the
posts that share only such broad terms are found by walking outwards in date from the post, which
stops as soon as no post further away could still make the list."""
from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from sitegen.model import Post
from sitegen.slugs import slugify

TAG_WEIGHT = 2
CATEGORY_WEIGHT = 1
BROAD = 64  # a term on more posts than this is walked to, not listed (the result is the same either way)

_Term = tuple[str, str]  # (taxonomy, slug), as the term pages group them


@dataclass(frozen=True, slots=True)
class _Index:
    """The posts (newest first) as numbers, and which posts carry each term."""

    times: tuple[float, ...]  # each post's date as a timestamp (0 without a date)
    terms: tuple[dict[_Term, int], ...]  # each post's terms and their weights
    carriers: dict[_Term, frozenset[int]]


def related_posts(posts: Sequence[Post], count: int, broad: int = BROAD) -> tuple[tuple[Post, ...], ...]:
    """For each of `posts` (newest first, as the site lists them), up to `count` related posts, best first.
    `broad` only changes how they are found, never which."""
    if count <= 0:
        return tuple(() for _ in posts)
    index = _index(posts)
    return tuple(tuple(posts[other] for other in _best(number, index, count, broad)) if post.show_related else ()
                 for number, post in enumerate(posts))


def _index(posts: Sequence[Post]) -> _Index:
    terms = tuple(_terms(post) for post in posts)
    carriers: dict[_Term, set[int]] = {}
    for number, own in enumerate(terms):
        for term in own:
            carriers.setdefault(term, set()).add(number)
    return _Index(tuple(p.date.timestamp() if p.date else 0.0 for p in posts), terms,
                  {term: frozenset(numbers) for term, numbers in carriers.items()})


def _terms(post: Post) -> dict[_Term, int]:
    weighted = [("tags", TAG_WEIGHT, post.tags), ("categories", CATEGORY_WEIGHT, post.categories)]
    return {(taxonomy, slugify(name) or name): weight for taxonomy, weight, names in weighted for name in names}


def _best(number: int, index: _Index, count: int, broad: int) -> list[int]:
    own = index.terms[number]
    narrow = [t for t in own if len(index.carriers[t]) <= broad]
    wide = [(index.carriers[t], own[t]) for t in own if len(index.carriers[t]) > broad]
    found: Counter[int] = Counter()
    for term in narrow:
        for other in index.carriers[term]:
            found[other] += own[term]
    found.pop(number, None)
    scored = heapq.nsmallest(count, ((_rank(number, other, score + _shared(wide, other), index), other)
                                     for other, score in found.items()))
    if wide:
        scored = _walk(number, index, count, wide, found, scored)
    return [other for _, other in scored]


def _shared(terms: list[tuple[frozenset[int], int]], other: int) -> int:
    """The weight of those of `terms` (their posts, their weight) that post `other` carries too."""
    return sum(weight for carriers, weight in terms if other in carriers)


def _rank(number: int, other: int, score: int, index: _Index) -> tuple[int, float, float]:
    """Sorts best first: the higher score, then the nearer date, then the newer post."""
    return -score, abs(index.times[other] - index.times[number]), -index.times[other]


_Scored = list[tuple[tuple[int, float, float], int]]  # (rank, post number), best first


def _walk(number: int, index: _Index, count: int, wide: list[tuple[frozenset[int], int]], found: Counter[int],
          scored: _Scored) -> _Scored:
    """`scored` completed with the posts that share only broad terms, visited nearest in date first."""
    most = sum(weight for _, weight in wide)  # the best a post sharing only broad terms can score
    times, when = index.times, index.times[number]
    for other in _outwards(number, times):
        if len(scored) == count:
            (score, nearness, _), _ = scored[-1]
            if -score > most or (-score == most and nearness < abs(times[other] - when)):
                break  # every post further away ranks below the last one kept
        score = 0 if other in found else _shared(wide, other)
        if score:
            scored = sorted([*scored, (_rank(number, other, score, index), other)])[:count]
    return scored


def _outwards(number: int, times: tuple[float, ...]):
    """The other posts' numbers by distance in date from post `number` (ties: the newer first). `times`
    never increases along the list (newest first)."""
    newer, older = number - 1, number + 1
    while newer >= 0 or older < len(times):
        take_newer = older >= len(times) or (newer >= 0 and times[newer] - times[number] <= times[number] - times[older])
        if take_newer:
            yield newer
            newer -= 1
        else:
            yield older
            older += 1
