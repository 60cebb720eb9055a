"""Code lists and lookups every layer shares.

The labels here are the ones in ``docs/data-model.md`` and nowhere else:
ethnicity (NHS ethnic category letters and SNOMED CT concepts → ONS 2021
groups → 5 high-level groups → Global Majority), Westminster's LSOAs and
wards, IMD 2019, age bands, sex, main language and ICD-10 cause groups. Lookups are small
pandas frames an engine can join; mapping functions work on whole arrays.
"""

from jsna.codes import age, causes, deprivation, ethnicity, geography, language, sex

__all__ = ["age", "causes", "deprivation", "ethnicity", "geography", "language", "sex"]
