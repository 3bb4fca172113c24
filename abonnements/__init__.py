"""Galien's subscription service: readers subscribe, confirm and unsubscribe themselves.

A Django project of its own, outside the Sphinx extension's import graph: the
letter builds without it. ``make send`` talks to it through
:mod:`abonnements.sendlink`, a child process speaking JSON lines, never by
importing Django into ``galien``.
"""
