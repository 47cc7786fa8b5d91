"""review/reviewers.py: named reviewers, their roles, and tokens stored only as their sha256."""
import json

import pytest

from storyloc.errors import ReviewError
from storyloc.review import Reviewer, add_reviewer, clean_user, identify, read_reviewers, remove_reviewer


def test_tokens_are_stored_hashed_and_name_their_reviewer(project):
    assert read_reviewers(project) == [] and identify(project, "x" * 32) is None
    olena, olena_token = add_reviewer(project, "Olena Kovalenko", "editor")
    taras, taras_token = add_reviewer(project, "Taras", "translator")
    assert (olena, taras) == (Reviewer("Olena_Kovalenko", "editor"), Reviewer("Taras", "translator"))
    stored = project.reviewers().read_text(encoding="utf-8")
    assert olena_token not in stored and taras_token not in stored
    assert json.loads(stored)["schema"] == "storyloc.reviewers/1"
    assert [(r["name"], r["role"]) for r in read_reviewers(project)] == [("Olena_Kovalenko", "editor"),
                                                                          ("Taras", "translator")]
    assert identify(project, olena_token) == olena and identify(project, taras_token) == taras
    assert olena.can("approve") and not taras.can("approve") and taras.can("review")
    # a new token replaces the old one; a removed reviewer is out
    _, again = add_reviewer(project, "Taras", "editor")
    assert identify(project, taras_token) is None and identify(project, again) == Reviewer("Taras", "editor")
    remove_reviewer(project, "Taras")
    with pytest.raises(ReviewError, match="no reviewer named 'Taras'"):
        remove_reviewer(project, "Taras")
    assert identify(project, again) is None and len(read_reviewers(project)) == 1


def test_names_roles_and_a_broken_file_are_one_line_errors(project):
    assert clean_user(" Olena  Kovalenko=x\x07 ") == "Olena_Kovalenkox"
    with pytest.raises(ReviewError, match="unknown role 'boss'"):
        add_reviewer(project, "Olena", "boss")
    with pytest.raises(ReviewError, match="not a reviewer name"):
        add_reviewer(project, " = ")
    project.reviewers().parent.mkdir(parents=True, exist_ok=True)
    project.reviewers().write_text('{"schema": "other"}', encoding="utf-8")
    with pytest.raises(ReviewError, match=r"not a storyloc.reviewers/1 file") as error:
        read_reviewers(project)
    assert error.value.path == ".storyloc/reviewers.json"
