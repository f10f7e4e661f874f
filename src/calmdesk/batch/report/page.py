"""The report page: one HTML file with its styles and SVG charts inline, so it can be mailed,
archived or opened on a machine with no network, and it still shows everything.

The template lives in this module rather than a separate .html file so the package needs no
extra package-data rule to ship it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from jinja2 import Environment
from markupsafe import Markup

from calmdesk.batch.report.data import Rate, ReportData
from calmdesk.charts import bar_chart, line_chart

ESCALATED, DEESCALATED = "escalated", "de-escalated"


def _rate_chart(rates: list[Rate]) -> Markup:
    if not rates:
        return Markup("<p class='empty'>No data.</p>")
    return Markup(
        bar_chart(
            [r.key for r in rates],
            {ESCALATED: [r.escalated for r in rates], DEESCALATED: [r.deescalated for r in rates]},
        )
    )


def render(data: ReportData) -> str:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    applicable = [c for c in data.coverage if c.applicable]  # "0% of none" would mislead
    charts = {
        "time": Markup(
            line_chart(
                [r.key for r in data.over_time],
                {
                    ESCALATED: [r.escalated for r in data.over_time],
                    DEESCALATED: [r.deescalated for r in data.over_time],
                },
            )
        )
        if len(data.over_time) > 1
        else _rate_chart(data.over_time),
        "channel": _rate_chart(data.by_channel),
        "team": _rate_chart(data.by_team),
        "agent": _rate_chart(data.by_agent),
        "antipatterns": Markup(
            bar_chart(
                [a.label for a in data.antipatterns],
                {"hits": [float(a.hits) for a in data.antipatterns]},
                percent=False,
            )
        )
        if data.antipatterns
        else Markup("<p class='empty'>No anti-patterns found.</p>"),
        "coverage": Markup(
            bar_chart(
                [c.criterion for c in applicable],
                {"passing": [c.share for c in applicable]},
            )
        )
        if applicable
        else Markup("<p class='empty'>No scorecards.</p>"),
    }
    anchors = {q.conversation_id: q.anchor for q in (*data.worst, *data.best)}
    return env.from_string(TEMPLATE).render(
        d=data,
        charts=charts,
        anchors=anchors,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


TEMPLATE = """{% macro rate_table(rates, what) %}
<details><summary>Figures</summary>
<table><tr><th>{{ what }}</th><th>conversations</th><th>escalated</th><th>de-escalated</th></tr>
{% for r in rates %}
<tr><td>{{ r.key }}</td><td class="n">{{ r.conversations }}</td>
<td class="n">{{ "%.1f" % (r.escalated * 100) }}%</td>
<td class="n">{{ "%.1f" % (r.deescalated * 100) }}%</td></tr>
{% endfor %}
</table></details>
{% endmacro %}
{% macro quoted_table(items) %}
<table><tr><th>conversation</th><th>score</th><th>peak risk</th><th>outcome</th></tr>
{% for q in items %}
<tr><td><a href="#{{ q.anchor }}">{{ q.conversation_id }}</a></td>
<td class="n">{{ "%.0f" % q.score }}</td><td class="n">{{ "%.2f" % q.peak_risk }}</td>
<td>{{ "escalated" if q.escalated else "" }} {{ "de-escalated" if q.deescalated else "" }}</td></tr>
{% endfor %}
</table>
{% endmacro %}
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>calmdesk report</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; color: #222; max-width: 980px; margin: 2em auto;
  padding: 0 1em; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
.cards { display: flex; flex-wrap: wrap; gap: 1em; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 0.6em 1em; min-width: 9em; }
.card b { display: block; font-size: 1.6em; }
table { border-collapse: collapse; width: 100%; margin: 0.8em 0; }
th, td { text-align: left; padding: 0.25em 0.5em; border-bottom: 1px solid #eee;
  vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.chart { max-width: 100%; height: auto; }
.msg { margin: 0.4em 0; padding: 0.4em 0.7em; border-left: 4px solid #bbb; }
.msg.customer { border-color: #1f6fb2; } .msg.agent, .msg.bot, .msg.supervisor {
  border-color: #2e7d32; background: #f7faf7; }
.who { font-weight: 600; } .labels { color: #666; font-size: 0.85em; }
.empty, .note { color: #777; } q { font-style: italic; }
details { margin: 0.3em 0; } summary { cursor: pointer; }
</style>
</head>
<body>
<h1>calmdesk report</h1>
<p class="note">{{ "{:,}".format(d.conversations) }} conversations,
{{ "{:,}".format(d.messages) }} messages{% if d.period %},
{{ d.period[0].strftime("%Y-%m-%d") }} to {{ d.period[1].strftime("%Y-%m-%d") }}{% endif %}.
Generated {{ generated }}.</p>
<div class="cards">
<div class="card"><b>{{ "%.1f" % (d.escalation_rate * 100) }}%</b>escalated</div>
<div class="card"><b>{{ "%.1f" % (d.deescalation_rate * 100) }}%</b>de-escalated</div>
<div class="card"><b>{{ "%.0f" % d.mean_score if d.mean_score is not none else "–" }}</b>
mean playbook score</div>
<div class="card"><b>{{ "{:,}".format(d.errors) }}</b>bad records skipped</div>
</div>
<p class="note">Escalated: the customer asked for a supervisor or threatened to leave, sue or go
public. De-escalated: the customer's mood recovered, or they apologised or thanked.</p>

<h2 id="time">Escalation and de-escalation over time</h2>
{{ charts.time }}
<p class="note">By {{ d.bucket }} of the conversation's first message.</p>

<h2 id="channel">By channel</h2>
{{ charts.channel }}
{{ rate_table(d.by_channel, "channel") }}

<h2 id="team">By team</h2>
{{ charts.team }}
{{ rate_table(d.by_team, "team") }}

<h2 id="agent">By agent</h2>
{{ charts.agent }}
<p class="note">A conversation counts for every agent who wrote in it; the busiest agents with
at least three conversations are shown.</p>
{{ rate_table(d.by_agent, "agent") }}

<h2 id="antipatterns">Most frequent anti-patterns</h2>
{{ charts.antipatterns }}
<table><tr><th>anti-pattern</th><th>hits</th><th>conversations</th><th>examples</th></tr>
{% for a in d.antipatterns %}
<tr><td>{{ a.label }}</td><td class="n">{{ a.hits }}</td><td class="n">{{ a.conversations }}</td>
<td>{% for cid, text in a.examples %}<q>{{ text }}</q>
({% if cid in anchors %}<a href="#{{ anchors[cid] }}">{{ cid }}</a>{% else %}{{ cid }}{% endif %})
{% if not loop.last %}<br>{% endif %}{% endfor %}</td></tr>
{% endfor %}
</table>

<h2 id="coverage">Playbook-step coverage</h2>
{{ charts.coverage }}
<table><tr><th>criterion</th><th>kind</th><th>passed</th><th>applicable</th><th>share</th></tr>
{% for c in d.coverage %}
<tr><td>{{ c.criterion }}</td><td>{{ c.kind }}</td><td class="n">{{ c.passed }}</td>
<td class="n">{{ c.applicable }}</td>
<td class="n">{{ "%.0f%%" % (c.share * 100) if c.applicable else "n/a" }}</td></tr>
{% endfor %}
</table>
<p class="note">Share of conversations passing each criterion, among those where it applies.</p>

<h2 id="worst">Worst handled conversations</h2>
{{ quoted_table(d.worst) }}
<h2 id="best">Best handled conversations</h2>
{{ quoted_table(d.best) }}

<h2 id="texts">Conversation texts</h2>
{% for q in d.worst + d.best %}
<section id="{{ q.anchor }}">
<h3>{{ q.conversation_id }} · score {{ "%.0f" % q.score }}
· peak risk {{ "%.2f" % q.peak_risk }}</h3>
<p class="note">{{ q.channel }} · team {{ q.team }} · agents {{ q.agents | join(", ") or "–" }}
{% if q.escalated %}· escalated{% endif %}{% if q.deescalated %} · de-escalated{% endif %}</p>
{% for m in q.messages %}
<div class="msg {{ m.role }}"><span class="who">{{ m.author }}</span> ({{ m.role }},
risk {{ "%.2f" % m.risk }}): {{ m.text }}
{% if m.labels %}<div class="labels">{{ m.labels | join(" · ") }}</div>{% endif %}</div>
{% endfor %}
<p><a href="#{{ 'worst' if q.anchor.startswith('worst') else 'best' }}">back to the list</a></p>
</section>
{% endfor %}
</body>
</html>
"""
