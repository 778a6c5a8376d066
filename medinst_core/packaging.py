"""The packaging convention of dataset plugins, applied and checked.

A plugin's pyproject.toml is generated from :data:`TEMPLATE`, keeping what is
the plugin's own: name, version, description, keywords, dependencies (a
``medinst-core`` requirement is added when there is none), the
``[project.optional-dependencies]`` table as written, and the entry point.
Next to it a plugin has LICENSE (the project's Apache-2.0 text), MANIFEST.in
(the package folder with its tasks/ and samples/, tests/ in the sdist), a
``py.typed`` marker in its package, and a README whose links are absolute (it
is the package's page on an index).  ``scripts/plugin_packaging.py`` applies
the convention to plugins/ (``--check`` lists what does not follow it);
``medinst new-plugin`` writes plugins that follow it.

The project's URLs are one setting, :data:`REPOSITORY` and :data:`HOMEPAGE`
(placeholders until a release sets them): every plugin's ``[project.urls]``
and the core's own (:func:`core_urls`) are written from them, and the checks
fail when a file disagrees.  The relative links of plugin READMEs are made
absolute with :data:`REPOSITORY` (links already absolute are left as they are,
except those under the placeholder repository, :data:`PLACEHOLDER_REPOSITORY`,
which are moved to :data:`REPOSITORY` once a release sets it).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

#: the project's source repository and home page: placeholders, set once here by a release
#: (then ``python scripts/plugin_packaging.py`` rewrites every file that names them)
REPOSITORY = "https://github.com/medinst/medinst"
#: the repository URL the files were written with before a release set :data:`REPOSITORY`
PLACEHOLDER_REPOSITORY = "https://github.com/medinst/medinst"
HOMEPAGE = "https://medinst.dev"
AUTHORS = "The medinst contributors"
SETUPTOOLS = "setuptools>=77"
CORE_REQUIREMENT = "medinst-core>=0.1"

CLASSIFIERS = [
    "Development Status :: 3 - Alpha",
    "Intended Audience :: Science/Research",
    "Operating System :: OS Independent",
    "Programming Language :: Python :: 3",
    "Programming Language :: Python :: 3 :: Only",
    "Topic :: Scientific/Engineering :: Artificial Intelligence",
    "Topic :: Scientific/Engineering :: Bio-Informatics",
    "Topic :: Text Processing :: Linguistic",
]

TEMPLATE = """\
[build-system]
requires = [{setuptools}]
build-backend = "setuptools.build_meta"

[project]
name = {name}
version = {version}
description = {description}
readme = "README.md"
requires-python = ">=3.10"
license = "Apache-2.0"
license-files = ["LICENSE"]
authors = [{{ name = {authors} }}]
keywords = {keywords}
classifiers = {classifiers}
dependencies = {dependencies}
{optional}
[project.urls]
Homepage = {homepage}
Source = {source}
Issues = {issues}

[project.entry-points.medinst]
{entry_name} = {entry_module}

# the package with its data folders (tasks/, samples/: namespace packages,
# their files listed in MANIFEST.in); tests/ goes into the sdist only
[tool.setuptools]
include-package-data = true

[tool.setuptools.packages.find]
include = [{package}, {package_glob}]
"""

MANIFEST = """\
graft {package}
graft tests
include LICENSE README.md
global-exclude *.py[cod] __pycache__
"""


def license_text() -> str:
    """The project's licence (Apache-2.0), as in the repository's LICENSE."""
    from importlib import resources

    return resources.files("medinst_core.scaffold").joinpath("LICENSE.tmpl").read_text(encoding="utf-8")


def q(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def qlist(values: list[str], multiline: bool = False) -> str:
    if multiline:
        return "[\n" + "".join(f"    {q(v)},\n" for v in values) + "]"
    return "[" + ", ".join(q(v) for v in values) + "]"


def _optional_section(text: str) -> str:
    """The ``[project.optional-dependencies]`` table as written (with its comments)."""
    m = re.search(r"^\[project\.optional-dependencies\]\n(.*?)(?=^\[|\Z)", text, re.S | re.M)
    return "\n[project.optional-dependencies]\n" + m.group(1).rstrip("\n") + "\n" if m else ""


def expected_pyproject(data: dict, plugin_dir: Path, text: str = "") -> str:
    project = data["project"]
    [(entry_name, entry_module)] = project["entry-points"]["medinst"].items()
    package = entry_module.split(".")[0] if entry_module.split(".")[0] else entry_module
    deps = list(project.get("dependencies", []))
    if not any(re.match(r"medinst-core\b", d) for d in deps):
        deps.insert(0, CORE_REQUIREMENT)
    optional = project.get("optional-dependencies") or {}
    opt = _optional_section(text)
    if optional and not opt:
        opt = "\n[project.optional-dependencies]\n" + "".join(f"{k} = {qlist(v)}\n" for k, v in optional.items())
    return TEMPLATE.format(
        setuptools=q(SETUPTOOLS), name=q(project["name"]), version=q(project["version"]),
        description=q(project["description"]), authors=q(AUTHORS), keywords=qlist(project.get("keywords", [])),
        classifiers=qlist(CLASSIFIERS, multiline=True), dependencies=qlist(deps), optional=opt,
        homepage=q(HOMEPAGE), source=q(f"{REPOSITORY}/tree/main/plugins/{plugin_dir.name}"),
        issues=q(f"{REPOSITORY}/issues"), entry_name=entry_name, entry_module=q(entry_module),
        package=q(package), package_glob=q(package + ".*"),
    )


def absolute_links(text: str, plugin_dir: Path) -> str:
    """Relative Markdown links of a plugin README made absolute (to the repository)."""
    def fix(m: re.Match) -> str:
        target = m.group(2)
        if REPOSITORY != PLACEHOLDER_REPOSITORY and target.startswith(PLACEHOLDER_REPOSITORY + "/"):
            return f"{m.group(1)}({REPOSITORY}{target[len(PLACEHOLDER_REPOSITORY):]})"
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", target):
            return m.group(0)
        resolved = (Path("plugins") / plugin_dir.name / target).as_posix()
        parts: list[str] = []
        for p in resolved.split("/"):
            if p == "..":
                parts.pop()
            elif p and p != ".":
                parts.append(p)
        return f"{m.group(1)}({REPOSITORY}/blob/main/{'/'.join(parts)})"

    return re.sub(r"(\[[^\]]*\])\(([^)\s]+)\)", fix, text)


def _toml(text: str) -> dict[str, Any]:
    import tomllib  # type: ignore[import-not-found,unused-ignore]  # Python 3.11+: checking and applying are development tasks

    return tomllib.loads(text)


def problems(plugin_dir: Path) -> list[str]:
    """What ``plugin_dir`` lacks of the convention ('' list when it follows it)."""
    found = []
    path = plugin_dir / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    data = _toml(text)
    if text != expected_pyproject(data, plugin_dir, text):
        found.append("pyproject.toml does not follow the template (run python scripts/plugin_packaging.py)")
    if not (plugin_dir / "LICENSE").is_file() or (plugin_dir / "LICENSE").read_text(encoding="utf-8") != license_text():
        found.append("LICENSE missing or not the project's (Apache-2.0)")
    [(_, module)] = data["project"]["entry-points"]["medinst"].items()
    manifest = plugin_dir / "MANIFEST.in"
    if not manifest.is_file() or manifest.read_text(encoding="utf-8") != MANIFEST.format(package=module.split(".")[0]):
        found.append("MANIFEST.in missing or not the template's")
    if not (plugin_dir / module.split(".")[0] / "py.typed").is_file():
        found.append("the package has no py.typed")
    readme = plugin_dir / "README.md"
    if readme.is_file() and absolute_links(readme.read_text(encoding="utf-8"), plugin_dir) != readme.read_text(encoding="utf-8"):
        found.append("README.md has relative links (they break on an index page) or links to the placeholder repository")
    return found


def apply(plugin_dir: Path, data: dict[str, Any] | None = None) -> None:
    """Make ``plugin_dir`` follow the convention (``data``: its pyproject.toml
    as parsed, when the caller has it)."""
    path = plugin_dir / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    data = data if data is not None else _toml(text)
    path.write_text(expected_pyproject(data, plugin_dir, text), encoding="utf-8")
    (plugin_dir / "LICENSE").write_text(license_text(), encoding="utf-8")
    [(_, module)] = data["project"]["entry-points"]["medinst"].items()
    (plugin_dir / "MANIFEST.in").write_text(MANIFEST.format(package=module.split(".")[0]), encoding="utf-8")
    (plugin_dir / module.split(".")[0] / "py.typed").touch()
    readme = plugin_dir / "README.md"
    if readme.is_file():
        readme.write_text(absolute_links(readme.read_text(encoding="utf-8"), plugin_dir), encoding="utf-8")


def core_urls(text: str) -> str:
    """The core's pyproject.toml ``text`` with its ``[project.urls]`` table
    written from :data:`HOMEPAGE` and :data:`REPOSITORY`."""
    table = f"[project.urls]\nHomepage = {q(HOMEPAGE)}\nSource = {q(REPOSITORY)}\nIssues = {q(REPOSITORY + '/issues')}\n"
    new, n = re.subn(r"^\[project\.urls\]\n(?:[^\[\n][^\n]*\n|\n(?=[^\[]))*", lambda _: table, text, count=1, flags=re.M)
    if n == 0:
        raise ValueError("the core's pyproject.toml has no [project.urls] table")
    return new
