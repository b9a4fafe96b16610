"""Committee minutes (referat): the parser that finds a body's remarks in a decision, the
staff page that imports them, and the ``minutes`` CLI commands."""
