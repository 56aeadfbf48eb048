"""Per-workspace team plans: typed commands, their grammar, storage, history and undo.

``commands`` holds one class per command; ``parse`` reads them from text; ``service`` runs them;
``store`` keeps plans and history in the database; ``views`` shows a plan.
"""
