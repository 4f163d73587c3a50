#!/usr/bin/env python3
"""Runs Jupyter notebooks' code cells in order, without Jupyter.

    python3 run_notebook.py water-quality.ipynb [grid-governance.ipynb ...]

Each notebook runs in a fresh namespace, in the notebook's own folder (as Jupyter runs it), with that folder on
sys.path. A cell's last expression is printed, as Jupyter would show it. The first exception stops the notebook:
the runner prints the cell number, the error and the traceback inside the cell, and exits with status 1.
Only the standard library is used; IPython syntax (%magics, !shell) is refused with the cell number.

    python3 run_notebook.py --check-cleared *.ipynb

checks instead that the notebooks are committed without outputs (no outputs, no execution counts).
"""

import ast
import json
import linecache
import os
import sys
import traceback


class NotebookError(Exception):
    """A notebook that cannot be read, or a cell that failed."""


def load_notebook(path):
    try:
        with open(path, encoding="utf-8") as f:
            notebook = json.load(f)
    except (OSError, ValueError) as e:
        raise NotebookError(f"{path}: not a readable notebook: {e}") from e
    if notebook.get("nbformat") != 4:
        raise NotebookError(f"{path}: nbformat {notebook.get('nbformat')!r} (this runner reads nbformat 4)")
    language = notebook.get("metadata", {}).get("kernelspec", {}).get("language", "python")
    if language != "python":
        raise NotebookError(f"{path}: kernel language {language!r} (this runner runs Python)")
    return notebook


def cell_source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def code_cells(notebook):
    """(number, source) of every code cell; numbers count code cells from 1, as Jupyter's In [n] would."""
    cells = [c for c in notebook.get("cells", []) if c.get("cell_type") == "code"]
    return [(n, cell_source(c)) for n, c in enumerate(cells, start=1)]


def compile_cell(number, source, filename):
    for line_number, line in enumerate(source.splitlines(), start=1):
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            raise NotebookError(f"cell {number}, line {line_number}: IPython syntax the runner cannot execute: {stripped}")
    # Tracebacks show the cell's lines: linecache serves them under the cell's pseudo file name.
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    tree = ast.parse(source, filename=filename, mode="exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    return compile(tree, filename, "exec"), (compile(last, filename, "eval") if last is not None else None)


def run_notebook(path, out=sys.stdout):
    """Runs every code cell; raises NotebookError naming the cell that failed."""
    notebook = load_notebook(path)
    folder = os.path.dirname(os.path.abspath(path))
    name = os.path.basename(path)
    namespace = {"__name__": "__main__", "__file__": os.path.abspath(path)}
    previous_cwd, previous_path = os.getcwd(), list(sys.path)
    os.chdir(folder)
    sys.path.insert(0, folder)
    try:
        for number, source in code_cells(notebook):
            if not source.strip():
                continue
            filename = f"<{name} cell {number}>"
            print(f"--- {name} cell {number} ---", file=out, flush=True)
            try:
                body, last = compile_cell(number, source, filename)
                exec(body, namespace)
                if last is not None:
                    value = eval(last, namespace)
                    if value is not None:
                        print(repr(value), file=out, flush=True)
            except NotebookError:
                raise
            except BaseException as e:  # noqa: BLE001 - any failure of a cell (even SystemExit) stops the notebook
                frames = traceback.extract_tb(e.__traceback__)
                # Drop the runner's own frames: the reader wants the cell's lines and what they called.
                frames = [f for f in frames if f.filename != __file__]
                detail = "".join(traceback.format_list(frames)) + "".join(traceback.format_exception_only(type(e), e))
                raise NotebookError(f"{name}: cell {number} failed: {type(e).__name__}: {e}\n{detail}") from e
            finally:
                sys.stdout.flush()
    finally:
        os.chdir(previous_cwd)
        sys.path[:] = previous_path


def uncleared_cells(path):
    """Descriptions of code cells that carry outputs or execution counts."""
    problems = []
    for number, cell in enumerate((c for c in load_notebook(path).get("cells", []) if c.get("cell_type") == "code"), start=1):
        if cell.get("outputs"):
            problems.append(f"{path}: cell {number} has outputs")
        if cell.get("execution_count") is not None:
            problems.append(f"{path}: cell {number} has execution count {cell['execution_count']}")
    return problems


def main(argv):
    args = list(argv)
    check_cleared = "--check-cleared" in args
    if check_cleared:
        args.remove("--check-cleared")
    if not args or any(a.startswith("-") for a in args):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        if check_cleared:
            problems = [p for path in args for p in uncleared_cells(path)]
            for problem in problems:
                print(problem, file=sys.stderr)
            if not problems:
                print(f"{len(args)} notebook(s) have no outputs")
            return 1 if problems else 0
        for path in args:
            run_notebook(path)
            print(f"=== {os.path.basename(path)}: every cell ran ===", flush=True)
        return 0
    except NotebookError as e:
        print(f"FAILED {e}", file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
