"""The story's model: what the tree says about itself."""

from storyloc.story import render_markdown

from storytext import parse


def test_an_inline_image_is_the_sources_own_and_its_file_is_copied(tmp_path):
    story = parse(tmp_path, "A map ![the front line](images/map.png) and ![remote](https://x.example/a.png).\n")
    seg = story.blocks[0].segment
    assert seg.text == "A map ![the front line][1] and ![remote][2]." and seg.images == frozenset({1, 2})
    assert [image for image, _ in story.local_images()] == ["images/map.png"]
    out = render_markdown(story, lambda s: "[x][1] ![y][2] ![z](https://evil.example/t.png)", "uk")
    assert "![x](images/map.png) ![y](https://x.example/a.png) z" in out
