"""Build time with a 300-entry .bib (and posts citing it) against the same site without it, best of 3.

    python bench/bib_build.py [--entries 300] [--posts 20] [--runs 3]

The .bib is generated (bench.bib_build.generated_bib): articles, proceedings papers, arXiv preprints and
theses with 1-9 authors, LaTeX accents, braces, DOIs and abstracts, a third of them the site author's."""
from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FAMILIES = ["Lindqvist", "Okafor", "Brandt", "M{\\\"u}ller", "Garc{\\'i}a-L{\\'o}pez", "{\\O}stergaard", "Nakashima",
            "Rautio", "Holmgren", "Ferreira-Tan", "van der Berg", "de la Fuente", "Dvo{\\v{r}}{\\'a}k", "Chen", "Smith"]
GIVEN = ["Mara", "David A.", "S{\\\"o}ren", "Jan", "Ana Mar{\\'i}a", "Kristian", "Hiro", "Kaisa", "Elin", "L.", "Ji"]
WORDS = ["dynamics", "recurrent", "networks", "spiking", "{EEG}", "decoding", "hippocampal", "oscillations", "gamma",
         "manifold", "working memory", "{LFP}", "inhibition", "plasticity", "{Bayesian}", "cortex", "models"]
VENUES = ["Journal of Computational Neuroscience", "Neural Computation", "NeuroImage", "PLoS Computational Biology",
          "eLife", "Nature Neuroscience"]


def generated_bib(n: int, seed: int = 15) -> str:
    rng = random.Random(seed)
    out = ["@string{jcn = {Journal of Computational Neuroscience}}\n"]
    for i in range(n):
        authors = [f"{rng.choice(FAMILIES)}, {rng.choice(GIVEN)}" for _ in range(rng.randint(1, 9))]
        if i % 3 == 0:
            authors.insert(rng.randint(0, len(authors)), "Lindqvist, Mara")
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 11))).capitalize()
        year = 1995 + i % 30
        kind = ("article", "inproceedings", "misc", "phdthesis")[i % 7 % 4]
        fields = [f"  author = {{{' and '.join(authors)}}}", f"  title = {{{title}}}", f"  year = {year}"]
        if kind == "article":
            fields += ["  journal = jcn" if i % 5 == 0 else f"  journal = {{{rng.choice(VENUES)}}}",
                       f"  volume = {{{rng.randint(1, 99)}}}", f"  pages = {{{i}--{i + 17}}}",
                       f"  doi = {{10.1000/gen.{i:04d}}}", "  month = jan"]
        elif kind == "inproceedings":
            fields += ["  booktitle = {Proceedings of the Workshop on Dynamics in Machine Learning}", f"  pages = {{{i}--{i + 8}}}"]
        elif kind == "misc":
            fields += [f"  eprint = {{{year % 100:02d}{i % 12 + 1:02d}.{i:05d}}}", "  archivePrefix = {arXiv}"]
        else:
            fields += ["  school = {Vesterby University}"]
        if i % 4 == 0:
            fields.append("  abstract = {" + " ".join(rng.choice(WORDS) for _ in range(60)) + "}")
        out.append(f"@{kind}{{gen{i:04d},\n" + ",\n".join(fields) + "\n}\n")
    return "\n".join(out)


def make_site(root: Path, entries: int, posts: int, with_bib: bool) -> None:
    (root / "content/posts").mkdir(parents=True)
    (root / "sitegen.toml").write_text('title = "Bench"\nsearch = false\n[author]\nname = "Mara Lindqvist"\n')
    if with_bib:
        (root / "content/publications.bib").write_text(generated_bib(entries))
    for p in range(posts):
        cites = (f"As [@gen{p * 7 % entries:04d}; @gen{(p * 7 + 1) % entries:04d}, p. 3] and @gen{(p * 7 + 2) % entries:04d} "
                 f"showed [-@gen{(p * 7 + 3) % entries:04d}].") if with_bib else "As others showed."
        (root / f"content/posts/2024-01-{p % 28 + 1:02d}-post-{p}.md").write_text(
            f"---\ntitle: Post {p}\n---\n\nSome text about networks. {cites}\n\nMore text.\n")


def best_build(root: Path, runs: int) -> tuple[float, float]:
    """The best wall time and the best CPU time (user + system) of `runs` builds."""
    walls, cpus = [], []
    for _ in range(runs):
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        subprocess.run([sys.executable, "-m", "sitegen", "build", "-q"], cwd=root, check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        walls.append(time.perf_counter() - start)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=300)
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for with_bib in (False, True):
            root = Path(tmp) / ("with" if with_bib else "without")
            make_site(root, args.entries, args.posts, with_bib)
            results[with_bib] = best_build(root, args.runs)
        (wall_off, cpu_off), (wall_on, cpu_on) = results[False], results[True]
        print(f"{args.posts} posts, best of {args.runs}: without a .bib {wall_off:.2f} s (CPU {cpu_off:.2f} s); with "
              f"{args.entries} entries, every post citing 4: {wall_on:.2f} s (CPU {cpu_on:.2f} s); "
              f"+{wall_on - wall_off:.2f} s (CPU +{cpu_on - cpu_off:.2f} s)")


if __name__ == "__main__":
    main()
