"""Connectors for public data: Census 2021 from Nomis, benchmarks from Fingertips.

* :mod:`~jsna.sources.connectors.nomis`: the Nomis API or its bulk CSVs →
  the tidy census table ``census.parquet`` (area, table, category, count),
  with the query, date and licence recorded.
* :mod:`~jsna.sources.connectors.fingertips`: the Fingertips CSV API or its
  exports, checked against the published column contract → benchmark rows of
  the tidy result table, compared with England.
* :mod:`~jsna.sources.connectors.http`: timeouts, retries with back-off,
  proxies from the environment, verified TLS, an on-disk cache and an
  offline mode.

``jsna fetch census`` and ``jsna fetch fingertips`` call
:mod:`~jsna.sources.connectors.commands`. See docs/connectors.md.
"""

from jsna.sources.connectors.fingertips import (
    benchmark_rows,
    fetch_fingertips,
    merge_benchmarks,
    read_fingertips_csv,
)
from jsna.sources.connectors.http import Fetcher, FetchSettings, ServiceError
from jsna.sources.connectors.nomis import (
    CensusTable,
    fetch_census,
    read_bulk_census,
    read_census,
    write_census,
)

__all__ = [
    "CensusTable",
    "FetchSettings",
    "Fetcher",
    "ServiceError",
    "benchmark_rows",
    "fetch_census",
    "fetch_fingertips",
    "merge_benchmarks",
    "read_bulk_census",
    "read_census",
    "read_fingertips_csv",
    "write_census",
]
