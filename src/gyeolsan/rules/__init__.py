"""The rule catalogue (see docs/rules.md)."""
