"""Citizens' personal data (GDPR): anonymising it once the retention period after the
policy's final decision has passed (``purge``), and giving a citizen access to what is
held about them (``export``), for staff."""
