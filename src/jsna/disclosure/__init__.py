"""Disclosure control: small-number suppression (primary and secondary), rounding and audit.

Every published artefact is built from :func:`protect`'s result; ``jsna
audit OUT`` (:func:`audit`) then tries to recover each hidden count from
everything published and reports any it can pin down. Policies and their
sources are in :mod:`.policies`; the method is described in
``docs/disclosure.md``.
"""

from jsna.disclosure.audit import AuditReport, RecoveredCell, audit, audit_table
from jsna.disclosure.policies import POLICIES, DisclosurePolicy, get_policy
from jsna.disclosure.protect import display_counts, protect

__all__ = [
    "POLICIES",
    "AuditReport",
    "DisclosurePolicy",
    "RecoveredCell",
    "audit",
    "audit_table",
    "display_counts",
    "get_policy",
    "protect",
]
