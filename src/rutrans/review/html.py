"""The review page: one self-contained HTML file a reviewer opens in any browser.

Built from a report (the JSON ``translate`` writes), so ``rutrans review REPORT.json
--html`` rebuilds the same page.  One row per segment: id | source | raw MT | final |
findings.  Terms are highlighted in the source and the final text, in one colour per
entry, with the entry's note on hover; the words post-editing changed are struck through
in the MT and underlined in the final text; flagged rows are marked.

Safety: everything that comes from the document, the MT or the glossary is escaped, and
a Content-Security-Policy allows no script or style but the page's own (by hash), so a
source holding ``<script>`` or ``"><img onerror=…>`` is shown as text and never runs.
Without JavaScript the page still works: the "flagged only" switch is pure CSS; the
script only adds a filter by QA check.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import html
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from rutrans.review.text import Mark, annotate

PALETTE = 8  # term colours, cycled by entry

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem;color:#1b1b1b;background:#fff}
h1{font-size:1.3rem;margin:0 0 .3rem}
.signature{font:12px ui-monospace,monospace;color:#555;word-break:break-all}
.counts{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;margin:.7rem 0}
.counts span{white-space:nowrap}
.controls{margin:.6rem 0;display:flex;gap:1.2rem;align-items:center}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{border-top:1px solid #ddd;padding:.45rem .5rem;vertical-align:top;text-align:left}
th{background:#f4f4f4;position:sticky;top:0}
col.id{width:3.2rem}col.findings{width:18%}
tr.flagged td:first-child{border-left:4px solid #d33}
tr.flagged td.id::after{content:" \\2691";color:#d33}
#only-flagged:checked~table tbody tr:not(.flagged){display:none}
tbody tr.hidden{display:none}
.term{cursor:help}
.t0{background:#ffe08a}.t1{background:#b9e3ff}.t2{background:#c8f0c0}.t3{background:#f6c6e8}
.t4{background:#ffd0b0}.t5{background:#d9d0ff}.t6{background:#c9f1ec}.t7{background:#eee0c4}
del,.del{text-decoration:line-through;color:#a11;background:#fde4e4}
ins,.ins{text-decoration:underline 2px;text-decoration-color:#187a2f}
ul.findings{margin:0;padding-left:1rem}
.status-missing,.status-forbidden{color:#b00;font-weight:600}
"""

_SCRIPT = """
(function(){
  var select=document.getElementById('check-filter');
  if(!select){return;}
  select.hidden=false;
  select.addEventListener('change',function(){
    var wanted=select.value;
    document.querySelectorAll('tbody tr').forEach(function(row){
      var checks=(row.getAttribute('data-checks')||'').split(' ');
      row.classList.toggle('hidden', wanted!=='' && checks.indexOf(wanted)<0);
    });
  });
})();
"""


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


CSP = (
    "default-src 'none'; "
    f"style-src '{_hash(_STYLE)}'; "
    f"script-src '{_hash(_SCRIPT)}'; "
    "img-src 'none'; base-uri 'none'; form-action 'none'"
)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _colours(segments: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """One colour per glossary entry, in order of first occurrence."""
    colours: dict[str, int] = {}
    for segment in segments:
        for term in segment.get("terms", ()):
            colours.setdefault(term["msgid"], len(colours) % PALETTE)
    return colours


def _term_marks(
    terms: Iterable[Mapping[str, Any]],
    key: str,
    colours: Mapping[str, int],
    notes: Mapping[str, str],
) -> list[Mark]:
    marks = []
    for term in terms:
        span = term.get(key)
        if not span:
            continue
        note = notes.get(term["msgid"], "")
        title = f"{term['msgid']} → {term['target']} ({term['status']})" + (
            f": {note}" if note else ""
        )
        classes = f"term t{colours.get(term['msgid'], 0)} status-{term['status']}"
        marks.append(Mark(span[0], span[1], classes, title))
    return marks


_TOKEN = re.compile(r"\s+|[^\s]+")


def _diff_marks(old: str, new: str) -> tuple[list[Mark], list[Mark]]:
    """Word-level changes: what left the MT (``del``) and what entered the final (``ins``)."""
    a = [(m.start(), m.end()) for m in _TOKEN.finditer(old)]
    b = [(m.start(), m.end()) for m in _TOKEN.finditer(new)]
    matcher = difflib.SequenceMatcher(
        None, [old[s:e] for s, e in a], [new[s:e] for s, e in b], autojunk=False
    )
    removed, added = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete") and i1 < i2:
            removed.append(Mark(a[i1][0], a[i2 - 1][1], "del", "changed by post-editing"))
        if tag in ("replace", "insert") and j1 < j2:
            added.append(Mark(b[j1][0], b[j2 - 1][1], "ins", "put in by post-editing"))
    return removed, added


def _findings(segment: Mapping[str, Any]) -> str:
    items = [f"<li><b>{_e(f['check'])}</b>: {_e(f['message'])}</li>" for f in segment["qa"]]
    return f'<ul class="findings">{"".join(items)}</ul>' if items else ""


def _row(segment: Mapping[str, Any], colours: Mapping[str, int], notes: Mapping[str, str]) -> str:
    terms = segment.get("terms", ())
    removed, added = _diff_marks(segment["mt"], segment["final"])
    source = annotate(segment["source"], _term_marks(terms, "source_span", colours, notes))
    mt = annotate(segment["mt"], removed)
    final = annotate(segment["final"], _term_marks(terms, "final_span", colours, notes) + added)
    checks = " ".join(sorted({f["check"] for f in segment["qa"]}))
    classes = "flagged" if segment["flagged"] else ""
    return (
        f'<tr id="s{_e(segment["id"])}" class="{classes}" data-checks="{_e(checks)}">'
        f'<td class="id">{_e(segment["id"])}</td>'
        f'<td class="source" lang="ru">{source}</td>'
        f'<td class="mt">{mt}</td>'
        f'<td class="final">{final}</td>'
        f'<td class="findings">{_findings(segment)}</td></tr>'
    )


def _counts(report: Mapping[str, Any]) -> str:
    parts = []
    summary = report.get("summary")
    if summary:
        accuracy = summary.get("term_accuracy")
        shown = "–" if accuracy is None else f"{accuracy:.0%}"
        parts.append(f'<span class="accuracy">term accuracy <b>{_e(shown)}</b></span>')
        for status in ("ok", "fixed", "missing", "forbidden"):
            parts.append(f'<span class="status">{status}: <b>{_e(summary[status])}</b></span>')
    qa = report["qa"]
    parts.append(f'<span class="flagged-count">flagged: <b>{_e(qa["flagged"])}</b></span>')
    for check, count in qa["by_check"].items():
        parts.append(f'<span class="check">{_e(check)}: <b>{_e(count)}</b></span>')
    return f'<div class="counts">{"".join(parts)}</div>'


def review_html(report: Mapping[str, Any]) -> str:
    """The review page of one report."""
    return "".join(review_html_parts(report))


def review_html_parts(report: Mapping[str, Any]) -> Iterator[str]:
    """The review page in pieces, one per segment's row, for writing a long document's
    page without holding it whole; ``report["segments"]`` is iterated twice."""
    segments = report["segments"]
    notes = report.get("notes") or {}
    colours = _colours(segments)
    signature = report["signature"]
    title = f"rutrans review: {signature['input']['path']}"
    checks = "".join(
        f'<option value="{_e(c)}">{_e(c)}</option>'
        for c, n in report["qa"]["by_check"].items()
        if n
    )
    yield (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{_e(title)}</h1>"
        f'<div class="signature">{_e(signature["id"])}</div>'
        f"{_counts(report)}"
        '<input type="checkbox" id="only-flagged"><label for="only-flagged"> flagged only</label> '
        '<select id="check-filter" hidden><option value="">every QA check</option>'
        f"{checks}</select>"
        '<table><colgroup><col class="id"><col><col><col><col class="findings"></colgroup>'
        "<thead><tr><th>#</th><th>source</th><th>raw MT</th><th>final</th><th>findings</th>"
        "</tr></thead><tbody>"
    )
    for segment in segments:
        yield _row(segment, colours, notes)
    yield f"</tbody></table><script>{_SCRIPT}</script></body></html>\n"
