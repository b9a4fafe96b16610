"""Committee minutes (referat), one module per step: the document's text
(``hoering.core.documents``) → the agenda item and the meeting (``items``, ``meeting``) →
the decision (``decision``) → its remarks (``split``) → their sections (``place``).
``parse`` runs the last three on a pasted excerpt; ``views`` and ``cli`` are the staff
page and the ``minutes`` commands."""
