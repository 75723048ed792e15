"""The official forms, one module each; importing this package registers them all (see
`bagalau.documents.registry`). A form whose objects belong to an app that is not there yet is
simply not listed here."""

from bagalau.documents.forms import (
    appeal_letter,
    familiarization,
    iwp,
    kpi_sheet,
    protocol,
    ranking_list,
    refusal_act,
    register,
    report360,
)

__all__ = ["appeal_letter", "familiarization", "iwp", "kpi_sheet", "protocol", "ranking_list", "refusal_act",
           "register", "report360"]
