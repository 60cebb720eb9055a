"""Community assets: the asset directory and the service equity profiles.

The directory of voluntary, community and faith sector services in Open
Referral UK shape (:class:`Directory`; :func:`read_directory`,
:func:`read_openreferral`, :func:`write_openreferral`,
:func:`read_directory_csv`, :func:`write_directory_csv`), each location placed
in an LSOA and ward (:func:`locate`). Against the tidy indicator table it gives
need against provision by ward and group (:func:`need_vs_provision`) and a
profile of each service on the system-equity framework — availability, access,
acceptability (:func:`service_profiles`).
"""

from importlib import resources
from pathlib import Path

from jsna.assets.directory import Directory, ServiceType, service_types
from jsna.assets.geography import Place, locate, locate_many
from jsna.assets.io import (
    read_directory,
    read_directory_csv,
    read_openreferral,
    write_directory_csv,
    write_openreferral,
)
from jsna.assets.profiles import ServiceProfile, service_profiles
from jsna.assets.provision import need_vs_provision

__all__ = [
    "Directory",
    "Place",
    "ServiceProfile",
    "ServiceType",
    "locate",
    "locate_many",
    "need_vs_provision",
    "read_directory",
    "read_directory_csv",
    "read_openreferral",
    "service_profiles",
    "service_types",
    "synthetic_directory_path",
    "write_directory_csv",
    "write_openreferral",
]


def synthetic_directory_path() -> Path:
    """Path of the shipped synthetic asset directory (44 organisations, Open Referral UK JSON)."""
    return Path(str(resources.files("jsna.assets").joinpath("data/synthetic_directory.json")))
