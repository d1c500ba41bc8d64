"""An article's text as HTML. Staff write plain text: a blank line starts a
paragraph, "## " a heading, "- " a bullet and "1. " a numbered step. Pure:
everything typed is escaped, links become links, nothing else is markup."""

import re

from django.utils.html import escape, urlize

_NUMBERED = re.compile(r"^\d+[.)]\s+")


def _inline(text: str) -> str:
    return urlize(escape(text), nofollow=True, autoescape=False)


def article_html(body: str) -> str:
    """`body` (plain text with the conventions above) as safe HTML."""
    html = []
    for block in re.split(r"\n\s*\n", body.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        elif all(_NUMBERED.match(line) for line in lines):
            items = "".join(
                f"<li>{_inline(_NUMBERED.sub('', line))}</li>" for line in lines
            )
            html.append(f"<ol>{items}</ol>")
        elif len(lines) == 1 and lines[0].startswith("## "):
            html.append(f'<h2 class="h5">{_inline(lines[0][3:])}</h2>')
        else:
            html.append(f"<p>{'<br>'.join(_inline(line) for line in lines)}</p>")
    return "".join(html)


def article_plain_text(title: str, body: str) -> str:
    """The article as text to paste into a reply: its title, then its text
    without the heading marks."""
    lines = [
        re.sub(r"^## ", "", line) for line in body.replace("\r\n", "\n").split("\n")
    ]
    return f"{title}\n\n" + "\n".join(lines).strip()
