"""Answer builders: one typed request in, one neutral ``Answer`` out.

Each builder receives the ``Knowledge`` it should answer from; none reaches for a global.
"""
