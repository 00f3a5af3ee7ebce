"""Liquid in posts, tag by tag and filter by filter: the post's body and the whole HTML it becomes,
side by side (as Python-Markdown's tests are written). Posts go through the real parse stages."""
from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, convert_all, plan_site
from sitegen.figures import Figures
from sitegen.theme import Theme

FRONT = "title: A post\ndate: 2024-03-02\ntags: [eeg, models]\n"
SECOND = "---\ntitle: Second post\ndate: 2024-04-01\n---\nLater.\n"


def render(body: str, front: str = FRONT, files: dict[str, str] | None = None, config: str = "",
           root: Path | None = None) -> tuple[str, list]:
    """The post's HTML (and every diagnostic) when `body` is a post in a small site."""
    root = root or Path(tempfile.mkdtemp(prefix="sitegen-liquid-"))
    site_files = {"content/posts/2024-03-02-a-post.md": f"---\n{front}---\n{textwrap.dedent(body).strip()}\n",
                  "content/posts/2024-04-01-second.md": SECOND, **(files or {})}
    for rel, text in site_files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "sitegen.toml").write_text('title = "Lab notes"\nurl = "https://me.github.io"\nbase_url = "/lab/"\n' + config)
    [planned] = plan_site(BuildOptions(root=root))
    figures = Figures.for_theme(Theme.for_site(planned.config), {}, {})
    posts, converted = convert_all(planned.posts, planned.sources, planned.config, figures)
    [post] = [p for p in posts if p.source_rel == "posts/2024-03-02-a-post.md"]
    return post.content_html.strip(), [*planned.diagnostics, *converted]


def assert_renders(body: str, expected: str, **kwargs) -> None:
    html, problems = render(body, **kwargs)
    assert html == textwrap.dedent(expected).strip()
    assert [p.format() for p in problems] == []


CODE_PY = ('<div class="language-python highlight"><pre><span></span><code><span class="n">x</span> '
           '<span class="o">=</span> <span class="mi">1</span>\n</code></pre></div>')
TAGS = {
    "output": ("Hello {{ page.title }} from {{ site.title }}.", "<p>Hello A post from Lab notes.</p>"),
    "raw": ("{% raw %}{{ page.title }} and {% if %}{% endraw %}", "<p>{{ page.title }} and {% if %}</p>"),
    "assign and capture": ("{% assign who = 'Ann' %}{% capture greeting %}Hi **{{ who }}**{% endcapture %}{{ greeting }}",
                           "<p>Hi <strong>Ann</strong></p>"),
    "if, unless, case": ("{% if page.tags contains 'eeg' %}EEG{% else %}no{% endif %} {% unless page.draft %}live"
                         "{% endunless %} {% case page.title %}{% when 'A post' %}first{% else %}other{% endcase %}",
                         "<p>EEG live first</p>"),
    "for over site.posts": ("{%- for post in site.posts %}\n* [{{ post.title }}]({{ post.url | relative_url }}) "
                            "{{ post.date | date: '%Y' }}\n{%- endfor %}",
                            '<ul>\n<li><a href="/posts/second/">Second post</a> 2024</li>\n'
                            '<li><a href="/posts/a-post/">A post</a> 2024</li>\n</ul>'),
    "highlight": ("{% highlight python %}\nx = 1\n{% endhighlight %}", CODE_PY),
    "fenced code: Liquid runs, Markdown escapes": (
        "```html\n{{ '<b>' }} {% raw %}{{ x }}{% endraw %}\n```",
        '<div class="language-html highlight"><pre><span></span><code><span class="p">&lt;</span><span class="nt">b'
        '</span><span class="p">&gt;</span> {{ x }}\n</code></pre></div>'),
    "post_url": ("[Next]({% post_url 2024-04-01-second %})", '<p><a href="/posts/second/">Next</a></p>'),
    "link": ("[Next]({% link _posts/2024-04-01-second.md %}) [Again]({% link posts/2024-04-01-second.md %})",
             '<p><a href="/posts/second/">Next</a> <a href="/posts/second/">Again</a></p>'),
    "page variables": ("{{ page.url }} {{ page.path }} {{ page.next.title }} {{ page.previous.title | default: 'none' }} "
                       "{{ page.date | date: '%c' }}",
                       "<p>/posts/a-post/ content/posts/2024-03-02-a-post.md Second post none Sat Mar  2 00:00:00 2024</p>"),
    "site.url + site.baseurl is the site's own, honouring base_url": (
        "![Wave]({{ site.url }}{{ site.baseurl }}/assets/wave.png)", '<p><img alt="Wave" src="/assets/wave.png"></p>'),
}

FILTERS = {
    "relative_url, absolute_url (and no script URLs)": (
        "{{ '/assets/a.png' | relative_url }} {{ 'assets/a.png' | absolute_url }} {{ 'javascript:alert(1)' | relative_url }}|",
        "<p>/assets/a.png https://me.github.io/lab/assets/a.png |</p>"),
    "markdownify": ("<div class=\"notice--info\">{{ '**Note:** see [docs](https://x.org)' | markdownify }}</div>",
                    '<div class="notice--info"><p><strong>Note:</strong> see <a href="https://x.org">docs</a></p></div>'),
    "slugify": ("{{ 'Spiking Network — E/I!' | slugify }} {{ 'A B' | slugify: 'raw' }}", "<p>spiking-network-e-i a-b</p>"),
    "dates": ("{{ page.date | date_to_xmlschema }} / {{ page.date | date_to_string }} / {{ page.date | date_to_string: "
              "'ordinal', 'US' }} / {{ page.date | date_to_long_string: 'ordinal' }} / {{ page.date | date: '%B %-d, %Y' }}",
              "<p>2024-03-02T00:00:00+00:00 / 02 Mar 2024 / Mar 2nd, 2024 / 2nd March 2024 / March 2, 2024</p>"),
    "jsonify": ("<p>{{ page.tags | jsonify }}</p>", '<p>["eeg", "models"]</p>'),
    "where, sort, group_by": (
        "{% assign eeg = site.posts | where: 'tags', 'eeg' %}{{ eeg | map: 'title' | join: ', ' }}; {% assign sorted = "
        "site.posts | sort: 'title' %}{{ sorted | map: 'title' | join: ', ' }}; {% assign groups = site.posts | "
        "group_by: 'title' %}{{ groups.size }} {{ groups.first.name }}",
        "<p>A post; A post, Second post; 2 Second post</p>"),
    "where_exp": ("{% assign late = site.posts | where_exp: 'p', 'p.title contains \"Second\"' %}{{ late | map: 'url' | join: ' ' }}",
                  "<p>/posts/second/</p>"),
    "number_of_words, xml_escape, cgi_escape, uri_escape": (
        "{{ 'one two  three' | number_of_words }} {{ 'a < b & \"c\"' | xml_escape }} {{ 'a b&c' | cgi_escape }} "
        "{{ 'a b/ü' | uri_escape }}",
        "<p>3 a &lt; b &amp; &quot;c&quot; a+b%26c a%20b/%C3%BC</p>"),
    "strip_html, normalize_whitespace": ("{{ '<p>Hi <b>there</b></p>' | strip_html }}|{{ ' a \n\n b ' | normalize_whitespace }}|",
                                         "<p>Hi there|a b|</p>"),
    "array_to_sentence_string and site.data": (
        "{{ page.tags | array_to_sentence_string }}; {{ site.data.people | map: 'name' | array_to_sentence_string: 'or' }}",
        "<p>eeg and models; Ann, Bo, or Cy</p>"),
}
PEOPLE = {"_data/people.yml": "- name: Ann\n- name: Bo\n- name: Cy\n"}


@pytest.mark.parametrize("body, expected", TAGS.values(), ids=TAGS.keys())
def test_tags(body, expected):
    assert_renders(body, expected)


@pytest.mark.parametrize("body, expected", FILTERS.values(), ids=FILTERS.keys())
def test_filters(body, expected):
    assert_renders(body, expected, files=PEOPLE)


def test_highlight_linenos_and_mark_lines_are_the_fenced_blocks_own():
    fenced, _ = render('```scss linenums="1" hl_lines="2"\na { b: c }\nd { e: f }\n```')
    assert_renders('{% highlight scss linenos mark_lines="2" %}\na { b: c }\nd { e: f }\n{% endhighlight %}', fenced)
    assert 'class="hll"' in fenced and 'class="linenos"' in fenced


def test_site_data_from_content_data_json_and_csv():
    files = {"content/_data/lab.json": '{"name": "Cortex lab"}', "_data/team/people.csv": "name,role\nAnn,PI\nBo,PhD\n"}
    assert_renders("{{ site.data.lab.name }}: {% for p in site.data.team.people %}{{ p.name }} ({{ p.role }}) {% endfor %}",
                   "<p>Cortex lab: Ann (PI) Bo (PhD) </p>", files=files)


def test_front_matter_cannot_write_markup_or_leave_an_attribute():
    front = FRONT + "evil: '<script>alert(1)</script>\" onmouseover=\"alert(2)'\n"
    assert_renders('<span title="{{ page.evil }}">{{ page.evil }}</span>',
                   '<p><span title="&lt;script&gt;alert(1)&lt;/script&gt;&#34; onmouseover=&#34;alert(2)">'
                   '&lt;script&gt;alert(1)&lt;/script&gt;&#34; onmouseover=&#34;alert(2)</span></p>', front=front)


def test_markdownify_of_front_matter_is_sanitised():
    front = FRONT + "note: '**hi** <img src=https://x.org/a.png onerror=alert(1)>'\n"
    assert_renders("<div>{{ page.note | markdownify }}</div>",
                   '<div><p><strong>hi</strong> <img src="https://x.org/a.png"></p></div>',
                   front=front)


def test_a_post_without_liquid_is_not_touched():
    from sitegen.liquid.render import render_body

    body = "Plain text with { braces } and % signs.\n"
    assert render_body(None, "posts/a.md", "content/posts/a.md", body, 5).text is body  # type: ignore[arg-type]
