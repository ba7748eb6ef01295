"""Score output tables against gold annotations (the matching rules of GUIDELINE.md / score.py)."""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from pathlib import Path

import duckdb

DASHES = re.compile(r"[\u2010-\u2015\u2212]")
RESULT_KINDS = {"score", "delta", "efficiency"}
LINK_FIELDS = ("benchmark", "model", "metric")


def norm(value: object) -> str:
    """Case, dashes, spacing and edge punctuation folded: how two surface forms are compared."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = re.sub(r"\s+", " ", DASHES.sub("-", str(value)).casefold())
    return text.strip(" .,;:()[]{}\"'`")


def title_key(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", norm(title))


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _rows(con: duckdb.DuckDBPyConnection, out: Path, table: str, columns: str) -> list[tuple]:
    folder = out / table
    if not folder.exists() or not any(folder.glob("*.parquet")):
        return []
    return con.execute(f"SELECT {columns} FROM read_parquet('{folder}/*.parquet')").fetchall()


def score(gold_path: Path, out: Path) -> dict:
    """P/R/F1 for models, benchmarks, numbers (typed and untyped), leaderboard rows, GitHub; link recall; error lists."""
    gold = [json.loads(line) for line in Path(gold_path).read_text(encoding="utf-8").splitlines() if line.strip()]
    con = duckdb.connect()
    papers = _rows(con, out, "papers", "paper_id, title")
    if not papers:
        raise FileNotFoundError(f"no papers table under {out}")
    by_title: dict[str, str] = {}
    for pid, title in papers:
        by_title.setdefault(title_key(title), pid)
    pid_of = {g["id"]: by_title.get(title_key(g["title"])) for g in gold}
    report: dict = {"papers": {"gold": len(gold), "found": sum(v is not None for v in pid_of.values())}}
    errors: dict[str, list[str]] = defaultdict(list)
    for kind in ("models", "benchmarks"):
        pred: dict[str, set[str]] = defaultdict(set)
        for pid, text in _rows(con, out, kind, "paper_id, text"):
            if norm(text):
                pred[pid].add(norm(text))
        tp = fp = fn = 0
        for g in gold:
            req = {norm(e["text"]) for e in g[kind] if not e.get("optional")}
            opt = {norm(e["text"]) for e in g[kind] if e.get("optional")}
            got = pred.get(pid_of[g["id"]], set()) - (opt - req)
            tp, fp, fn = tp + len(got & req), fp + len(got - req), fn + len(req - got)
            errors[kind] += [f"{g['id']} miss  {x}" for x in sorted(req - got)] + [f"{g['id']} false {x}" for x in sorted(got - req)]
        report[kind] = prf(tp, fp, fn)
    _score_numbers(con, out, gold, pid_of, report, errors)
    _score_github(con, out, gold, pid_of, report, errors)
    _score_leaderboard(con, out, gold, pid_of, report, errors)
    report["errors"] = dict(errors)
    return report


def _score_numbers(con, out: Path, gold: list[dict], pid_of: dict, report: dict, errors: dict) -> None:
    """Numbers found (by value), typed (value and kind), results (score/delta/efficiency) and link recall."""
    pred: dict[str, list[dict]] = defaultdict(list)
    for pid, text, value, kind, bench, model, metric in _rows(con, out, "results", "paper_id, text, value, kind, benchmark, model, metric"):
        pred[pid].append({"text": text, "value": float(value), "kind": kind, "benchmark": bench, "model": model, "metric": metric})
    counts = {"det": [0, 0, 0], "typed": [0, 0, 0], "res": [0, 0, 0], **{k: [0, 0, 0] for k in LINK_FIELDS}}
    for g in gold:
        preds = pred.get(pid_of[g["id"]], [])
        used = [False] * len(preds)
        for r in g["results"]:
            if r["kind"] != "setting" and not r.get("optional"):
                j = _take_number(r, preds, used)
                _count_gold_number(g["id"], r, None if j is None else preds[j], counts, errors)
        for r in g["results"]:
            if r["kind"] == "setting" or r.get("optional"):
                _take_number(r, preds, used)
        for j, p in enumerate(preds):
            if not used[j]:
                for key in ("det", "typed"):
                    counts[key][1] += 1
                counts["res"][1] += norm(p["kind"]) in RESULT_KINDS
                errors["results"].append(f"{g['id']} false {p['text']} ({p['kind']})")
    report["numbers"], report["numbers_typed"], report["results"] = prf(*counts["det"]), prf(*counts["typed"]), prf(*counts["res"])
    report["linking"] = {
        k: {"recall": round(c / h, 4) if h else 1.0, "correct": c, "gold": h, "predicted": n}
        for k, (c, h, n) in ((k, counts[k]) for k in LINK_FIELDS)
    }


def _take_number(r: dict, preds: list[dict], used: list[bool]) -> int | None:
    """The first unused prediction of the gold number's value, one of its kind first; marked used."""
    best = None
    for j, p in enumerate(preds):
        if used[j] or not math.isclose(p["value"], float(r["value"]), rel_tol=1e-9, abs_tol=1e-9):
            continue
        if norm(p["kind"]) == r["kind"]:
            best = j
            break
        if best is None:
            best = j
    if best is not None:
        used[best] = True
    return best


def _count_gold_number(gid: str, r: dict, p: dict | None, counts: dict[str, list[int]], errors: dict) -> None:
    """Count a required gold number against its matched prediction `p` (None: missed), and its links."""
    det, typed, res = counts["det"], counts["typed"], counts["res"]
    if p is None:
        det[2] += 1
        typed[2] += 1
        res[2] += r["kind"] in RESULT_KINDS
        errors["results"].append(f"{gid} miss  {r['text']} ({r['kind']})")
        return
    det[0] += 1
    same = norm(p["kind"]) == r["kind"]
    typed[0 if same else 1] += 1
    typed[2] += not same
    if r["kind"] in RESULT_KINDS:
        res[0 if same else 2] += 1
    elif norm(p["kind"]) in RESULT_KINDS:
        res[1] += 1
    if not same:
        errors["kinds"].append(f"{gid} {r['text']}: gold {r['kind']}, got {p['kind']}")
    for k in LINK_FIELDS:
        link = counts[k]
        if r.get(k):
            link[1] += 1
            if norm(p[k]) == norm(r[k]):
                link[0] += 1
            else:
                errors["links_" + k].append(f"{gid} {r['text']}: gold {r[k]!r}, got {p[k]!r}")
        if norm(p[k]):
            link[2] += 1


def _score_leaderboard(con, out: Path, gold: list[dict], pid_of: dict, report: dict, errors: dict) -> None:
    """A leaderboard row is right when its value, benchmark and model (canonical or as written) match a gold score
    that has both links; `metric_agreement` is over the matched rows whose gold names a metric."""
    pred: dict[str, list[dict]] = defaultdict(list)
    columns = "paper_id, value, benchmark, benchmark_text, model, model_text, metric"
    for pid, value, bench, bench_text, model, model_text, metric in _rows(con, out, "leaderboard", columns):
        pred[pid].append({"value": float(value), "benchmark": {norm(bench), norm(bench_text)} - {""},
                          "model": {norm(model), norm(model_text)} - {""}, "metric": norm(metric)})
    counts = [0, 0, 0]
    metric_ok = metric_gold = 0
    for g in gold:
        preds = pred.get(pid_of[g["id"]], [])
        used = [False] * len(preds)
        tuples = sorted((r for r in g["results"] if r["kind"] == "score" and r.get("benchmark") and r.get("model")),
                        key=lambda r: bool(r.get("optional")))
        for r in tuples:
            j = next((j for j, p in enumerate(preds) if not used[j] and math.isclose(p["value"], float(r["value"]), abs_tol=1e-9)
                      and norm(r["benchmark"]) in p["benchmark"] and norm(r["model"]) in p["model"]), None)
            if j is not None:
                used[j] = True
            if r.get("optional"):
                continue
            if j is None:
                counts[2] += 1
                errors["leaderboard"].append(f"{g['id']} miss  {r['text']} | {r['benchmark']} | {r['model']}")
                continue
            counts[0] += 1
            if r.get("metric"):
                metric_gold += 1
                gm, pm = norm(r["metric"]), preds[j]["metric"]
                metric_ok += bool(pm) and (gm in pm or pm in gm)
        for j, p in enumerate(preds):
            if not used[j]:
                counts[1] += 1
                errors["leaderboard"].append(f"{g['id']} false {p['value']:g} | {'/'.join(sorted(p['benchmark']))} | {'/'.join(sorted(p['model']))}")
    report["leaderboard"] = prf(*counts)
    report["leaderboard"]["metric_agreement"] = round(metric_ok / metric_gold, 4) if metric_gold else 1.0


def _score_github(con, out: Path, gold: list[dict], pid_of: dict, report: dict, errors: dict) -> None:
    pred: dict[str, set[str]] = defaultdict(set)
    for pid, owner, repo in _rows(con, out, "repos", "paper_id, owner, repo"):
        pred[pid].add(f"{owner}/{repo}".casefold())
    tp = fp = fn = 0
    for g in gold:
        req = {x.casefold() for x in g["github"]}
        got = pred.get(pid_of[g["id"]], set())
        tp, fp, fn = tp + len(got & req), fp + len(got - req), fn + len(req - got)
        errors["github"] += [f"{g['id']} miss  {x}" for x in sorted(req - got)] + [f"{g['id']} false {x}" for x in sorted(got - req)]
    report["github"] = prf(tp, fp, fn)
    links: dict[str, set[str]] = defaultdict(set)
    for pid, url in _rows(con, out, "links", "paper_id, url"):
        links[pid].add(norm(url).rstrip("/"))
    hit = total = 0
    for g in gold:
        for url in g.get("links", []):
            total += 1
            if norm(url).rstrip("/") in links.get(pid_of[g["id"]], set()):
                hit += 1
            else:
                errors["links"].append(f"{g['id']} miss  {url}")
    report["links"] = {"recall": round(hit / total, 4) if total else 1.0, "found": hit, "gold": total}


def format_report(report: dict, errors: int = 0) -> str:
    """The figures as a plain-text table, optionally followed by misses and false hits."""
    lines = [f"papers found {report['papers']['found']}/{report['papers']['gold']}", f"{'fact':16s} {'P':>7s} {'R':>7s} {'F1':>7s}   tp/fp/fn"]
    for k in ("models", "benchmarks", "numbers", "numbers_typed", "results", "github"):
        r = report[k]
        lines.append(f"{k:16s} {r['precision']:7.3f} {r['recall']:7.3f} {r['f1']:7.3f}   {r['tp']}/{r['fp']}/{r['fn']}")
    r = report["leaderboard"]
    lines.append(f"{'leaderboard':16s} {r['precision']:7.3f} {r['recall']:7.3f} {r['f1']:7.3f}   {r['tp']}/{r['fp']}/{r['fn']}"
                 f"   (value+benchmark+model; metric agrees on {r['metric_agreement']:.3f} of matches)")
    for k, r in report["linking"].items():
        lines.append(f"link {k:11s} recall {r['recall']:.3f}  ({r['correct']}/{r['gold']} gold links right; {r['predicted']} predicted)")
    lines.append(f"links recall {report['links']['recall']:.3f} ({report['links']['found']}/{report['links']['gold']})")
    if errors:
        for kind, rows in report.get("errors", {}).items():
            if rows:
                lines += ["", f"-- {kind}: {len(rows)} (first {errors})", *rows[:errors]]
    return "\n".join(lines)
