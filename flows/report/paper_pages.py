"""A page per paper on a leaderboard: its title and abstract with every fact highlighted by displaCy's span
visualiser, and its leaderboard rows with the rules and confidence behind each: the "why" behind a number.

Each page is self-contained (inline CSS, a few lines of inline JS) and written next to the report, in
`<report name>_papers/`; the report's leaderboard rows link to `<page>#row<N>`, which marks that row and its number.
"""

from __future__ import annotations

import hashlib
import re
from html import escape
from pathlib import Path
from typing import Any

import spacy
from spacy import displacy
from spacy.displacy.templates import TPL_SPAN, TPL_SPAN_SLICE, TPL_SPAN_START
from spacy.tokens import Doc

from flows.report.data import Board, format_value
from flows.report.paper_facts import ON_BOARD, Fact, PaperFacts

SPANS_KEY = "facts"
COLORS = {"MODEL": "#5eead4", "BENCHMARK": "#a5b4fc", "RESULT": "#fcd34d", ON_BOARD: "#fb7185", "REPO": "#cbd5e1",
          "LINK": "#e2e8f0"}
# displaCy's own templates without the whitespace around each token (the text reads as written, not with a space
# after every token), and labels kept on one line under a short token
TEMPLATES = {name: re.sub(r"\s*\n\s*", "", tpl).replace("z-index: 10;", "z-index: 10; white-space: nowrap;") for name, tpl in
             (("span", TPL_SPAN), ("slice", TPL_SPAN_SLICE), ("start", TPL_SPAN_START))}
GLUE = "\ue000"  # marks a token written with no space after it; displaCy adds one to every plain token
OPTIONS = {"spans_key": SPANS_KEY, "colors": COLORS, "template": TEMPLATES, "kb_url_template": "#row{}"}

STYLE = """
:root{--ink:#0f172a;--muted:#64748b;--line:#e2e8f0;--bg:#f8fafc;--accent:#4f46e5}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header{background:linear-gradient(120deg,#312e81,#4f46e5 55%,#0ea5e9);color:#fff;padding:18px 40px 22px}
header a{color:#e0e7ff}header .pid{opacity:.8;font-size:13px}
main{max-width:1100px;margin:20px auto 40px;padding:0 24px}
.panel{background:#fff;border:1px solid var(--line);border-radius:14px;padding:16px 20px;margin-bottom:18px;box-shadow:0 1px 2px rgba(15,23,42,.05)}
h2{font-size:13px;margin:0 0 4px;color:var(--muted);text-transform:uppercase;letter-spacing:.06em}
.title .spans{font-size:20px}
.spans{overflow-wrap:anywhere}
.spans span:has(>a){z-index:11!important}
.spans>span.focus{background:#fef08a;outline:2px solid #e11d48;outline-offset:2px;border-radius:3px}
.legend span{display:inline-block;font-size:11px;font-weight:700;padding:1px 6px;border-radius:3px;margin-right:6px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr:target,tr.focus{background:#fef9c3}
code{font-size:12px;background:#f1f5f9;border-radius:4px;padding:0 4px;margin:0 2px 2px 0;display:inline-block}
.evidence{color:var(--muted);font-size:12px}.evidence mark{background:#fda4af;color:inherit;padding:0 1px}
.setting{font-size:11px;border:1px solid var(--muted);border-radius:3px;padding:0 3px}
.empty{color:var(--muted);font-style:italic}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
details summary{cursor:pointer;font-weight:600}
"""

# the row named by the address (#row3) is marked, and so is its number in the text (the span whose label links there)
SCRIPT = """
(function(){
  function mark(){
    document.querySelectorAll('.focus').forEach(function(e){e.classList.remove('focus')});
    if(!/^#row\\d+$/.test(location.hash))return;
    document.querySelectorAll('.spans a[href="'+location.hash+'"]').forEach(function(a){a.closest('.spans>span').classList.add('focus')});
    var row=document.getElementById(location.hash.slice(1));if(row)row.classList.add('focus');
  }
  window.addEventListener('hashchange',mark);mark();
  document.documentElement.setAttribute('data-ready','1');
})();
"""

_vocab = spacy.blank("en").vocab


def page_name(paper_id: str) -> str:
    """A file name for a paper id: the id itself when it is safe, else a cleaned id with a short hash of the real one."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", paper_id)[:80].lstrip(".")
    if safe != paper_id:
        safe = f"{safe}-{hashlib.sha1(paper_id.encode()).hexdigest()[:8]}"
    return f"{safe}.html"


def fact_doc(text: str, facts: list[Fact]) -> Doc:
    """A Doc cut at every fact boundary (and nowhere else), each fact a Span in `doc.spans["facts"]`: the spans
    are exactly the tables' offsets, none widened to a token boundary."""
    cuts = sorted({0, len(text), *(f.start for f in facts), *(f.end for f in facts)})
    words = [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
    doc = Doc(_vocab, words=words, spaces=[False] * len(words))
    doc.spans[SPANS_KEY] = [
        doc.char_span(f.start, f.end, label=f.label, kb_id=str(f.row) if f.row else "") for f in facts
    ]
    return doc


def highlighted(text: str, facts: list[Fact]) -> str:
    """The text with its facts drawn by displaCy's span visualiser."""
    if not facts:
        return f'<div class="spans" style="line-height: 2.5">{escape(text)}</div>'
    doc = fact_doc(text, facts)
    parsed = displacy.parse_spans(doc, OPTIONS)
    covered = {i for span in doc.spans[SPANS_KEY] for i in range(span.start, span.end)}
    parsed["tokens"] = [t.text + GLUE if i not in covered and not t.text[-1].isspace() else t.text for i, t in enumerate(doc)]
    return displacy.render(parsed, style="span", manual=True, options=OPTIONS).replace(GLUE + " ", "")


def _rules(rule: str | None) -> str:
    return "".join(f"<code>{escape(r)}</code>" for r in re.split(r"[,|]", rule or "") if r) or "—"


def _evidence(values: dict[str, Any]) -> str:
    sentence, start, end = values["sentence"] or "", values["number_start"], values["number_end"]
    return (f'<div class="evidence">{escape(sentence[:start])}<mark>{escape(sentence[start:end])}</mark>'
            f"{escape(sentence[end:])}</div>")


def rows_table(paper: PaperFacts) -> str:
    """The paper's leaderboard rows: what was ranked, how sure, and the rules that linked number, model and benchmark."""
    body = []
    for r in paper.rows:
        v = r.values
        metric = escape(v["metric"] or "metric not stated") + (f' <span class="setting">{escape(v["setting"])}</span>' if v["setting"] else "")
        value = escape((v["bound"] or "") + format_value(v["value"], v["unit"]))
        place = f"{r.field} {r.start}–{r.end}" if r.field else "not found in the text"
        body.append(
            f'<tr id="row{r.row}"><td class="num"><a href="#row{r.row}">{r.row}</a></td><td>{escape(v["benchmark"])}</td>'
            f'<td>{metric}</td><td>{escape(v["model"])}</td><td class="num">{value}</td><td class="num">{v["confidence"]:.2f}</td>'
            f'<td>{_rules(v["rule"])}{_evidence(v)}</td><td>{_rules(r.number_rule)}<div class="evidence">{place}</div></td></tr>'
        )
    return ('<table><thead><tr><th>#</th><th>benchmark</th><th>metric</th><th>model</th><th>value</th><th>confidence</th>'
            f'<th>link rules · evidence</th><th>number rule</th></tr></thead><tbody>{"".join(body)}</tbody></table>')


def facts_table(paper: PaperFacts) -> str:
    """Every highlighted span with what the tables read it as and the rule that found it."""
    body = "".join(
        f'<tr><td><span style="background:{COLORS.get(f.label, "#ddd")};padding:0 4px;border-radius:3px;font-size:11px;font-weight:700">'
        f"{f.label}</span></td><td>{escape(f.text)}</td><td>{escape(f.reads_as)}</td><td>{f.field} {f.start}–{f.end}</td>"
        f"<td>{_rules(f.rule)}</td></tr>"
        for f in paper.facts
    )
    return (f"<details><summary>Every highlighted fact ({len(paper.facts)})</summary><table><thead><tr><th>label</th><th>text</th>"
            f"<th>read as</th><th>where</th><th>rule</th></tr></thead><tbody>{body}</tbody></table></details>")


def paper_page(paper: PaperFacts, report_href: str) -> str:
    """One paper's page."""
    texts = {name: highlighted(paper.text(name), [f for f in paper.facts if f.field == name]) for name in ("title", "abstract")}
    legend = "".join(f'<span style="background:{c}">{label}</span>' for label, c in COLORS.items())
    source = f' · <a href="{escape(paper.url)}">source</a>' if paper.url else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(paper.title)} · paperfacts</title><style>{STYLE}</style></head>
<body>
<header><a href="{escape(report_href)}">← report</a><div class="pid">{escape(paper.paper_id)}{source}</div></header>
<main>
<section class="panel title"><h2>Title</h2>{texts["title"]}</section>
<section class="panel abstract"><h2>Abstract</h2><p class="legend">{legend}</p>{texts["abstract"]}</section>
<section class="panel" id="rows"><h2>Leaderboard rows from this paper ({len(paper.rows)})</h2>{rows_table(paper)}</section>
<section class="panel">{facts_table(paper)}</section>
</main>
<script>{SCRIPT}</script>
</body></html>
"""


def link_board_rows(boards: list[Board], papers: dict[str, PaperFacts], folder: str) -> None:
    """Give each board entry whose paper has a page the address of its row there (`entry["page"]`)."""
    for board in boards:
        for entry in board.entries:
            paper = papers.get(entry["paper_id"])
            row = paper.row_of({**entry, "benchmark": board.benchmark}) if paper else None
            if row is not None:
                entry["page"] = f"{folder}/{page_name(paper.paper_id)}#row{row}"


def write_paper_pages(papers: dict[str, PaperFacts], folder: Path, report_href: str) -> int:
    """Write one page per paper into `folder`, removing pages a previous report left there; returns pages written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = set()
    for paper in papers.values():
        name = page_name(paper.paper_id)
        (folder / name).write_text(paper_page(paper, report_href), encoding="utf-8")
        written.add(name)
    for stale in folder.glob("*.html"):
        if stale.name not in written:
            stale.unlink()
    return len(written)
