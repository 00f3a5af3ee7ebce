"""The publications page and a post with citations in a real headless Chromium, served under /sub/: the
abstract toggle opens and closes without script, Copy BibTeX puts the entry's BibTeX on the clipboard,
citations lead to the References list, and no page reports an error. Screenshots (light and dark, 390
and 1280 px wide) go to tests/artifacts/screenshots/."""
from __future__ import annotations

import shutil

import pytest

from browser_support import save_screenshot, serve
from conftest import REPO, post, run_cli, write
from test_browser import DESKTOP, PHONE, browser, open_page  # noqa: F401 (fixtures)

CORPUS = REPO / "tests" / "bib_corpus"
BODY = """
Balanced networks oscillate without any oscillating cell [@okafor2021balanced; @garciaLopez2023Manifold, p. 304].
As @Brandt2017 showed for two units, a limit cycle needs little; the textbook account is in
[see @Dayan2001, chap. 7].

```python
print("@okafor2021balanced stays code")
```

Write to mara@example.org.
"""


@pytest.fixture(scope="module")
def site_url(browser, tmp_path_factory):  # noqa: F811
    root = tmp_path_factory.mktemp("pubs")
    shutil.copytree(CORPUS, root / "bib")
    write(root, {
        "sitegen.toml": 'title = "Mara Lindqvist"\nsearch = false\n[author]\nname = "Mara Lindqvist"\n'
                        '[theme]\nnav = [{ title = "Projects", url = "/" }, { title = "Publications", url = "/publications/" }]\n'
                        '[publications]\nbib = ["bib/google_scholar.bib", "bib/zotero_bbt.bib", "bib/jabref.bib", "bib/handwritten.bib"]\n',
        "content/posts/2023-03-01-cites.md": post("Gamma without oscillators", BODY, publication="okafor2021balanced",
                                                  tags="[spiking networks]"),
        "content/papers/lindqvist-preprint-2024.pdf": "%PDF-1.4 stand-in",
        "content/posters/cosyne2022.pdf": "%PDF-1.4 stand-in",
        "content/talks/brandt2017.pdf": "%PDF-1.4 stand-in",
    })
    result = run_cli("build", "--base-url", "/sub/", cwd=root)
    assert result.code == 0, result.text
    with serve(root / "site") as url:
        yield url


def test_the_abstract_opens_and_closes(open_page):
    page, watch = open_page("publications/")
    details = page.locator("#garciaLopez2023Manifold .pub__abstract")
    text = details.locator("p")
    assert not text.is_visible()
    details.locator("summary").click()
    assert text.is_visible() and "low-dimensional manifold" in text.inner_text()
    details.locator("summary").click()
    assert not text.is_visible()
    watch.assert_clean()


def test_copy_bibtex_puts_the_entry_on_the_clipboard(open_page):
    page, watch = open_page("publications/", permissions=["clipboard-read", "clipboard-write"])
    button = page.locator("#Brandt2017 .pub__copy")
    assert button.is_visible() and button.inner_text() == "Copy BibTeX"
    button.click()
    page.wait_for_function("b => b.classList.contains('is-done')", arg=button.element_handle())
    assert page.locator("#Brandt2017 .pub__status").inner_text() == "Copied"
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@Article{Brandt2017,\n  author = {S\\o{}ren Brandt and Mara Lindqvist},\n")
    assert copied.endswith("\n}") and "owner" in copied
    watch.assert_clean()


def test_a_citation_leads_to_its_reference_and_the_reference_to_the_page(open_page):
    page, watch = open_page("posts/cites/")
    page.locator(".citation__ref", has_text="Brandt and Lindqvist (2017)").click()
    assert page.evaluate("location.hash") == "#ref-brandt2017" or page.evaluate("location.hash") == "#ref-Brandt2017"
    entry = page.locator(".references__entry:target")
    assert "Limit cycles in two-neuron CTRNNs" in entry.inner_text()
    entry.locator(".references__more").click()
    page.wait_for_url("**/publications/#Brandt2017")
    assert page.locator(".pub:target").get_attribute("id") == "Brandt2017"
    watch.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_screenshots(open_page, scheme, viewport):
    for path, name in (("publications/", "publications"), ("posts/cites/", "citations")):
        page, watch = open_page(path, viewport=viewport, color_scheme=scheme)
        assert page.evaluate("document.documentElement.dataset.theme") == scheme
        if name == "publications":
            page.locator("#garciaLopez2023Manifold .pub__abstract summary").click()
        save_screenshot(page, f"{name}-{scheme}-{viewport['width']}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {viewport['width']}px"
        watch.assert_clean()
