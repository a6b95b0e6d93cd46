"""Hostile JSON through score, report and convert, each in a fresh process as ``python -m scoring``: exit 2 with a
Chinese reason on stderr, no traceback, nothing on stdout and no output file (nor a temporary one) left behind.

To stay fast, one process per command runs every case: it executes the ``scoring`` package's ``__main__`` once per
case (``runpy``, as ``python -m`` does) and reports the exit code and the output streams of each.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.hostile import ROOT, json_bytes

CHINESE = re.compile(r"[\u4e00-\u9fff]")

CASES = ["Infinity", "1e999", "5000-digit integer", "nested 2000 deep", "lone surrogate", "schema_version 999",
         "100 MB sparse file"]

COMMANDS = {
    "score": lambda f, out: ["score", str(f), "--json"],
    "report": lambda f, out: ["report", str(f), "--out", str(out / "R.docx")],
    "convert": lambda f, out: ["convert", str(f), str(out / "OUT.xlsx")],
}

DRIVER = r"""
import io, json, runpy, sys, traceback
results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.TextIOWrapper(io.BytesIO(), "utf-8"), io.TextIOWrapper(io.BytesIO(), "utf-8")
    sys.stdout, sys.stderr, sys.argv = out, err, ["python -m scoring", *argv]
    try:
        runpy.run_module("scoring", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as e:
        code = e.code
    except BaseException:
        traceback.print_exc(file=err)
        code = "raised"
    finally:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    streams = []
    for s in (out, err):
        s.flush()
        streams.append(s.buffer.getvalue().decode("utf-8", "replace"))
    results.append([code, *streams])
print(json.dumps(results))
"""


def _write_case(case: str, path) -> None:
    if case == "100 MB sparse file":
        with path.open("wb") as f:
            f.write(b'{"type": "park", ')
            f.truncate(100 * 1024 * 1024)
    else:
        path.write_bytes(json_bytes(case))


@pytest.mark.parametrize("command", list(COMMANDS))
def test_hostile_json_exits_2_in_chinese_and_leaves_no_file(command, tmp_path):
    argvs, outs = [], []
    for k, case in enumerate(CASES):
        src = tmp_path / f"in{k}.json"
        _write_case(case, src)
        out = tmp_path / f"out{k}"
        out.mkdir()
        outs.append(out)
        argvs.append(COMMANDS[command](src, out))
    p = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(argvs)], capture_output=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr.decode("utf-8", "replace")[-2000:]
    results = json.loads(p.stdout.decode())
    assert len(results) == len(CASES)
    for case, out, (code, stdout, stderr) in zip(CASES, outs, results):
        assert code == 2, (command, case, code, stderr[-1500:])
        assert CHINESE.search(stderr), (command, case, stderr)
        assert "Traceback" not in stderr and "Traceback" not in stdout, (command, case, stderr)
        assert stdout.strip() == "", (command, case, stdout[:500])
        assert not list(out.iterdir()), (command, case, list(out.iterdir()))
