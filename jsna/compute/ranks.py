"""An area's rank among its statistical neighbours, for the headline table and the open data.

The rank is ordered by the indicator's polarity, so that 1st is always the best end: the highest
value where higher is better, the lowest where lower is better, and the highest where no
judgement is made (then 1st is only the highest). Ties share the better rank ("joint 3rd").
"""

from __future__ import annotations

from jsna.compute import stats
from jsna.model import Indicator
from jsna.records import record

NEIGHBOURS = "neighbours"  # the group the headline table and the open data rank in


@record
class GroupRank:
    period: str  # the group's period
    rank: int
    size: int
    tied: int
    first: str  # which end is 1st: "highest" or "lowest"
    best: bool  # whether 1st is the best end (the indicator has a polarity)

    @property
    def words(self) -> str:
        """'3rd of 11', 'joint 3rd of 11'."""
        return f"{'joint ' if self.tied > 1 else ''}{stats.ordinal(self.rank)} of {self.size}"

    @property
    def order(self) -> str:
        """Which end is 1st: '1st is the lowest, the best', '1st is the highest'."""
        return f"1st is the {self.first}{', the best' if self.best else ''}"


def group_rank(indicator: Indicator, group_id: str = NEIGHBOURS) -> GroupRank | None:
    """The area's rank in the group `group_id` in that group's period; None where the indicator
    has no such group or the area has no value in it, or its value there is not shown (the
    small-count rule hid it: a rank would hint at it)."""
    group = next((g for g in indicator.groups if g.id == group_id), None)
    if group is None:
        return None
    own = next((m.value.value for m in group.members if m.local), None)
    shown = indicator.local.get(group.period)
    if own is None or shown is None or shown.value is None:
        return None
    lowest_first = indicator.polarity == "lower-is-better"
    rank = stats.rank_in_group(own, group.numbers(), lowest_first=lowest_first)
    return GroupRank(
        period=group.period, rank=rank.rank, size=rank.size, tied=rank.tied,
        first="lowest" if lowest_first else "highest", best=indicator.polarity != "no-judgement",
    )
