"""The small web UI: server-rendered pages from the same Jinja2 templates as the sheets."""
