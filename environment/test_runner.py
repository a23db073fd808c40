#!/usr/bin/python3
"""Tests of environment/run_notebooks.py.

The canonical-form tests are plain Python. The others execute small
throwaway notebooks with the GoNB kernel in a temporary folder, so they need
`make setup` first; each broken notebook is broken in one way (a compile
error, a panic, a failing `!` shell line, an error output from a shell cell)
and the runner must name the notebook and the cell and leave the file as it
was. A notebook whose committed output has a changed number must fail
`--check` with a diff showing the number.

Run: /usr/bin/python3 environment/test_runner.py [-v]
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RUNNER = os.path.join(HERE, "run_notebooks.py")
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the working tree
import run_notebooks  # noqa: E402

# The first cell of the project's notebooks, with the repository given by
# its absolute path because the test notebooks live outside it.
SETUP_CELL = (
    "%%env GOPRIVATE=example.org\n"
    "!*go mod edit -replace=example.org/smartcity=%s -require=example.org/smartcity@v0.0.0"
    % ROOT
)

GOOD_CELL = """import (
	"fmt"
	"os"

	"github.com/janpfeifer/gonb/gonbui"
)

%%
defer gonbui.Sync()
fmt.Println("answer:", 6*7)
gonbui.DisplayMarkdown("**shown** between two prints")
fmt.Fprintln(os.Stderr, "progress on stderr")
fmt.Println("done")"""


def notebook(*sources):
    nb = new_notebook(cells=[new_markdown_cell("# test notebook")])
    nb.cells += [new_code_cell(s) for s in sources]
    for i, c in enumerate(nb.cells):
        c["id"] = "cell-%02d" % i
    nb.metadata["kernelspec"] = dict(run_notebooks.KERNELSPEC)
    return nb


def run(*args):
    """Runs the runner; --outputs points at a folder of its own so that
    the repository's figures/ and tables/ are never compared or restored."""
    if "--outputs" not in args:
        args = ("--outputs", tempfile.gettempdir() + "/runner-test-no-outputs") + args
    p = subprocess.run(
        [sys.executable, RUNNER] + list(args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        timeout=300,
    )
    return p.returncode, p.stdout, p.stderr


class CanonicalFormTest(unittest.TestCase):
    def test_output_order(self):
        cell = new_code_cell("x")
        cell.outputs = [
            new_output("stream", name="stdout", text="a\n"),
            new_output("display_data", data={"text/markdown": "m1"}),
            new_output("stream", name="stderr", text="e1\n"),
            new_output("stream", name="stdout", text=["b\n", "c\n"]),
            new_output("display_data", data={"text/markdown": "m2"}),
            new_output("stream", name="stderr", text="e2\n"),
        ]
        got = run_notebooks.order_outputs(cell.outputs)
        self.assertEqual(
            [(o.output_type, o.get("name"), o.get("text")) for o in got[:2]],
            [("stream", "stdout", "a\nb\nc\n"), ("stream", "stderr", "e1\ne2\n")],
        )
        self.assertEqual([o.data["text/markdown"] for o in got[2:]], ["m1", "m2"])

    def test_canonical_is_stable(self):
        nb = notebook("%%\nfmt.Println(1)")
        nb.cells[1].outputs = [new_output("stream", name="stdout", text="1\n")]
        nb.cells[1].metadata["execution"] = {"iopub.status.busy": "2000-01-01T00:00:00Z"}
        del nb.cells[0]["id"]
        once = run_notebooks.canonical(nb)
        self.assertNotIn("execution", once.cells[1].metadata)
        self.assertEqual(once.cells[0]["id"], "cell-00")
        text = run_notebooks.dumps(once)
        self.assertTrue(text.endswith("}\n"))
        self.assertEqual(run_notebooks.dumps(run_notebooks.canonical(once)), text)

    def test_failure_lines(self):
        cell = new_code_cell("!false")
        cell.outputs = [new_output("stream", name="stderr", text="exit status 1\n")]
        with self.assertRaisesRegex(run_notebooks.NotebookFailure, r"cell 3 \(!false\): exit status 1"):
            run_notebooks.check_cell(3, cell)
        cell.outputs = [new_output("stream", name="stderr", text="progress: 3 of 4\n")]
        run_notebooks.check_cell(3, cell)  # stderr text alone is not a failure

    def test_display_needs_sync(self):
        cell = new_code_cell("%%\ngonbui.DisplayPNG(png)")
        with self.assertRaisesRegex(run_notebooks.NotebookFailure, r"cell 4 \(%%\): .*gonbui.Sync"):
            run_notebooks.check_source(4, cell)
        cell.source = "%%\ndefer gonbui.Sync()\ngonbui.DisplayPNG(png)"
        run_notebooks.check_source(4, cell)

    def test_render_shows_images_by_hash(self):
        nb = notebook("%%\nx")
        nb.cells[1].outputs = [new_output("display_data", data={"image/png": "iVBORw0KGgo="})]
        lines = run_notebooks.render(nb)
        self.assertTrue(any(l.startswith("[image/png] 12 bytes (base64), sha256 ") for l in lines))


class RunnerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not run_notebooks.kernel_installed():
            raise unittest.SkipTest("no GoNB kernel spec: run `make setup`")

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="runner-test-")
        self.addCleanup(shutil.rmtree, self.dir)

    def write(self, name, nb):
        path = os.path.join(self.dir, name)
        nbformat.write(nb, path)
        with open(path, "rb") as f:
            return path, f.read()

    def read(self, path):
        with open(path, "rb") as f:
            return f.read()

    def test_run_is_reproducible_and_check_shows_changes(self):
        path, _ = self.write("good.ipynb", notebook(SETUP_CELL, GOOD_CELL, "!echo shell ok"))

        code, out, err = run(path)
        self.assertEqual(code, 0, out + err)
        first = self.read(path)
        nb = nbformat.reads(first.decode(), as_version=4)
        outputs = nb.cells[2].outputs
        self.assertEqual(
            [(o.output_type, o.get("name")) for o in outputs],
            [("stream", "stdout"), ("stream", "stderr"), ("display_data", None)],
        )
        self.assertEqual(outputs[0].text, "answer: 42\ndone\n")
        self.assertEqual(nb.cells[3].outputs[0].text, "shell ok\n")

        code, out, err = run(path)
        self.assertEqual(code, 0, out + err)
        self.assertEqual(self.read(path), first, "a second run changed the notebook's bytes")

        code, out, err = run("--check", path)
        self.assertEqual(code, 0, out + err)

        changed = first.replace(b"answer: 42", b"answer: 43")
        self.assertNotEqual(changed, first)
        with open(path, "wb") as f:
            f.write(changed)
        code, out, err = run("--check", path)
        self.assertEqual(code, 1, out + err)
        self.assertIn("good.ipynb: outputs differ from the committed notebook", out)
        self.assertIn("\n-answer: 43\n", out)
        self.assertIn("\n+answer: 42\n", out)
        self.assertIn("cell 2 (import ()", out)
        self.assertEqual(self.read(path), changed, "--check wrote the notebook")

    def test_check_compares_written_files(self):
        os.mkdir(os.path.join(self.dir, "notebooks"))
        out = os.path.join(self.dir, "out")
        os.mkdir(out)
        write = """import (
	"io"

	"example.org/smartcity/analysis/frame"
)

%%
err := frame.WriteFileAtomic("../out/a.txt", func(w io.Writer) error {
	_, err := io.WriteString(w, "one\\n")
	return err
})
if err != nil {
	panic(err)
}"""
        path, _ = self.write(os.path.join("notebooks", "w.ipynb"), notebook(SETUP_CELL, write))
        code, stdout, err = run("--outputs", out, path)
        self.assertEqual(code, 0, stdout + err)
        a = os.path.join(out, "a.txt")
        self.assertEqual(self.read(a), b"one\n")
        code, stdout, err = run("--check", "--outputs", out, path)
        self.assertEqual(code, 0, stdout + err)

        with open(a, "wb") as f:
            f.write(b"two\n")
        with open(os.path.join(out, "stale.csv"), "wb") as f:
            f.write(b"x\n")
        code, stdout, err = run("--check", "--outputs", out, path)
        self.assertEqual(code, 1, stdout + err)
        self.assertIn("changed  %s" % os.path.relpath(a), stdout)
        self.assertNotIn("stale.csv", stdout)  # untouched files are not reported
        self.assertIn("notebooks: 1 passed, 0 failed", err)
        self.assertEqual(self.read(a), b"two\n", "--check did not restore the file")

    def test_broken_notebooks_fail_naming_the_cell(self):
        cases = {
            "compile.ipynb": (
                "%%\n// compile error\nvar x int = \"a\"",
                "cell 2 (%%): error output",
                "cannot use \"a\"",
            ),
            "panic.ipynb": (
                "%%\nfmt.Println(\"before\")\npanic(\"boom\")",
                "cell 2 (%%): panic: boom",
                "goroutine 1 [running]",
            ),
            "shell.ipynb": (
                "!ls does-not-exist",
                "cell 2 (!ls does-not-exist): exit status 2",
                "does-not-exist",
            ),
            "exit.ipynb": (
                "import \"os\"\n\n%%\nos.Exit(3)",
                "cell 2 (import \"os\"): ",
                "exit status 3",
            ),
        }
        paths, before = [], {}
        for name, (source, _, _) in cases.items():
            # A later cell that must not run once an earlier one failed.
            path, data = self.write(name, notebook("%%\nfmt.Println(1)", source, "!touch \"${GONB_DIR}/ran\""))
            paths.append(path)
            before[path] = data

        code, out, err = run("--jobs", "2", *paths)
        self.assertEqual(code, 1, out + err)
        for name, (_, where, detail) in cases.items():
            path = os.path.join(self.dir, name)
            self.assertIn("%s: %s" % (path, where), out)
            section = out[out.index(path + ":"):]
            self.assertIn(detail, section[:2000])
            self.assertEqual(self.read(path), before[path], "%s was written" % name)
        self.assertIn("notebooks: 0 passed, 4 failed", err)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "ran")))


if __name__ == "__main__":
    program = unittest.main(exit=False)
    result = program.result
    bad = len(result.failures) + len(result.errors)
    print(
        "runner-tests: %d passed, %d failed, %d skipped"
        % (result.testsRun - bad - len(result.skipped), bad, len(result.skipped))
    )
    sys.exit(0 if result.wasSuccessful() else 1)
