"""Adds ``ses_stack_node.pth`` to the wheel's root: at interpreter start it points jsii at the bundled Node.js
(``ses_stack/_node_hook.py``), so a library user's app never runs jsii on an end-of-life Node, whatever it imports
first. Everything else is in pyproject.toml."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PTH = "ses_stack_node.pth"


class BuildPyWithPth(build_py):
    def run(self) -> None:
        super().run()
        self.copy_file(PTH, str(Path(self.build_lib) / PTH))


setup(cmdclass={"build_py": BuildPyWithPth})
