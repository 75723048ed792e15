"""The evaluation commission: the order that forms it, its meetings, attendance and quorum, the open
vote per servant, the protocol (Annex 3) and the authorized person's approval that makes results
final (spec section 7; S0-p.5, S1-p.56-68)."""
