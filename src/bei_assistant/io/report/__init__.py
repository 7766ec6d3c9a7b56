"""The interview report an HR lead reads: Markdown for the terminal and mail, HTML for the browser and print.

Both renderings share one model of the page (header facts, notes, score rows, turns whose evidence is
merged into non-overlapping highlights); only the markup differs. Everything taken from the session is
escaped, because answers are free text typed during an interview and may contain anything.
The HTML page is a single file: inline CSS, no JavaScript, nothing fetched from elsewhere.
"""

from .as_html import render_html
from .as_markdown import render_markdown
from .page import ReportInput

__all__ = ["ReportInput", "render_html", "render_markdown"]
