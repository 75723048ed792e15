"""What the commission tells the apps built on it, inside the approving transaction.

`results_final` is sent by the authorized person's approval (S1-p.67) with the `FinalResult` rows
it wrote, and the results they superseded (a revision after an appeal, S1-p.70). The receivers
(familiarization, appeals) write in the same transaction, so a failure there rolls the approval
back: nothing is approved that the servant is not then asked to read.
"""

from __future__ import annotations

from django.dispatch import Signal

# Arguments: body, actor, results (list[FinalResult]), superseded (list[FinalResult]).
results_final = Signal()
