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
# A term on more posts than BROAD, and on more than one in BROAD_SHARE of them, is walked to, not listed:
# listing costs its posts for every post that has it, a walk about BROAD_SHARE steps per post it finds.
# Either way the result is the same.
BROAD = 64
BROAD_SHARE = 8

_Term = tuple[str, str]  # (taxonomy, slug), as the term pages group them


@dataclass(frozen=True, slots=True)
class _Index:
    """The posts (newest first) as numbers, and which posts carry each term."""

    times: tuple[float, ...]  # each post's date as a timestamp (0 without a date)
    terms: tuple[dict[_Term, int], ...]  # each post's terms and their weights
    carriers: dict[_Term, frozenset[int]]


def related_posts(posts: Sequence[Post], count: int, broad: int | None = None) -> tuple[tuple[Post, ...], ...]:
    """For each of `posts` (newest first, as the site lists them), up to `count` related posts, best first.
    `broad` (how many posts make a term broad) only changes how they are found, never which."""
    if count <= 0:
        return tuple(() for _ in posts)
    broad = max(BROAD, len(posts) // BROAD_SHARE) if broad is None else broad
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
        for _ in range(own[term]):  # Counter.update counts in C; a weight is a small whole number
            found.update(index.carriers[term])
    found.pop(number, None)
    for carriers, weight in wide:  # the candidates' score from the broad terms too
        shared = found.keys() & carriers
        for _ in range(weight):
            found.update(shared)
    scored = _top(number, index, count, found)
    if wide:
        scored = _walk(number, index, count, wide, found, scored)
    return [other for _, other in scored]


def _top(number: int, index: _Index, count: int, found: Counter[int]) -> _Scored:
    """The best `count` of the scored posts: the highest scores, and of the last score needed, the nearest."""
    chosen: list[int] = []
    for score in sorted(set(found.values()), reverse=True):  # usually one or two are needed
        group = [other for other, given in found.items() if given == score]
        if len(chosen) + len(group) > count:
            group = heapq.nsmallest(count - len(chosen), group, key=lambda o: (_rank(number, o, score, index), o))
        chosen += group
        if len(chosen) == count:
            break
    return sorted((_rank(number, other, found[other], index), other) for other in chosen)


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
        rank = _rank(number, other, score, index) if score else None
        if rank is not None and (len(scored) < count or (rank, other) < scored[-1]):
            scored = sorted([*scored, (rank, other)])[:count]
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
