#!/usr/bin/python3
"""Execute the project's notebooks headless with the GoNB kernel.

Usage (from the repository root; `make reproduce` and `make test` call it):

    /usr/bin/python3 environment/run_notebooks.py [options] [NOTEBOOK ...]

With no NOTEBOOK arguments it runs notebooks/*.ipynb in name order.

Modes:
  (default)   execute each notebook and write it back in place, with its new
              outputs, atomically (a temporary file renamed over the old one).
  --check     execute each notebook in memory and compare its outputs with
              the committed file; print a unified diff of what changed and
              write no notebook. The files the notebooks write into
              figures/ and tables/ (see --outputs) are compared too: any
              file added, removed or changed fails the check and is put
              back as it was.

A notebook fails, and nothing is written for it, when a cell
  - does not compile or panics (GoNB reports an error output),
  - produces any error output,
  - runs a `!` or `!*` shell line that exits with a non-zero status
    (GoNB prints "exit status N" on stderr but does not fail the cell),
  - prints a Go panic, a fatal runtime error or a kill signal,
  - runs past the cell time limit (--timeout), or
  - calls gonbui.Display... without gonbui.Sync() (GoNB may drop displays
    sent just before a cell's program exits; see check_source).
The message names the notebook, the cell (index from 0, and its first source
line) and the offending output.

Executed notebooks are written canonically so that two runs give the same
bytes: within a cell, all stdout text comes first as one output, then all
stderr text, then the displays (images, tables) in the order the cell made
them (GoNB delivers the three through separate pipes, so their interleaving
is not reproducible); cell timing metadata is dropped, the kernel metadata is fixed, cells without an id get
one derived from their position, and the JSON is nbformat's (indent 1, sorted
keys) with a final newline.

Exit status: 0 when every notebook ran (and, with --check, matched), 1 when
any failed or differed, 2 on bad usage or a missing kernel.

The script runs under Debian's /usr/bin/python3 (python3-nbclient,
python3-nbformat); it finds the kernel spec that environment/setup.sh
installs in .cache/jupyter unless JUPYTER_DATA_DIR says otherwise.
"""

import argparse
import concurrent.futures
import copy
import difflib
import hashlib
import json
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("JUPYTER_DATA_DIR", os.path.join(ROOT, ".cache", "jupyter"))

import nbformat  # noqa: E402  (after JUPYTER_DATA_DIR is set)
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError  # noqa: E402

KERNEL_NAME = "gonb"
KERNELSPEC = {"display_name": "Go (gonb)", "language": "go", "name": KERNEL_NAME}

# Lines in a cell's output that mean something failed even though the kernel
# reported the cell as finished.
FAILURE_LINE = re.compile(
    r"^(exit status -?\d+"
    r"|panic: .*"
    r"|fatal error: .*"
    r"|signal: [a-z].*"
    r"|goroutine \d+ \[running\]:)$"
)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class NotebookFailure(Exception):
    """A cell of a notebook failed; str() names the notebook and the cell."""


def first_line(cell):
    for line in cell.source.splitlines():
        if line.strip():
            return line.strip()
    return "(empty)"


def cell_label(index, cell):
    text = first_line(cell)
    if len(text) > 60:
        text = text[:57] + "..."
    return "cell %d (%s)" % (index, text)


def output_text(out):
    """Returns the text of an output as the reader sees it, ANSI codes removed."""
    if out.get("output_type") == "stream":
        text = out.get("text", "")
    elif out.get("output_type") == "error":
        # GoNB's traceback has one entry per compile error: "Cell[N]: Line
        # L", the source around it, and the message last. Show each as one
        # line; other tracebacks as they are.
        lines = []
        for entry in out.get("traceback", []):
            parts = [p for p in ANSI.sub("", entry).splitlines() if p.strip()]
            if len(parts) > 1 and parts[0].startswith("Cell["):
                lines.append("%s: %s" % (parts[0], parts[-1]))
            elif parts and not parts[0].startswith("# gonb_"):
                lines.extend(parts)
        lines = lines or out.get("evalue", "").splitlines()
        if out.get("ename", "ERROR") != "ERROR":
            lines.insert(0, out["ename"])
        text = "\n".join(lines)
    else:
        text = out.get("data", {}).get("text/plain", "")
    if isinstance(text, list):
        text = "".join(text)
    return ANSI.sub("", text)


def excerpt(text, limit=25):
    lines = text.rstrip("\n").splitlines()
    if len(lines) > limit:
        lines = lines[:limit] + ["... (%d more lines)" % (len(lines) - limit)]
    return "\n".join("    | " + line for line in lines)


def check_cell(index, cell):
    """Raises NotebookFailure when the outputs of an executed cell show a failure."""
    # Streams arrive in chunks that may split a line; check them joined.
    for out in order_outputs(cell.get("outputs", [])):
        if out.get("output_type") == "error":
            raise NotebookFailure(
                "%s: error output\n%s" % (cell_label(index, cell), excerpt(output_text(out)))
            )
        if out.get("output_type") != "stream":
            continue
        text = output_text(out)
        for line in text.splitlines():
            if FAILURE_LINE.match(line.strip()):
                raise NotebookFailure(
                    "%s: %s\n%s" % (cell_label(index, cell), line.strip(), excerpt(text))
                )


def check_source(index, cell):
    """Raises NotebookFailure for a cell that displays without gonbui.Sync.

    GoNB stops reading a program's display pipe when the program exits, so a
    display sent just before the end of a cell can be lost, and the notebook
    then differs from run to run. `defer gonbui.Sync()` at the top of the
    cell's body waits until GoNB has received everything.
    """
    if cell.cell_type != "code":
        return
    src = cell.source
    if "gonbui.Display" in src and "gonbui.Sync()" not in src:
        raise NotebookFailure(
            "%s: displays with gonbui but never calls gonbui.Sync(); start the "
            "cell's body with `defer gonbui.Sync()` so that no display is lost "
            "when the program exits" % cell_label(index, cell)
        )


class Client(NotebookClient):
    """A NotebookClient that stops at the first cell whose outputs show a failure."""

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        check_source(cell_index, cell)
        try:
            cell = await super().async_execute_cell(
                cell, cell_index, execution_count=execution_count, store_history=store_history
            )
        except CellTimeoutError:
            raise NotebookFailure(
                "%s: no result after %d s (raise --timeout)"
                % (cell_label(cell_index, cell), self.timeout)
            )
        except DeadKernelError:
            raise NotebookFailure("%s: the kernel died" % cell_label(cell_index, cell))
        except CellExecutionError:
            pass  # the error output is in cell.outputs; check_cell reports it
        check_cell(cell_index, cell)
        return cell


def order_outputs(outputs):
    """Returns a cell's outputs in canonical order.

    GoNB sends a program's stdout, its stderr and its gonbui displays to
    Jupyter through three separate pipes, so their interleaving changes from
    run to run. The canonical order keeps the order within each channel and
    fixes it across channels: all stdout text as one stream output, then all
    stderr text as one, then the displays and any errors in the order they
    came.
    """
    text = {"stdout": [], "stderr": []}
    rest = []
    for out in outputs:
        if out.get("output_type") == "stream" and out.get("name") in text:
            t = out.get("text", "")
            text[out["name"]].append("".join(t) if isinstance(t, list) else t)
        else:
            rest.append(copy.deepcopy(out))
    streams = [
        nbformat.v4.new_output("stream", name=name, text="".join(text[name]))
        for name in ("stdout", "stderr")
        if "".join(text[name])
    ]
    return streams + rest


def canonical(nb):
    """Returns a copy of nb in the form that is written and compared."""
    nb = copy.deepcopy(nb)
    nb.nbformat, nb.nbformat_minor = 4, max(nb.get("nbformat_minor", 5), 5)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    for i, cell in enumerate(nb.cells):
        if not cell.get("id"):
            cell["id"] = "cell-%02d" % i
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = order_outputs(cell.outputs)
    return nbformat.from_dict(nb)


def dumps(nb):
    text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"


def write_atomic(path, text):
    """Writes text to path through a temporary file in the same folder."""
    folder = os.path.dirname(os.path.abspath(path))
    mode = 0o644
    if os.path.exists(path):
        mode = os.stat(path).st_mode & 0o777
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".ipynb", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def render(nb):
    """Renders a notebook as text lines for a readable diff.

    Text outputs appear as they would on screen; binary outputs (images) as
    their type, size and SHA-256, so that a changed figure shows up as one
    changed line.
    """
    lines = []
    for i, cell in enumerate(nb.cells):
        lines.append("=== %s [%s]" % (cell_label(i, cell), cell.cell_type))
        if cell.cell_type != "code":
            continue
        for k, out in enumerate(cell.outputs):
            kind = out.get("output_type")
            if kind == "stream":
                lines.append("--- output %d: %s" % (k, out.get("name")))
                lines.extend(output_text(out).splitlines())
            elif kind == "error":
                lines.append("--- output %d: error" % k)
                lines.extend(output_text(out).splitlines())
            else:
                lines.append("--- output %d: %s" % (k, kind))
                for mime in sorted(out.get("data", {})):
                    value = out["data"][mime]
                    if isinstance(value, list):
                        value = "".join(value)
                    if not isinstance(value, str):
                        value = json.dumps(value, sort_keys=True)
                    if mime.startswith("text/") or mime.endswith("json"):
                        lines.append("[%s]" % mime)
                        lines.extend(value.splitlines())
                    else:
                        digest = hashlib.sha256(value.encode()).hexdigest()[:16]
                        lines.append("[%s] %d bytes (base64), sha256 %s" % (mime, len(value), digest))
                if out.get("metadata"):
                    lines.append("[metadata] " + json.dumps(out["metadata"], sort_keys=True))
    return lines


def diff(committed, fresh, path):
    """Returns a unified diff between two canonical notebooks, or "" if equal."""
    if dumps(committed) == dumps(fresh):
        return ""
    a, b = render(committed), render(fresh)
    if a == b:  # the difference is in metadata that render() does not show
        a, b = dumps(committed).splitlines(), dumps(fresh).splitlines()
    return "\n".join(
        difflib.unified_diff(a, b, path + " (committed)", path + " (re-executed)", lineterm="", n=2)
    )


def execute(path, timeout, verbose):
    """Executes the notebook at path and returns it in canonical form."""
    nb = nbformat.read(path, as_version=4)
    client = Client(
        nb,
        kernel_name=KERNEL_NAME,
        timeout=timeout,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    log = None if verbose else subprocess.DEVNULL
    client.execute(stdout=log, stderr=log)
    return canonical(nb)


def run_one(path, check, timeout, verbose):
    """Runs one notebook; returns (ok, message)."""
    try:
        fresh = execute(path, timeout, verbose)
    except NotebookFailure as e:
        return False, "%s: %s" % (path, e)
    except Exception as e:  # a kernel that did not start, an unreadable file
        return False, "%s: %s: %s" % (path, type(e).__name__, e)

    if check:
        committed = canonical(nbformat.read(path, as_version=4))
        d = diff(committed, fresh, path)
        if d:
            return False, "%s: outputs differ from the committed notebook\n%s" % (path, d)
        return True, ""
    text = dumps(fresh)
    with open(path, encoding="utf-8") as f:
        old = f.read()
    if text != old:
        write_atomic(path, text)
    return True, ""


def snapshot(folders):
    """Returns {path: bytes} of the files under folders (the notebooks'
    output folders), skipping hidden files such as the temporary files of
    atomic writes."""
    files = {}
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = os.path.relpath(os.path.join(dirpath, name))
                with open(path, "rb") as f:
                    files[path] = f.read()
    return files


def compare_files(before, after):
    """Returns lines naming the files that a run added, removed or changed."""
    lines = []
    for path in sorted(set(before) | set(after)):
        if path not in after:
            lines.append("  removed  %s" % path)
        elif path not in before:
            lines.append("  new      %s" % path)
        elif before[path] != after[path]:
            lines.append("  changed  %s" % path)
    return lines


def restore(before, after):
    """Puts the output folders back as they were before a --check run."""
    for path in after:
        if path not in before:
            os.unlink(path)
    for path, data in before.items():
        if after.get(path) != data:
            tmp = path + ".restore"
            with open(tmp, "wb") as f:
                f.write(data)
            os.replace(tmp, path)


def _run_one(args):
    t = time.monotonic()
    ok, message = run_one(*args)
    return ok, message, time.monotonic() - t


def kernel_installed():
    spec = os.path.join(os.environ["JUPYTER_DATA_DIR"], "kernels", KERNEL_NAME, "kernel.json")
    return os.path.exists(spec)


def main(argv=None):
    p = argparse.ArgumentParser(
        description="Execute notebooks headless with the GoNB kernel.",
        epilog="See the module documentation at the top of this file for details.",
    )
    p.add_argument("notebooks", nargs="*", help="notebooks to run (default: notebooks/*.ipynb)")
    p.add_argument(
        "--check",
        action="store_true",
        help="compare re-executed outputs with the committed notebooks; write nothing",
    )
    p.add_argument(
        "-j", "--jobs", type=int, default=1, help="notebooks run at the same time (default 1)"
    )
    p.add_argument(
        "--timeout", type=int, default=600, help="seconds a cell may take (default 600)"
    )
    p.add_argument("-v", "--verbose", action="store_true", help="show the kernel's own log")
    p.add_argument(
        "--outputs",
        action="append",
        metavar="DIR",
        help="a folder the notebooks write to, compared by --check "
        "(repeatable; default: figures and tables of the repository)",
    )
    args = p.parse_args(argv)

    paths = args.notebooks
    if not paths:
        folder = os.path.join(ROOT, "notebooks")
        paths = sorted(
            os.path.relpath(os.path.join(folder, n))
            for n in os.listdir(folder)
            if n.endswith(".ipynb")
        )
    for path in paths:
        if not os.path.isfile(path):
            print("run_notebooks: no such notebook: %s" % path, file=sys.stderr)
            return 2
    if not kernel_installed():
        print(
            "run_notebooks: no %s kernel spec in %s; run `make setup`"
            % (KERNEL_NAME, os.environ["JUPYTER_DATA_DIR"]),
            file=sys.stderr,
        )
        return 2

    outputs = args.outputs or [
        os.path.relpath(os.path.join(ROOT, d)) for d in ("figures", "tables")
    ]
    before = snapshot(outputs)

    verb = "check" if args.check else "run"
    jobs = [(path, args.check, args.timeout, args.verbose) for path in paths]
    started = time.monotonic()
    failed = 0

    def report(path, ok, message, seconds):
        nonlocal failed
        status = "ok" if ok else "FAIL"
        print("%-5s %s (%.1f s)" % (status, path, seconds), file=sys.stderr, flush=True)
        if not ok:
            failed += 1
            print(message, flush=True)

    if args.jobs <= 1 or len(jobs) == 1:
        for job in jobs:
            print("%-5s %s" % (verb, job[0]), file=sys.stderr, flush=True)
            t = time.monotonic()
            ok, message = run_one(*job)
            report(job[0], ok, message, time.monotonic() - t)
    else:
        ctx = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(args.jobs, mp_context=ctx) as pool:
            futures = {pool.submit(_run_one, job): job[0] for job in jobs}
            for fut in concurrent.futures.as_completed(futures):
                ok, message, seconds = fut.result()
                report(futures[fut], ok, message, seconds)

    # The notebooks write figures and tables themselves; with --check, any
    # file they changed is a difference too, and the folders are put back.
    after = snapshot(outputs)
    changes = compare_files(before, after)
    files_differ = bool(changes and args.check)
    if files_differ:
        print(
            "the notebooks wrote files in %s that differ from those before the run "
            "(on a clean checkout: the committed ones):" % ", ".join(outputs)
        )
        print("\n".join(changes))
        print("(put back as they were; run without --check to keep the new files)", flush=True)
        restore(before, after)
    elif changes:
        print("files written that changed:\n" + "\n".join(changes), file=sys.stderr)

    print("%d notebooks in %.1f s" % (len(jobs), time.monotonic() - started), file=sys.stderr)
    print("notebooks: %d passed, %d failed" % (len(jobs) - failed, failed), file=sys.stderr)
    return 1 if failed or files_differ else 0


if __name__ == "__main__":
    sys.exit(main())
