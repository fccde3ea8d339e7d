"""Progress reports (整改进展情况通报): built once as data (`outline`), rendered as
Markdown, self-contained HTML or an official-document Word file."""
