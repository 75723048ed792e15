"""The pages of the KPI workflow: the inbox, HR's cycle pages (list, launch preview, board), the
individual work plan (Annex 9) and the KPI evaluation sheet (Annex 10).

Views stay thin: they parse the request (forms.py), call one service or selector of
`bagalau.cycles` / `bagalau.inbox`, and render. Permission, tenancy and the rules are checked
there, not here: a foreign body's id is Http404, a wrong role PermissionDenied (Django's 404/403
pages), bad input a ValidationError whose keys name the form fields ("kpis-3-deadline"), shown
against the field. `display.py` turns stored codes (stages, due rules, ratings) into words of the
active language; the legal labels (deadline names, ratings) come from the methodology version.
"""
