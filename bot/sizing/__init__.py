"""The sizing engine: headcount per role, with a reason for every number.

``inputs`` declares the figures and their ranges, ``rules`` sizes each role, ``engine`` runs the
rules, ``service`` and ``erlang`` staff customer service. Import from the module you need: the
command line reads ``inputs`` at every start, and should not load the engine to do so.
"""
