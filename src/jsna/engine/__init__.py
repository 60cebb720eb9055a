"""The engine: record-level tables → counts by stratum, in one scan, on any Ibis backend.

``persons`` builds the enriched person table, ``measures`` turns catalogue
definitions into summed columns, ``cells`` runs the one aggregation,
``margins`` sums every stratum from the cells, ``build`` runs a whole
``jsna build`` and ``backends`` holds every backend-specific line.
"""
