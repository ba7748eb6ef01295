"""URLs as written in abstracts, cleaned of the markup and punctuation that cling to them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractors.facts import Link

URL = re.compile(
    r"(?:https?://|(?<![\w@/.-])www\.|(?<![\w@/.-])github\.com/"
    # a bare host on a web TLD with a path or a sub-domain: `mihdalal.github.io/manipgen`, `x.cs.columbia.edu`
    r"|(?<![\w@/.-])(?=[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:io|com|org|edu|ai|net|dev|app|page|site)(?:/|\b))(?=(?:[a-z0-9-]+\.){2,}|[^\s]*/))[^\s<>\"'`|]+",
    re.IGNORECASE,
)
BARE_HOST_HINT = re.compile(r"[a-z0-9]\.(?:io|com|org|edu|ai|net|dev|app|page|site)\b")
# LaTeX leftovers (`\url{...}`, `V2L{V^2L}`) and markdown: the URL ends where markup starts.
MARKUP_CUT = re.compile(r"[{}\\]|\]\(|\)\[")
TRAILING = ".,;:!?*_~'\""
GITHUB = re.compile(r"^(?:https?://)?(?:www\.)?github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/([A-Za-z0-9_.-]+)", re.I)
HOST = re.compile(r"^(?:https?://)?([^/?#:]+)", re.I)
RESERVED_OWNERS = {"orgs", "topics", "features", "about", "marketplace", "sponsors", "settings", "collections"}


def _trim(url: str) -> str:
    cut = MARKUP_CUT.search(url)
    if cut:
        url = url[: cut.start()]
    while url:
        last = url[-1]
        if last in TRAILING or last in ")]" and url.count("(" if last == ")" else "[") < url.count(last):
            url = url[:-1]
        else:
            break
    return url


def find_links(text: str) -> Iterator[Link]:
    """Every URL in the text; GitHub repositories carry owner and repo."""
    if "http" not in text and "www." not in text and "github" not in text and not BARE_HOST_HINT.search(text):
        return  # most abstracts have no link: skip the regex scan
    for match in URL.finditer(text):
        written = _trim(match.group(0))
        if len(written) < 8 or "." not in written:
            continue
        start = match.start()
        end = start + len(written)
        # scheme-less GitHub and www links get https://; other bare hosts stay as written
        url = written if re.match(r"https?://", written, re.I) or not re.match(r"(?:www\.|github\.com/)", written, re.I) else "https://" + written
        host = HOST.match(url)
        domain = host.group(1).lower() if host else ""
        if domain.startswith("www."):
            domain = domain[4:]
        gh = GITHUB.match(written)
        if gh and domain == "github.com" and gh.group(1).lower() not in RESERVED_OWNERS:
            owner, repo = gh.group(1), re.sub(r"\.git$", "", gh.group(2).rstrip("."), flags=re.I)
            if repo:
                yield Link(start, end, written, f"https://github.com/{owner}/{repo}", domain, "url.github_repo", owner, repo)
                continue
        yield Link(start, end, written, url, domain, "url.link")
