"""The remark trace and the audit log of a case: read from the domains, imported by none."""
