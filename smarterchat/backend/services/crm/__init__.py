"""The CRM: pipelines and their stages, leads on the board, their timeline, tasks,
distribution, import and export, merges.

Every function takes a session and the acting ``Actor``, checks the organisation and
the role, and scopes every query to the actor's organisation: another organisation's
lead id is simply not found. Changes are audited and emit the typed lead events of
``backend.events`` after their commit (analytics, outgoing webhooks, live boards).
"""
