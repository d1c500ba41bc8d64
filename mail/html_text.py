"""Readable plain text from the HTML of a message that sent no text part."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
    "fieldset", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_HIDDEN = {"head", "script", "style", "template", "title", "noscript"}
_SPACES = re.compile(r"[ \t\r\n\f\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.hidden = 0
        self.pre = 0
        self.quote_depth = 0

    def _break(self):
        if self.lines[-1].strip(" >"):
            self.lines.append("")

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self.lines.append("")
        elif tag in _BLOCKS:
            self._break()
            if tag == "blockquote":
                self.quote_depth += 1
            elif tag == "pre":
                self.pre += 1

    def handle_endtag(self, tag):
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            if tag == "blockquote":
                self.quote_depth = max(0, self.quote_depth - 1)
            elif tag == "pre":
                self.pre = max(0, self.pre - 1)
            self._break()

    def handle_data(self, data):
        if self.hidden:
            return
        if not self.pre:
            data = _SPACES.sub(" ", data)
        for number, chunk in enumerate(data.split("\n")):
            if number:
                self.lines.append("")
            line = self.lines[-1]
            if not line and self.quote_depth:
                # Quoted the way a plain-text client would, so the same
                # folding finds it.
                line = "> " * self.quote_depth
                chunk = chunk.lstrip()
            elif not line.strip(" >"):
                chunk = chunk.lstrip()
            self.lines[-1] = line + chunk


def html_to_text(html: str) -> str:
    """The words of `html`, one line per paragraph, line break or list item,
    entities decoded, scripts and styles dropped, blockquotes marked "> "."""
    parser = _TextParser()
    try:
        parser.feed(html)
        parser.close()
    except AssertionError:  # html.parser gives up on some broken markup
        pass
    text = "\n".join(line.rstrip() for line in parser.lines)
    return _BLANK_LINES.sub("\n\n", text).strip()
