"""The README's examples, run as a new user would, so that what it says stays true.

Every ``$ command`` in a ```sh block whose command is listed in CHECKED is run (in a fresh
folder that sees the project's ``glossary/`` and ``translations/``) and its output must be
the lines the README shows; a line ``…`` stands for any number of lines.  The numbers the
README quotes from a report are checked against a real report of the seed article.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from conftest import ROOT, SEED

README = (ROOT / "README.md").read_text(encoding="utf-8")

# Commands whose output the README shows in full (the rest need a real model or internet).
CHECKED = (
    "cat s.txt m.txt",
    "rutrans postedit --source s.txt --mt m.txt --report r.json",
    "cat m.postedited.txt",
    "rutrans glossary lint",
    'printf \'#. The SCO.\\nmsgid "ШОС"\\nmsgstr "-"\\n\' > broken.po',
    "rutrans glossary lint broken.po",
    "rutrans glossary scan translations/ru/kz-mvd-central-asia-meeting.ru.txt --glossary broken.po",
    "rutrans glossary scan translations/ru/kz-mvd-central-asia-meeting.ru.txt",
    "rutrans glossary extract translations/ru/kz-mvd-central-asia-meeting.ru.txt"
    " -o candidates.pot --no-glossary",
    "rutrans glossary export --format csv | head -3",
)


def sessions() -> list[list[tuple[str, list[str]]]]:
    """Each ```sh block as (command, expected output lines) steps."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL):
        steps: list[tuple[str, list[str]]] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif steps:
                steps[-1][1].append(line)
        if any(command in CHECKED for command, _ in steps):
            found.append(steps)
    return found


def matches(expected: list[str], actual: list[str]) -> bool:
    if not expected:
        return not actual
    if expected[0].strip() == "…":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


@pytest.fixture
def workdir(tmp_path: Path, isolated_env: dict[str, str]) -> tuple[Path, dict[str, str]]:
    for name in ("glossary", "translations"):
        (tmp_path / name).symlink_to(ROOT / name)
    env = dict(isolated_env)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr in the order they were written
    return tmp_path, env


def test_every_checked_command_is_in_the_readme():
    shown = {command for steps in sessions() for command, _ in steps}
    assert set(CHECKED) <= shown, set(CHECKED) - shown


@pytest.mark.parametrize("steps", sessions(), ids=lambda steps: steps[0][0][:40])
def test_readme_session_gives_the_output_shown(steps, workdir):
    cwd, env = workdir
    if steps[0][0] == "cat s.txt m.txt":  # the files the example starts from
        shown = steps[0][1]
        half = len(shown) // 2
        (cwd / "s.txt").write_text("".join(x + "\n" for x in shown[:half]), encoding="utf-8")
        (cwd / "m.txt").write_text("".join(x + "\n" for x in shown[half:]), encoding="utf-8")
    for command, expected in steps:
        if command not in CHECKED:
            continue
        done = subprocess.run(
            ["bash", "-c", f"{command} 2>&1"],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        actual = done.stdout.splitlines()
        assert matches(expected, actual), f"$ {command}\n" + "\n".join(actual[:20])


def test_report_numbers_quoted_in_the_readme(tiny_model, rutrans, tmp_path):
    run = rutrans("translate", SEED, "-o", tmp_path, "--model", tiny_model, cwd=ROOT)
    assert run.code == 0, run.stderr
    report = json.loads((tmp_path / "kz-mvd-central-asia-meeting.report.json").read_text())
    summary, glossary = report["summary"], report["signature"]["glossary"]
    segments, paragraphs = len(report["segments"]), report["signature"]["input"]["paragraphs"]
    assert f"({segments} segments, {paragraphs} paragraphs;" in README
    assert f'"summary": {{"occurrences": {summary["occurrences"]},' in README
    assert f'"entries": {glossary["entries"]},' in README
    assert f'"suppressed": {json.dumps(glossary["suppressed"], ensure_ascii=False)}' in README
    terms = [t for s in report["segments"] for t in s["terms"]]
    proposed = sum(t["status"] == "proposed" for t in terms)
    quoted = re.search(
        r"`glossary scan` finds (\d+)\s+term occurrences.*?(\d+) of them", README, re.S
    )
    assert quoted is not None
    assert (int(quoted[1]), int(quoted[2])) == (len(terms), proposed)
    assert f"{len(terms)} occurrences of" in README  # the scan example's count line


def test_extract_candidates_quoted_in_the_readme(workdir):
    cwd, env = workdir
    subprocess.run(
        [
            "rutrans",
            "glossary",
            "extract",
            str(SEED),
            "-o",
            "c.pot",
            "--no-glossary",
        ],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
    )
    counts = {
        e.msgid: int(e.comment.split("count: ")[1].split()[0])
        for e in polib.pofile(str(cwd / "c.pot"))
    }
    claim = README[README.index("Among them") : README.index("with the project glossary")]
    for phrase, count in re.findall(r"«([^»]+)» \((\d+)\)", claim):
        assert counts.get(" ".join(phrase.split())) == int(count), phrase
    for acronym in ("ОВД", "МВД", "ШОС", "СНГ", "«Паутина»", "«Розыск»"):
        assert acronym in claim and acronym in counts
