"""Raw HTML in a story's source."""


from storytext import parse, segs


def test_raw_html_is_left_out_with_a_warning_and_allowed_embeds_are_carried(tmp_path):
    body = ('<div class="ad">Buy <b>now</b></div>\n\n'
            '<iframe src="https://www.youtube.com/embed/x1" title="Video"></iframe>\n\n'
            '<iframe src="https://evil.example/x"></iframe>\n\nText with <span>inline</span> tags.\n')
    story = parse(tmp_path, body, embed_hosts=("youtube.com",))
    assert [b.kind for b in story.blocks] == ["embed", "paragraph"]
    assert (story.blocks[0].text, story.blocks[0].info) == ("https://www.youtube.com/embed/x1", "Video")
    assert segs(story) == [("paragraph", "Text with inline tags.")]
    assert story.warnings == [
        "article.md:5: raw HTML '<div class=\"ad\">Buy <b>now</b></div>' is left out; write Markdown",
        "article.md:9: embed from 'evil.example' is left out: its host is not in [tool.storyloc] embed_hosts",
        "article.md:11: raw HTML '<span>' is left out; write Markdown",
        "article.md:11: raw HTML '</span>' is left out; write Markdown"]
