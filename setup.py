"""The build step pyproject.toml cannot declare: the project's migrations/ and seeds/ (the bundled company pack)
stay at the top of the checkout and are copied into the built package as bot/migrations and bot/seeds, where
`bot.settings.bundled` finds them once installed. Everything else is configured in pyproject.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
CARRIED = ("migrations", "seeds")  # top-level folders the package carries


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        for name in CARRIED:
            target = Path(self.build_lib) / "bot" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(HERE / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithData})
