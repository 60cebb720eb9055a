"""jsna: an equity-focused Joint Strategic Needs Assessment toolkit.

Data in → counts by strata → statistics → equity findings → published report.
See ``docs/`` and the package folders (``codes``, ``sources``, ``synth``,
``engine``, ``methods``, ``indicators``, ``equity``, ``voice``, ``assets``,
``disclosure``, ``report``) for each layer.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jsna")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
