"""Quality checks and the review page: check, review, reviewer."""
from __future__ import annotations

import click

from . import ANY_PATH, main, with_project


@main.command("check")
@click.argument("paths", nargs=-1, type=ANY_PATH)
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@click.option("--story", "stories", multiple=True, help="Only this story (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--list", "list_checks", is_flag=True, help="List the checks (id, severity, title) and exit.")
@click.pass_context
def check_command(ctx, paths, langs, stories, fmt, list_checks):
    """Check translations: markup, links, numbers, names, glossary, engine marks…

    One line per problem, like a compiler:

    \b
      locales/uk/LC_MESSAGES/<story>.po:123: [error] links: link target changed (…)

    Exits 1 when an error-level check fails on a reviewed entry (failures in
    drafts are warnings). Silence one check on one entry with a translator
    comment in the .po: `# storyloc: ignore <check-id>`.
    Example: storyloc check --lang uk

    \b
    With PATHs, checks those catalog files as `msgfmt --check` does, no project
    needed (syntax, header, plural forms, format strings, control characters):
      storyloc check po/*.po
    """
    if paths and not list_checks:
        _check_paths(paths, fmt)
        return
    ctx.invoke(_check_project, langs=langs, stories=stories, fmt=fmt, list_checks=list_checks)


def _check_paths(paths, fmt):
    """`storyloc check PATH…`: each file's findings as `file:line: severity: message`; exit 1 on errors."""
    import json
    from ..check import check_file, tally
    findings = [finding for path in paths for finding in check_file(path)]   # an unreadable file: its error
    errors = tally(findings)["errors"]
    if fmt == "json":
        click.echo(json.dumps([vars(f) for f in findings], ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(finding.format())
        files = f"{len(paths)} file" + ("" if len(paths) == 1 else "s")
        click.echo(f"{files} checked: {errors} error(s), {len(findings) - errors} warning(s)", err=True)
    if errors:
        raise click.exceptions.Exit(1)


@with_project
def _check_project(project, langs, stories, fmt, list_checks):
    import json
    from ..check import check as check_catalogs, describe as describe_checks
    if list_checks:
        rows = describe_checks()
        if fmt == "json":
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for row in rows:
                only = f" [{', '.join(row['langs'])}]" if row["langs"] else ""
                click.echo(f"{row['id']:<16} {row['severity']:<8} {row['title']}{only}")
        return
    report = check_catalogs(project, langs or None, stories or None)
    if fmt == "json":
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for finding in report.findings:
            click.echo(finding.format())
        for story, lang in report.checked:
            click.echo(f"{project.rel(project.catalog(story, lang))}: {report.summary(story, lang)}", err=True)
    if report.errors:
        raise click.exceptions.Exit(1)


@main.command("review")
@click.argument("lang")
@click.option("--story", help="The story to open (default: the first); the page can switch.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 opens the page to your network (token required).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port (0 picks a free one).")
@click.option("--token", envvar="STORYLOC_REVIEW_TOKEN",
              help="The secret the page's link carries (default: a new random one). [env: STORYLOC_REVIEW_TOKEN]")
@click.option("--user", envvar="STORYLOC_USER",
              help="Your name, recorded as `reviewed by=`. [env: STORYLOC_USER; default: login name]")
@click.option("--role", type=click.Choice(["translator", "editor"]), default="translator", show_default=True,
              help="Your role on the page this command prints (editors can approve).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in your browser.")
@with_project
def review_command(project, lang, story, host, port, token, user, role, open_browser):
    """Review one language in the browser: the English, the translation, checks, photos.

    Edits, reviews and approvals are written to the .po at once. A save to an
    entry changed meanwhile (Poedit, another reviewer) is never overwritten:
    the page shows both texts. Named reviewers sign in with the token
    `storyloc reviewer add` gave them. Stop with Ctrl+C.
    Example: storyloc review uk --story bakhmut-under-fire
    """
    import webbrowser
    from ..review import make_server as make_review_server, read_reviewers
    server = make_review_server(project, lang, story, host, port, token, user, role=role)
    click.echo(f"Review page for {lang}: {server.url}")
    named = read_reviewers(project)
    if named:
        click.echo(f"{len(named)} named reviewer{'s' if len(named) != 1 else ''} can open "
                   f"{server.base_url}?token=<their token>")
    if not server.loopback:
        click.echo("warning: listening beyond this machine: anyone with the link above can edit; "
                   "share it only over a trusted network or behind HTTPS", err=True)
    click.echo("Stop with Ctrl+C.")
    if open_browser and server.loopback:
        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.server_close()


@main.group()
def reviewer():
    """Named reviewers: each gets a token of their own and a role.

    The name recorded in the .po comes from the token, never from the page.
    Tokens are stored hashed in .storyloc/reviewers.json.
    Example: storyloc reviewer add "Olena Kovalenko" --role editor
    """


@reviewer.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["translator", "editor"]), default="translator", show_default=True,
              help="A translator marks entries reviewed; an editor also approves them.")
@with_project
def reviewer_add(project, name, role):
    """Issue a token for NAME (replacing any earlier one); it is shown once.

    Example: storyloc reviewer add "Olena Kovalenko" --role editor
    """
    from ..review import add_reviewer, clean_user, read_reviewers
    replaced = any(r.get("name") == clean_user(name) for r in read_reviewers(project))
    who, token = add_reviewer(project, name, role)
    click.echo(f"{who.name.replace('_', ' ')} ({who.role}): token {token}"
               + (" (it replaces their earlier token, which no longer works)" if replaced else ""))
    click.echo(f"Give it to them privately; they open the review page's address with ?token={token}")


@reviewer.command("list")
@with_project
def reviewer_list(project):
    """List named reviewers and their roles (tokens are never shown again).

    Example: storyloc reviewer list
    """
    from ..review import read_reviewers
    rows = read_reviewers(project)
    for row in rows:
        click.echo(f"{str(row.get('name')).replace('_', ' ')}\t{row.get('role')}")
    if not rows:
        click.echo("no named reviewers; add one with `storyloc reviewer add NAME`")


@reviewer.command("remove")
@click.argument("name")
@with_project
def reviewer_remove(project, name):
    """Withdraw NAME's token at once (a running review page refuses it from its next request).

    Example: storyloc reviewer remove "Olena Kovalenko"
    """
    from ..review import remove_reviewer
    remove_reviewer(project, name)
    click.echo(f"removed {name}")
