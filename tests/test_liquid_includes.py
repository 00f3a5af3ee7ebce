"""The default theme's includes (templates/includes/) and a site's own: input and the whole HTML."""
from __future__ import annotations

import pytest

from test_liquid import FRONT, assert_renders, render

GALLERY_FRONT = FRONT + """shots:
  - url: /assets/images/a.png
    image_path: /assets/images/a-th.png
    alt: First
  - image_path: /assets/images/b.png
    title: Second
intro:
  - image_path: /assets/images/c.png
    alt: C
    title: Spikes
    excerpt: Rates from **rasters**.
    url: /posts/second/
    btn_label: Read
"""
FACADE = ("&lt;style&gt;html,body{height:100%;margin:0}a{display:flex;height:100%;align-items:center;justify-content:"
          "center;gap:.5em;background:#111;color:#fff;font:600 1.1rem system-ui,sans-serif;text-decoration:none}span.p"
          "{font-size:2.5rem}&lt;/style&gt;&lt;a href=&quot;{href}&quot;&gt;&lt;span class=p aria-hidden=true&gt;&amp;"
          "#9654;&lt;/span&gt;&lt;span&gt;A post&lt;/span&gt;&lt;/a&gt;")
IFRAME = ('<figure class="video">\n  <div class="video__frame">\n    <iframe class="video__player" src="{src}" srcdoc="{doc}" '
          'title="A post" loading="lazy" referrerpolicy="strict-origin-when-cross-origin" allow="autoplay; '
          'encrypted-media; picture-in-picture; fullscreen" allowfullscreen></iframe>\n  </div>\n</figure>')
VIDEOS = {
    "youtube (privacy-enhanced)": ('id="dQw4w9WgXcQ" provider="youtube"', "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"),
    "vimeo": ('id="76979871" provider="vimeo"', "https://player.vimeo.com/video/76979871?autoplay=1&amp;dnt=1"),
    "google-drive": ('id="1aBcDeFgHiJkLmNoPqRsT" provider="google-drive"', "https://drive.google.com/file/d/1aBcDeFgHiJkLmNoPqRsT/preview"),
    "bilibili": ('id="BV1xx411c7mD" provider="bilibili"', "https://player.bilibili.com/player.html?bvid=BV1xx411c7mD&amp;autoplay=1"),
    "al-folio video.liquid with a YouTube path": ('path="https://www.youtube.com/embed/dQw4w9WgXcQ"',
                                                  "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"),
}


@pytest.mark.parametrize("params, src", VIDEOS.values(), ids=VIDEOS.keys())
def test_video_is_a_click_to_load_facade(params, src):
    """The iframe's srcdoc is only a link to the player: nothing is fetched until it is clicked."""
    doc = FACADE.replace("{href}", src.replace("&amp;", "&amp;amp;"))
    assert_renders(f"{{% include video {params} %}}", IFRAME.replace("{src}", src).replace("{doc}", doc))


INCLUDES = {
    "al-folio video.liquid with a file": (
        '{% include video.liquid path="assets/video/run.mp4" class="img-fluid" controls=true caption="A *run*" %}',
        '<figure class="video img-fluid">\n  <video class="video__file" src="/assets/video/run.mp4" preload="none" controls '
        'playsinline></video>\n  <figcaption>A <em>run</em></figcaption>\n</figure>'),
    "figure": (
        '{% include figure image_path="/assets/images/wave.png" alt="A wave" caption="The **wave** at 10 Hz" class="align-center" %}',
        '<figure class="figure align-center">\n  <img src="/assets/images/wave.png" alt="A wave" loading="lazy">\n'
        '  <figcaption>The <strong>wave</strong> at 10 Hz</figcaption>\n</figure>'),
    "al-folio figure.liquid": (
        '{% include figure.liquid path="assets/img/wave.png" class="img-fluid rounded" zoomable=true %}',
        '<figure class="figure img-fluid rounded">\n  <img src="/assets/img/wave.png" alt="" loading="lazy" '
        'class="figure__zoomable" data-zoomable>\n</figure>'),
    "gallery": (
        '{% include gallery id="shots" layout="half" caption="Two *shots*" %}',
        '<figure class="gallery-include gallery-include--half">\n  <a href="/assets/images/a.png"><img '
        'src="/assets/images/a-th.png" alt="First" loading="lazy"></a>\n  <img src="/assets/images/b.png" alt="Second" '
        'loading="lazy">\n  <figcaption>Two <em>shots</em></figcaption>\n</figure>'),
    "toc": (
        '{% include toc title="Contents" icon="cog" %}\n\n## Methods\n\n### Data\n\n## Results',
        '<aside class="toc-include">\n  <nav class="toc" aria-label="Contents">\n    <header><h4 class="toc__title"><span '
        'class="toc__icon toc__icon--cog" aria-hidden="true"></span> Contents</h4></header>\n    <div class="toc">\n<ul>\n'
        '<li><a href="#methods">Methods</a><ul>\n<li><a href="#data">Data</a></li>\n</ul>\n</li>\n<li><a href="#results">'
        'Results</a></li>\n</ul>\n</div>\n\n\n<h2 id="methods">Methods<a class="headerlink" href="#methods" title="Link to '
        'this section">#</a></h2>\n<h3 id="data">Data<a class="headerlink" href="#data" title="Link to this section">#</a>'
        '</h3>\n<h2 id="results">Results<a class="headerlink" href="#results" title="Link to this section">#</a></h2>'),
    "feature_row": (
        '{% include feature_row id="intro" type="left" %}',
        '<div class="feature-row feature-row--left">\n  <div class="feature-row__item">\n    <img class="feature-row__image" '
        'src="/assets/images/c.png" alt="C" loading="lazy">\n    <div class="feature-row__body">\n      <h3 '
        'class="feature-row__title">Spikes</h3>\n      <div class="feature-row__excerpt"><p>Rates from <strong>rasters'
        '</strong>.</p></div>\n      <p><a class="btn btn--primary" href="/posts/second/">Read</a></p>\n    </div>\n  '
        '</div>\n</div>'),
    "notice classes (kramdown attribute list)": ("A note.\n{: .notice--info}", '<p class="notice--info">A note.</p>'),
}


@pytest.mark.parametrize("body, expected", INCLUDES.values(), ids=INCLUDES.keys())
def test_theme_includes(body, expected):
    assert_renders(body, expected, front=GALLERY_FRONT)


def test_a_sites_own_includes_win_and_take_parameters():
    own = {"_includes/figure.html": '<img class=mine src="{{ include.image_path | relative_url }}">',
           "templates/includes/note.html": "<em>{{ include.text }}</em>"}
    assert_renders('{% include figure image_path="/a.png" %} {% include note.html text=page.title %}',
                   '<p><img class=mine src="/a.png"> <em>A post</em></p>', files=own)


def test_include_relative_reads_beside_the_post():
    files = {"content/snippets/snippet.md": "A *snippet* about {{ page.title }}.\n"}
    assert_renders("{% include_relative ../snippets/snippet.md %}", "<p>A <em>snippet</em> about A post.</p>", files=files)


def test_theme_markup_survives_the_sanitiser_but_author_values_inside_it_do_not_run():
    body = ('{% capture bad %}" onerror="alert(1){% endcapture %}{% include video id="dQw4w9WgXcQ" provider="youtube" %}'
            '{% include figure image_path="/a.png" alt=bad caption="<script>x()</script>*ok*" %}<iframe src="https://evil.org"></iframe>')
    html, _ = render(body, config='[markdown]\nraw_html = "sanitize"\n')
    assert '<iframe class="video__player" src="https://www.youtube-nocookie.com/embed/' in html
    assert "evil.org" not in html and "<script" not in html
    assert 'alt="&#34; onerror=&#34;alert(1)"' in html and "<em>ok</em>" in html
