"""Loading matplotlib and writing figures: the same inputs give the same bytes.

Every plot tratado draws goes through :func:`save_figure`, which renders the figure
into memory and then replaces the target in one step (:func:`tratado.files.atomic_write`):
a full disk or a file-size limit leaves the old file as it was, and the error names
the file. The bytes depend only on the figure (and the matplotlib version), never on
the clock or the run: no creation date (``SOURCE_DATE_EPOCH`` is not needed), a fixed
creator string, and a fixed salt for the ids of an SVG's clip paths and glyphs.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from tratado.errors import TratadoError
from tratado.files import atomic_write

FORMATS = (".png", ".svg", ".pdf")
MAX_PARTIES = 12  # a matrix of 12 x 12 panels is about 3,600 pixels square at most
CREATOR = "tratado"
INSTALL_FIX = ("from a checkout of tratado: pip install '.[plot]'; from PyPI: pip install"
               " 'tratado[plot]'; or simply: pip install matplotlib.")

# What each format would otherwise stamp with the date, the version or a random id.
_METADATA: dict[str, dict[str, Any]] = {
    ".png": {"Software": CREATOR},
    ".svg": {"Date": None, "Creator": CREATOR},
    ".pdf": {"CreationDate": None, "ModDate": None, "Creator": CREATOR, "Producer": CREATOR},
}


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the file-only Agg backend, or a clear error saying how
    to install it."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise TratadoError("drawing plots needs matplotlib, which is not installed.",
                           fix=INSTALL_FIX) from None
    return plt


def check_plot_target(path: Path) -> None:
    """Refuse early (before any work) a plot file tratado cannot write."""
    if path.suffix.lower() not in FORMATS:
        raise TratadoError(f"cannot draw a '{path.suffix or 'no suffix'}' file.", file=str(path),
                           fix="name the plot file .png, .svg or .pdf.")
    if not path.parent.exists():
        raise TratadoError("the folder for the plot does not exist.", file=str(path),
                           fix="create the folder first or choose another path.")
    pyplot()


def check_parties(n_parties: int) -> None:
    """Refuse a picture with more than :data:`MAX_PARTIES` parties (its matrix would have
    ``n_parties ** 2`` panels, too many to draw in reasonable time and memory, or to read)."""
    if n_parties > MAX_PARTIES:
        raise TratadoError(f"a plot of {n_parties} parties would need {n_parties ** 2} panels;"
                           f" tratado draws up to {MAX_PARTIES} parties.",
                           field="--plot",
                           fix="leave out --plot, or use --json and draw the parties you need.")


def panel_inches(n_parties: int, most: float) -> float:
    """The side of one panel of an ``n_parties`` matrix: ``most``, smaller for many
    parties so that the figure stays within 30 inches."""
    return min(most, 30.0 / n_parties)


def figure_bytes(fig: Any, suffix: str, dpi: int) -> bytes:
    """The figure rendered as ``suffix`` (``.png``, ``.svg`` or ``.pdf``), reproducibly."""
    import matplotlib

    suffix = suffix.lower()
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": CREATOR, "pdf.compression": 6}):
        fig.savefig(buffer, format=suffix.lstrip("."), dpi=dpi, metadata=_METADATA[suffix])
    return buffer.getvalue()


def save_figure(fig: Any, path: Path, dpi: int) -> Path:
    """Write ``fig`` to ``path`` atomically (format from the suffix) and close it."""
    plt = pyplot()
    try:
        data = figure_bytes(fig, path.suffix, dpi)
    finally:
        plt.close(fig)
    return atomic_write(path, data)
