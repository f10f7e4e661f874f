"""Verification of a team's audit: its chain, its checkpoints and its audited rows, in one walk.

What `GET /audit/verify` and `calmdesk audit verify` report. A team's report is built from the
team's chain, the team's checkpoint lines and the team's rows only, so it reveals nothing of
another team: not their number of entries, not their heads, not where their chain is broken.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from calmdesk.store import audit, audit_checkpoint, audit_rows
from calmdesk.store.audit_checkpoint import Checkpoint, Comparison, LineFault
from calmdesk.store.models import Team


@dataclass(frozen=True, slots=True)
class TeamReport:
    team: str
    chain: audit.Verdict
    rows_checked: int
    row_problems: tuple[audit_rows.RowProblem, ...]
    #: None when verified without checkpoints
    anchors: Comparison | None
    #: lines of the checkpoint file that claim this team, or no team, and cannot be trusted
    line_faults: tuple[LineFault, ...] = ()

    @property
    def problems(self) -> list[str]:
        """Every finding, worded for the person who has to look into it."""
        found = []
        if not self.chain.ok:
            found.append(f"chain broken at entry {self.chain.broken_at}: {self.chain.problem}")
        if self.anchors is not None:
            found += self.anchors.problems
            found += [
                f"entries {a}–{b} are covered by no checkpoint: written past calmdesk, or "
                "committed just now / by a process stopped before it wrote its checkpoint"
                for a, b in self.anchors.unanchored
                if not (self.anchors.checkpoints == 0 and a == 1)  # said once, in problems
            ]
        # no line numbers: they would tell how many lines the other teams wrote
        found += [
            f"a checkpoint of this team is {f.problem}"
            if f.team
            else f"a line of the checkpoint file cannot be read ({f.problem})"
            for f in self.line_faults
        ]
        found += [str(p) for p in self.row_problems]
        return found

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        a = self.anchors
        return {
            "team": self.team,
            "ok": self.ok,
            "entries": self.chain.entries,
            "head": self.chain.head,
            "broken_at": self.chain.broken_at,
            "problem": self.chain.problem,
            "rows_checked": self.rows_checked,
            "problems": self.problems,
            "checkpoint": None
            if a is None
            else {
                "checkpoints": a.checkpoints,
                "newest_seq": a.newest.seq if a.newest else None,
                "newest_at": a.newest.at if a.newest else None,
                "unanchored": [list(r) for r in a.unanchored],
            },
        }


def check_team(
    session: Session,
    team: str,
    checkpoints: Sequence[Checkpoint] | None = None,
    line_faults: Sequence[LineFault] = (),
) -> TeamReport:
    """The team's report; `checkpoints` and `line_faults` may be the whole file's, only the
    team's own are used."""
    mine = None if checkpoints is None else [c for c in checkpoints if c.team == team]
    expected = audit_rows.Expected.empty()
    chain = audit.verify(
        session=session,
        team=team,
        want={c.seq for c in mine or ()},
        observe=expected.see,
    )
    checked, row_problems = audit_rows.compare(session, team, expected)
    return TeamReport(
        team=team,
        chain=chain,
        rows_checked=checked,
        row_problems=tuple(row_problems),
        anchors=None if mine is None else audit_checkpoint.compare(chain, mine),
        line_faults=tuple(f for f in line_faults if f.team in (team, None)),
    )


def check_desk(
    session: Session,
    checkpoints: Sequence[Checkpoint] | None = None,
    line_faults: Sequence[LineFault] = (),
) -> list[TeamReport]:
    """Every team's report: teams with a chain, with rows, or named by a checkpoint (a team
    whose whole chain was deleted is known by its checkpoints)."""
    names = set(audit.teams(session)) | set(session.scalars(select(Team.name)))
    names |= {c.team for c in checkpoints or ()} | {f.team for f in line_faults if f.team}
    return [check_team(session, t, checkpoints, line_faults) for t in sorted(names)]
