"""The evaluation commission's pages: the order forming it (orders.py), proposing and agreeing a
meeting (meetings.py), the sitting itself with attendance, quorum, votes and decisions (sitting.py)
and the Annex 3 protocol with its signatures and the approval (protocol.py).

Views are thin: they parse the form (forms.py), call one service of `bagalau.commission` and
render; every rule, with its clause, is the services' and the selectors' job.
"""
