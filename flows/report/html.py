"""The report as one self-contained HTML file: inline CSS, inline SVG charts, a few lines of inline JS.

Nothing is fetched when it opens (no fonts, scripts or images from elsewhere), so it reads the same offline.
"""

from __future__ import annotations

from html import escape
from typing import Any

from flows.report.charts import PALETTE, bar_chart, stacked_bar_chart
from flows.report.data import Board, ReportData, Table, format_value

STYLE = """
:root{--ink:#0f172a;--muted:#64748b;--line:#e2e8f0;--bg:#f8fafc;--accent:#4f46e5;--teal:#0d9488}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header{background:linear-gradient(120deg,#312e81,#4f46e5 55%,#0ea5e9);color:#fff;padding:28px 40px 64px}
header h1{margin:0;font-size:28px;letter-spacing:-.02em}
header p{margin:6px 0 0;opacity:.85}
header code{background:rgba(255,255,255,.15);padding:1px 6px;border-radius:6px}
main{max-width:1280px;margin:-44px auto 40px;padding:0 24px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:12px;margin-bottom:20px}
.card{background:#fff;border:1px solid var(--line);border-radius:14px;padding:14px 16px;box-shadow:0 1px 2px rgba(15,23,42,.05)}
.card b{display:block;font-size:24px;font-variant-numeric:tabular-nums;letter-spacing:-.02em}
.card span{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.06em}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:20px;margin-bottom:20px}
.panel{background:#fff;border:1px solid var(--line);border-radius:14px;padding:18px 20px;box-shadow:0 1px 2px rgba(15,23,42,.05);min-width:0}
.panel.wide{margin-bottom:20px}
h2{font-size:17px;margin:0 0 2px}
h3{font-size:15px;margin:0 0 8px}
.hint{color:var(--muted);margin:0 0 12px;font-size:13px}
svg.chart{width:100%;height:auto;display:block;margin-bottom:8px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.04em;cursor:pointer;user-select:none;white-space:nowrap}
th.sorted-asc::after{content:" ▲"}th.sorted-desc::after{content:" ▼"}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tbody tr:nth-child(even){background:#f8fafc}
tbody tr:hover{background:#eef2ff}
.scroll{max-height:420px;overflow:auto}
.boards{display:grid;grid-template-columns:repeat(auto-fill,minmax(540px,1fr));gap:16px}
.board .meta{color:var(--muted);font-size:12px;margin:-6px 0 8px}
.value{display:flex;align-items:center;gap:8px;justify-content:flex-end;white-space:nowrap}
.meter{flex:0 0 70px;height:6px;border-radius:3px;background:#e0e7ff;overflow:hidden}
.meter i{display:block;height:100%;background:var(--accent);border-radius:3px}
.badge{display:inline-block;font-size:10px;font-weight:700;color:#fff;background:var(--teal);border-radius:999px;padding:0 6px;margin-left:6px;vertical-align:1px}
.dir{color:var(--muted);font-size:11px}
.paper{color:#334155}.paper .t{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
.pid{color:var(--muted);font-size:11px}
.evidence{display:block;color:var(--muted);font-size:11px;max-width:46em;white-space:normal}.evidence mark{background:#fde68a;color:inherit;padding:0 1px}.setting{font-weight:normal;font-size:11px;border:1px solid var(--muted);border-radius:3px;padding:0 3px;margin-left:4px}
td.model{white-space:nowrap;font-weight:500}
tr.group th{background:#f1f5f9;color:#334155;text-transform:none;letter-spacing:0;font-size:12px;cursor:default;padding:5px 8px}
table.board-table th{cursor:default}
table.board-table tbody tr:nth-child(even){background:none}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.toolbar{display:flex;align-items:center;justify-content:space-between;gap:12px;margin-bottom:12px}
.toolbar input{font:inherit;padding:7px 12px;border:1px solid var(--line);border-radius:10px;min-width:280px}
.empty{color:var(--muted);font-style:italic}
h3.singles{margin:22px 0 8px}
.runchart{max-width:760px}
#runs td{white-space:nowrap}
td{overflow-wrap:anywhere}
footer{color:var(--muted);text-align:center;font-size:12px;margin:24px 0}
"""

SCRIPT = """
(function(){
  function key(td){var v=td.getAttribute('data-sort');if(v===null)v=td.textContent.trim();var n=parseFloat(v);return isNaN(n)||!/^-?[\\d.]/.test(v)?v.toLowerCase():n}
  document.querySelectorAll('table.sortable').forEach(function(table){
    table.querySelectorAll('th').forEach(function(th,i){
      th.addEventListener('click',function(){
        var asc=!th.classList.contains('sorted-asc');
        table.querySelectorAll('th').forEach(function(o){o.classList.remove('sorted-asc','sorted-desc')});
        th.classList.add(asc?'sorted-asc':'sorted-desc');
        var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
        rows.sort(function(a,b){var x=key(a.cells[i]),y=key(b.cells[i]);return (x<y?-1:x>y?1:0)*(asc?1:-1)});
        rows.forEach(function(r){body.appendChild(r)});
      });
    });
  });
  var filter=document.getElementById('board-filter');
  if(filter){filter.addEventListener('input',function(){
    var q=filter.value.toLowerCase(),shown=0;
    document.querySelectorAll('.board,.single').forEach(function(b){var hit=b.getAttribute('data-search').indexOf(q)>=0;b.hidden=!hit;shown+=hit?1:0});
    document.getElementById('board-count').textContent=shown;
  })}
  document.documentElement.setAttribute('data-ready','1');
})();
"""


def _cell(column: str, value: Any, table: Table) -> str:
    if column == "url":
        return ""
    numeric = column in table.numeric
    text = "" if value is None else f"{value:,}" if numeric and isinstance(value, int) else str(value)
    return f'<td class="num">{escape(text)}</td>' if numeric else f"<td>{escape(text)}</td>"


def html_table(table: Table, link_column: str | None = None) -> str:
    """A sortable table; `link_column` cells link to the row's `url` column when there is one."""
    columns = [c for c in table.columns if c != "url"]
    head = "".join(f'<th class="num">{escape(c)}</th>' if c in table.numeric else f"<th>{escape(c)}</th>" for c in columns)
    if not table.rows:
        return f'<table class="sortable"><thead><tr>{head}</tr></thead><tbody><tr><td class="empty" colspan="{len(columns)}">none yet</td></tr></tbody></table>'
    body = []
    url_at = table.columns.index("url") if "url" in table.columns else None
    for row in table.rows:
        cells = []
        for column, value in zip(table.columns, row, strict=True):
            if column == "url":
                continue
            if column == link_column and url_at is not None and row[url_at]:
                cells.append(f'<td><a href="{escape(row[url_at])}">{escape(str(value))}</a></td>')
            else:
                cells.append(_cell(column, value, table))
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="sortable"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def board_html(board: Board) -> str:
    """One leaderboard card: per metric, each model's best value with a meter, and the paper as evidence."""
    groups: dict[tuple[str | None, str | None], list[dict[str, Any]]] = {}
    for e in board.entries:
        groups.setdefault((e["metric"], e.get("setting")), []).append(e)
    rows = []
    for (metric, setting), entries in groups.items():
        lower = entries[0]["lower"]
        direction = "lower is better" if lower else "higher is better" if metric else "higher is better (assumed)"
        name = (escape(metric) if metric else "metric not stated") + (f' <span class="setting">{escape(setting)}</span>' if setting else "")
        rows.append(f'<tr class="group"><th colspan="3">{name} <span class="dir">{"↓" if lower else "↑"} {direction}</span></th></tr>')
        top = max(abs(e["value"]) for e in entries) or 1.0
        least = min(abs(e["value"]) for e in entries)
        for rank, e in enumerate(entries):
            badge = '<span class="badge">best</span>' if rank == 0 and len(entries) > 1 else ""
            # the meter is relative quality: the best value of the metric fills it, whichever way is better
            share = 100 * (least / abs(e["value"]) if lower and e["value"] else abs(e["value"]) / top)
            rows.append(
                f"<tr><td class=\"model\">{escape(e['model'])}{badge}</td>"
                f'<td class="num" title="{escape(e["sentence"] or "")}"><div class="value">'
                f'<span>{escape(format_value(e["value"], e["unit"]))}</span><span class="meter"><i style="width:{share:.0f}%"></i></span></div></td>'
                f'<td class="paper">{paper_link(e)}<span class="pid">{escape(e["paper_id"])}</span>{evidence_html(e)}</td></tr>'
            )
    models = len({e["model"] for e in board.entries})
    search = " ".join([board.benchmark, *board.aliases, *(e["model"] for e in board.entries), *(e["title"] for e in board.entries)]).lower()
    return (
        f'<article class="panel board" data-search="{escape(search)}"><h3>{escape(board.benchmark)}</h3>'
        f'<p class="meta">{models} model{"s" if models != 1 else ""} · {len(board.entries)} best result{"s" if len(board.entries) != 1 else ""}'
        + (f' · also written {escape(", ".join(board.aliases))}' if board.aliases else "") + "</p>"
        '<table class="board-table"><thead><tr><th>model</th><th class="num">best value</th><th>paper</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></article>'
    )


def paper_link(entry: dict[str, Any]) -> str:
    """The paper's title, linking to its page at this row when it has one: the facts behind the number, highlighted."""
    title = escape(entry["title"])
    if not entry.get("page"):
        return f'<span class="t" title="{title}">{title}</span>'
    return f'<a class="t" href="{escape(entry["page"])}" title="{title}: its facts highlighted">{title}</a>'


def evidence_html(entry: dict[str, Any]) -> str:
    """The sentence a value was read from, the number highlighted: why this row is on the board."""
    sentence, start, end = entry.get("sentence") or "", entry.get("number_start"), entry.get("number_end")
    if start is None or end is None or not sentence:
        return ""
    confidence = entry.get("confidence")
    tip = f' title="confidence {confidence:.2f}"' if confidence is not None else ""
    return (f'<span class="evidence"{tip}>{escape(sentence[:start])}<mark>{escape(sentence[start:end])}</mark>'
            f"{escape(sentence[end:])}</span>")


def singles_html(boards: list[Board]) -> str:
    """Benchmarks with a single best result, as one compact sortable table instead of a card each."""
    if not boards:
        return ""
    rows = []
    for board in boards:
        e = board.entries[0]
        search = f"{board.benchmark} {e['model']} {e['title']}".lower()
        rows.append(
            f'<tr class="single" data-search="{escape(search)}"><td>{escape(board.benchmark)}</td><td>{escape(e["metric"] or "—")}</td>'
            f'<td class="model">{escape(e["model"])}</td><td class="num" data-sort="{e["value"]}" title="{escape(e["sentence"] or "")}">'
            f'{escape(format_value(e["value"], e["unit"]))}</td><td class="paper">{paper_link(e)}'
            f'<span class="pid">{escape(e["paper_id"])}</span></td></tr>'
        )
    return (
        f'<h3 class="singles">Benchmarks with one result ({len(boards)})</h3><div class="scroll"><table class="sortable">'
        '<thead><tr><th>benchmark</th><th>metric</th><th>model</th><th class="num">value</th><th>paper</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div>'
    )


def render_html(data: ReportData) -> str:
    """The whole report page."""
    cards = "".join(f'<div class="card"><b>{n:,}</b><span>{escape(label)}</span></div>' for label, n in data.overview.items())
    top_benchmarks = bar_chart([(r[0], r[1]) for r in data.benchmarks.rows], "#4f46e5", "Papers per benchmark")
    top_models = bar_chart([(r[0], r[2]) for r in data.models.rows], "#0d9488", "Papers per model")
    per_benchmark = stacked_bar_chart([(b, dict(kinds)) for b, kinds in data.results_by_kind], PALETTE, "Results per benchmark by kind", bar_w=900)
    runs = list(reversed(data.runs.rows))[-12:]
    per_run = bar_chart([(f"{r[1]} · {r[0][-6:]}", r[4]) for r in runs], "#0ea5e9", "Papers written per run")
    boards = "".join(board_html(b) for b in data.boards if len(b.entries) > 1) or '<p class="empty">No leaderboard rows yet.</p>'
    singles = singles_html([b for b in data.boards if len(b.entries) == 1])
    shown = {e["paper_id"] for b in data.boards for e in b.entries}
    linked = {e["paper_id"] for b in data.boards for e in b.entries if e.get("page")}
    pages = "" if not linked else "; click a paper for its facts highlighted" + (
        f" (pages for the first {len(linked):,} of {len(shown):,} papers)" if len(linked) < len(shown) else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>paperfacts report</title><style>{STYLE}</style></head>
<body>
<header><h1>paperfacts report</h1><p>Tables under <code>{escape(data.out)}</code> · generated {escape(data.generated)}</p></header>
<main>
<section class="cards">{cards}</section>
<section class="grid">
<article class="panel" id="top-benchmarks"><h2>Top benchmarks</h2><p class="hint">Papers that mention each benchmark</p>{top_benchmarks}
<div class="scroll">{html_table(data.benchmarks)}</div></article>
<article class="panel" id="top-models"><h2>Top models</h2><p class="hint">Papers that mention each model (canonical name)</p>{top_models}
<div class="scroll">{html_table(data.models)}</div></article>
</section>
<section class="panel wide" id="results-per-benchmark"><h2>Results per benchmark</h2><p class="hint">Numbers tied to each benchmark, by kind</p>{per_benchmark}</section>
<section class="panel wide" id="leaderboards"><div class="toolbar"><div><h2>Leaderboards</h2>
<p class="hint">Best value per model and metric on each benchmark (<span id="board-count">{len(data.boards)}</span> shown), with the paper it comes from; hover a value for its sentence{pages}</p></div>
<input id="board-filter" type="search" placeholder="Filter by benchmark, model or paper…" aria-label="Filter leaderboards"></div>
<div class="boards">{boards}</div>{singles}</section>
<section class="panel wide" id="repositories"><h2>Most-linked repositories</h2><p class="hint">GitHub repositories and the papers that point to them</p>
<div class="scroll">{html_table(data.repos, link_column="repository")}</div></section>
<section class="panel wide" id="runs"><h2>Papers per run</h2><p class="hint">What each run read, wrote and skipped; “papers now” are its papers still current</p>
<div class="runchart">{per_run}</div><div class="scroll">{html_table(data.runs)}</div></section>
</main>
<footer>paperfacts · one self-contained file: no network needed to read it</footer>
<script>{SCRIPT}</script>
</body></html>
"""
