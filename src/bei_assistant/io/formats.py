"""The export formats, named apart from the exporters so that the CLI can offer them without
loading the database layer."""

FORMATS = ("json", "csv", "xlsx", "md", "html", "qdpx")
BINARY = ("xlsx", "qdpx")  # never written to standard output
