"""One look for every chart in the course: readable type, a color-blind-safe palette, no chartjunk."""

from __future__ import annotations

import matplotlib as mpl

# Okabe-Ito palette: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
CATEGORY_COLORS = {
    "assurance": "#009E73",
    "prevention": "#0072B2",
    "protection": "#E69F00",
    "compellence": "#D55E00",
    "domestic": "#CC79A7",
    "perception": "#56B4E9",
}


def use_style() -> None:
    """Apply the course's chart style to matplotlib (call once per notebook)."""
    mpl.rcParams.update(
        {
            "figure.figsize": (7.5, 4.2),
            "figure.dpi": 110,
            "savefig.dpi": 110,
            "font.size": 11,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": mpl.cycler(color=PALETTE),
            "axes.grid": True,
            "grid.alpha": 0.3,
            "legend.frameon": False,
            # Labels from data are text: two dollar signs ("$1.2 billion to $2 billion") are not math.
            "text.parse_math": False,
        }
    )
