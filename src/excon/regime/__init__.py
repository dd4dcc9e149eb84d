"""The export regime: which producers may export at all (export authorisations), to which partners (the
government's destination policy) and within which limits (quotas). See docs/regime.md."""
