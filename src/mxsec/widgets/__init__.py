"""Interactive widgets of the course: their behavior lives in the front end (static/), so they work
in the published book with no kernel, as well as in JupyterLab, Notebook 7, Colab and VS Code."""

from .policy_sorter import PolicySorter
from .ranking_quiz import RankingQuiz, kendall_tau
from .self_check import SelfCheck
from .timeline import Timeline

__all__ = ["PolicySorter", "RankingQuiz", "SelfCheck", "Timeline", "kendall_tau"]
