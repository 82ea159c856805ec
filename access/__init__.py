"""Who is using parboard and what they may do: roles from data/rules/roles.yaml, the audit trail, accounts."""

from access.policy import ACTIONS, ROLES, Denied, Principal, allowed, require

__all__ = ["ACTIONS", "ROLES", "Denied", "Principal", "allowed", "require"]
