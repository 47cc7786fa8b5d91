"""Figures as the story format writes them."""
from __future__ import annotations

import pytest

from importtext import BASE, md, page


def test_a_credit_only_figure_and_a_markdown_image_with_a_title():
    result = md('---\ntitle: T\n---\n\n![A heron](/h.jpg "Waiting.")\n\n'
                '<figure><img src="x.jpg" alt="X"><figcaption>Photo: Jo Lee</figcaption></figure>\n')
    assert "::: figure h\nimage: https://gazette.example/h.jpg\nalt: A heron\ncaption: Waiting.\n:::" in result.text
    assert "::: figure x\nimage: https://gazette.example/x.jpg\nalt: X\ncredit: Jo Lee\n:::" in result.text


def test_a_gallery_and_figure_ids_stay_unique():
    result = page('<p>Two views.</p><figure><img src="/a/p.jpg" alt="The pier"><img src="/b/p.jpg" alt="The pier">'
                  '</figure><figure><img src="/c/p.jpg" alt="Three"></figure>', base_url=BASE)
    assert "::: figure p\nimage: https://gazette.example/a/p.jpg\nimage: https://gazette.example/b/p.jpg\n" \
           "alt: The pier\n:::" in result.text
    assert "::: figure p-2\n" in result.text
    assert result.warnings == []


def test_images_side_by_side_with_different_alt_texts_are_a_figure_each():
    """The Go survey's charts: one paragraph of <img>s, each alt a different question (a gallery has one alt)."""
    result = md('---\ntitle: T\n---\n\nText.\n\n<img src="a.svg" alt="Question A?" class="chart" /> <img\n'
                'src="b.svg" alt="Question B?" class="chart" /> <img src="c.svg" class="chart" />\n')
    assert result.text.endswith("Text.\n\n::: figure a\nimage: https://gazette.example/a.svg\nalt: Question A?\n"
                                ":::\n\n::: figure b\nimage: https://gazette.example/b.svg\nalt: Question B?\n:::\n\n"
                                "::: figure c\nimage: https://gazette.example/c.svg\n:::\n")
    assert result.warnings == ["in.md:7: 3 images side by side with different alt texts carried as 3 figures, "
                               "each with its own", "in.md:7: figure 'c' has no alt text; add an `alt:` line"]


def test_an_image_beside_the_text_becomes_a_figure_before_its_paragraph():
    """WordPress's floated photo (alignright) is not the paragraph's caption: it goes before it, as a figure."""
    result = page('<p><a href="/full.jpg"><img class="alignright wp-image-9" src="/nci.jpg" alt="NCI Mobile" '
                  'width="166" height="250"></a>The institute went mobile. <img class="emoji" src="s.png" alt="😀">'
                  '</p>', base_url=BASE)
    assert result.text.endswith("---\n\n::: figure nci\nimage: https://gazette.example/nci.jpg\nalt: NCI Mobile\n"
                                ":::\n\nThe institute went mobile. 😀\n")


def test_an_icon_in_a_sentence_stays_an_inline_image():
    result = page('<p>Press <img src="/icons/share (1).png" alt="the share button" width="16"> to share.</p>'
                  '<h2><img src="/flag.png" alt="Flag"> Results</h2>', base_url=BASE)
    assert "Press ![the share button](https://gazette.example/icons/share%20%281%29.png) to share." in result.text
    assert "## ![Flag](https://gazette.example/flag.png) Results" in result.text
    assert result.warnings == []


def test_classic_wordpress_captions_and_lazy_loaded_images():
    result = page('<p>Text.</p><div id="attachment_7" class="wp-caption alignnone"><img data-src="/a.jpg" '
                  'src="data:image/gif;base64,R0lGOD" alt="A pier"><p class="wp-caption-text">The pier at dawn. '
                  'Photo by Jo Lee</p></div>', base_url=BASE)
    assert "::: figure a\nimage: https://gazette.example/a.jpg\nalt: A pier\ncaption: The pier at dawn.\n" \
           "credit: Jo Lee\n:::" in result.text


def test_an_image_inlined_as_data_is_named():
    result = page('<p>a</p>\n<figure><img src="data:image/png;base64,iVBOR" alt="x"></figure>')
    assert result.warnings == ["in.html:2: an image without an address (none, or an inline data: URI) left out"]
    assert "::: figure" not in result.text


def test_a_wordpress_gallery_is_one_figure_with_its_images():
    result = page('<p>Text.</p><figure class="wp-block-gallery has-nested-images">'
                  '<figure class="wp-block-image"><img src="/g/one.jpg" alt="A market stall"></figure>'
                  '<figure class="wp-block-image"><img src="/g/two.jpg" alt="A market stall"></figure>'
                  '<figcaption class="blocks-gallery-caption">Market day. Photos: Jo Lee</figcaption>'
                  '</figure>', base_url=BASE)
    assert result.text.endswith("::: figure one\nimage: https://gazette.example/g/one.jpg\n"
                                "image: https://gazette.example/g/two.jpg\nalt: A market stall\ncaption: Market day.\n"
                                "credit: Jo Lee\n:::\n")
    assert result.figures == 1


@pytest.mark.parametrize("second, what, after", [
    ('<img src="/g/two.jpg" alt="The market">', "alt texts", ""),
    ('<img src="/g/two.jpg" alt="The square"><figcaption>Two</figcaption>', "captions", "\nMarket day.\n"),
])
def test_a_wordpress_gallery_whose_pictures_differ_is_a_figure_each(second, what, after):
    """Each picture keeps its own alt and caption; the gallery's caption goes last, its credit on each."""
    result = page('<p>Text.</p><figure class="wp-block-gallery has-nested-images">'
                  '<figure class="wp-block-image"><img src="/g/one.jpg" alt="The square"><figcaption>One'
                  f'</figcaption></figure><figure class="wp-block-image">{second}</figure>'
                  '<figcaption class="blocks-gallery-caption">Market day. Photos: Jo Lee</figcaption>'
                  '</figure>', base_url=BASE)
    two_alt = "The market" if what == "alt texts" else "The square"
    two_caption = "Market day." if what == "alt texts" else "Two"
    assert result.text.endswith("::: figure one\nimage: https://gazette.example/g/one.jpg\nalt: The square\n"
                                "caption: One\ncredit: Jo Lee\n:::\n\n::: figure two\n"
                                f"image: https://gazette.example/g/two.jpg\nalt: {two_alt}\ncaption: {two_caption}\n"
                                f"credit: Jo Lee\n:::\n{after}")
    assert result.figures == 2
    assert result.warnings[0] == f"in.html:1: 2 images side by side with different {what} carried as 2 figures, " \
                                 "each with its own"


PQUOTE = ('<aside markdown="1" class="{cls}">\n'
          '  <img src="https://avatars.example/gabek?s=180" class="pquote-avatar" alt="avatar">\n'
          '  I was unable to focus or get started on any task.\n'
          '  <p markdown="1" class="pquote-credit">\n'
          '— <a href="https://github.com/gabek">@gabek</a>, maintainer of Owncast\n'
          '  </p>\n</aside>\n')


@pytest.mark.parametrize("cls", ["pquote", "pullquote", "pull-quote", "c-pull-quote", "article__pullquote"])
def test_a_pull_quote_of_bare_text_beside_an_avatar_keeps_its_words_then_its_credit(cls):
    """opensource.guide's pull quotes: the words are bare text beside the speaker's avatar, the credit a <p>."""
    result = md("---\ntitle: T\n---\n\nIntro.\n\n" + PQUOTE.format(cls=cls) + "\nAfter.\n")
    assert "Intro.\n\n::: pullquote\nI was unable to focus or get started on any task.\n\n" \
           "— [@gabek](https://github.com/gabek), maintainer of Owncast\n:::\n\nAfter.\n" in result.text
    assert result.warnings == ["in.md:8: an image inside a pull quote ('avatar') left out"]


def test_a_quote_s_credit_class_alone_is_no_pull_quote():
    result = page('<p>Text.</p><div class="pquote-credit"><p>— Jo</p></div>')
    assert "::: pullquote" not in result.text and "— Jo" in result.text


def test_a_wordpress_pull_quote_with_its_credit_in_a_figcaption():
    result = page('<p>Text.</p><figure class="wp-block-pullquote"><blockquote><p>We had no choice.</p></blockquote>'
                  '<figcaption>Mayor Lee</figcaption></figure>')
    assert result.text.endswith("::: pullquote\nWe had no choice.\n\nMayor Lee\n:::\n")


def test_an_aside_left_out_says_how_many_words_go_with_it():
    result = page('<article><p>Text.</p>\n<aside class="related"><p>Read our other five stories.</p></aside></article>')
    assert result.warnings == ["in.html:2: <aside> (page navigation or furniture) left out, 5 words with it"]


def test_an_inline_image_without_alt_text_is_named():
    result = page('<p>Press <img src="https://gazette.example/share.png" width="16"> to share, '
                  '<img src="https://gazette.example/ok.png" alt="" width="16"> then.</p>')
    assert "Press ![](https://gazette.example/share.png) to share," in result.text
    assert result.warnings == ["in.html:1: inline image https://gazette.example/share.png has no alt text; write it "
                               "between the brackets of its ![]()",
                               "in.html:1: inline image https://gazette.example/ok.png has no alt text; write it "
                               "between the brackets of its ![]()"]
