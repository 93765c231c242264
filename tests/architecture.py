"""The import contract of ARCHITECTURE.md, read from the source with `ast` (nothing is imported).

`violations(root)` lists every broken rule of the tree at `root`; tests/test_architecture.py runs it
on the repository and on copies with a deliberate mistake in them.
"""

from __future__ import annotations

import ast
import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

# Heavy libraries and their one home (a path prefix under the repository root).
HEAVY_HOMES = {
    "reportlab": "showcase/programmes/",
    "pypdf": "showcase/programmes/",
    "qrcode": "showcase/programmes/qr.py",
    "vlc": "playlists/kiosk/player.py",
    "Xlib": "playlists/kiosk/screen.py",
    "openpyxl": "showcase/films/csvio/xlsx.py",
}
# The kiosk runs on a venue machine with playlists and python-vlc only.
NOT_IN_PLAYLISTS = ("showcase", "flask", "flask_login", "flask_wtf", "flask_sqlalchemy", "sqlalchemy", "werkzeug")
# Modules directly in showcase/ that assemble the app from every package; the other top-level modules
# are the core every package may use, and import no domain package.
ASSEMBLERS = {"showcase", "showcase.app", "showcase.cli", "showcase.models"}
# The request's globals: only the edge (views, routes, the kiosk API) and the request machinery read them.
REQUEST_GLOBALS = {("flask", "request"), ("flask", "session"), ("flask", "flash"), ("flask_login", "current_user")}
REQUEST_MACHINERY = {
    "showcase.auth.access",  # the before_request hook that enforces each route's access
    "showcase.auth.throttle",  # the sign-in throttle reads the device cookie
    "showcase.guests.caching",  # the session interface of cacheable guest pages
    "showcase.guests.render_cache",  # keyed by the request's path and language
}
# Standard-library modules that exist on some platforms only: imported where they are used.
PLATFORM_ONLY = {"termios", "tty", "msvcrt"}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. showcase.films.views
    target: str  # what it imports, e.g. showcase.films.services (a name imported from a module counts)
    line: int
    inline: bool  # inside a function: runs when called, not at import time
    typing_only: bool  # under `if TYPE_CHECKING:`


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:  # relative: resolve against the importing module's package
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, base] if base else package)
    return [f"{base}.{alias.name}" for alias in node.names]  # a name or a module: resolved later


class _Visitor(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool) -> None:
        self.module, self.is_package = module, is_package
        self.depth = 0
        self.typing = 0
        self.found: list[Import] = []

    def _function(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_If(self, node: ast.If) -> None:
        test = ast.unparse(node.test)
        typing = test in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        self.typing += typing
        for child in node.body:
            self.visit(child)
        self.typing -= typing
        for child in node.orelse:
            self.visit(child)

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        for target in _targets(node, self.module, self.is_package):
            self.found.append(Import(self.module, target, node.lineno, self.depth > 0, self.typing > 0))

    visit_Import = visit_ImportFrom = _import


# Both read a module once per source text: the tests check copies of the same tree many times.
@functools.lru_cache(maxsize=2048)
def _imports_in(name: str, is_package: bool, source: str) -> tuple[Import, ...]:
    visitor = _Visitor(name, is_package)
    visitor.visit(ast.parse(source))
    return tuple(visitor.found)


@functools.lru_cache(maxsize=2048)
def _session_ends_in(source: str) -> tuple[tuple[int, str], ...]:
    return tuple(
        (node.lineno, ast.unparse(node.func))
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("commit", "rollback")
        and SESSION_END.search(ast.unparse(node.func))
    )


def read_imports(root: Path) -> tuple[dict[str, Path], list[Import]]:
    """Every module of showcase/ and playlists/ under `root`, and every import statement in them."""
    modules: dict[str, Path] = {}
    imports: list[Import] = []
    for top in ("showcase", "playlists"):
        for path in sorted((root / top).rglob("*.py")):
            name = module_name(root, path)
            modules[name] = path
            imports.extend(_imports_in(name, path.name == "__init__.py", path.read_text(encoding="utf-8")))
    return modules, imports


def _project_module(target: str, modules: dict[str, Path]) -> str | None:
    """The project module a target names (`showcase.films.services.get_film` → showcase.films.services)."""
    parts = target.split(".")
    while parts:
        name = ".".join(parts)
        if name in modules:
            return name
        parts.pop()
    return None


def domain_packages(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "showcase").iterdir() if (p / "__init__.py").is_file())


def package_of(module: str, packages: set[str]) -> str | None:
    """The domain package of a showcase module (None for the core and assembler modules)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "showcase" and parts[1] in packages else None


def package_graph(root: Path) -> dict[str, set[str]]:
    """Domain package → the domain packages it imports (at import time, inline, or for typing)."""
    modules, imports = read_imports(root)
    packages = set(domain_packages(root))
    graph: dict[str, set[str]] = {name: set() for name in packages}
    for imp in imports:
        source, target = package_of(imp.module, packages), _project_module(imp.target, modules)
        dest = package_of(target, packages) if target else None
        if source and dest and source != dest:
            graph[source].add(dest)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def _heavy_modules(modules: dict[str, Path], imports: list[Import]) -> set[str]:
    """Project modules that load a heavy library when imported (directly or through other modules)."""
    direct: dict[str, set[str]] = defaultdict(set)
    heavy = set()
    for imp in imports:
        if imp.inline or imp.typing_only:
            continue
        if imp.target.split(".")[0] in HEAVY_HOMES:
            heavy.add(imp.module)
        target = _project_module(imp.target, modules)
        if target and target != imp.module:
            direct[imp.module].add(target)
    changed = True
    while changed:
        changed = False
        for module, targets in direct.items():
            if module not in heavy and targets & heavy:
                heavy.add(module)
                changed = True
    return heavy


def _inline_allowed(imp: Import, modules: dict[str, Path], heavy: set[str]) -> bool:
    """An import inside a function needs one of the reasons ARCHITECTURE.md gives."""
    if imp.module in ASSEMBLERS or imp.module.endswith(".commands"):
        return True  # the factory and the CLI import a command's or a blueprint's work when it runs
    top = imp.target.split(".")[0]
    if top in HEAVY_HOMES or top in PLATFORM_ONLY:
        return True
    target = _project_module(imp.target, modules)
    return target in heavy  # a module that loads a heavy library, when first needed


def _module_cycles(modules: dict[str, Path], imports: list[Import]) -> list[list[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for imp in imports:
        target = _project_module(imp.target, modules)
        if not imp.inline and not imp.typing_only and target and target != imp.module:
            # `from showcase.films import views` names a module; `from showcase.films import x` a package
            graph[imp.module].add(target)
    for module in modules:
        graph.setdefault(module, set())
    # a package's __init__ is imported by each of its modules: leave that edge out
    for module, targets in graph.items():
        targets.difference_update({t for t in targets if module.startswith(t + ".")})
    return cycles(graph)


SESSION_END = re.compile(r"(?:^|\.)session\.(commit|rollback)$")


def _session_ends(root: Path, modules: dict[str, Path]) -> list[str]:
    found = []
    for name, path in modules.items():
        if not name.startswith("showcase.") or name == "showcase.unit_of_work":
            continue
        for line, call in _session_ends_in(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(root)}:{line}: {call}()")
    return found


def violations(root: Path) -> list[str]:
    """Every broken rule of the import contract in the tree at `root`, one line each."""
    modules, imports = read_imports(root)
    packages = set(domain_packages(root))
    heavy = _heavy_modules(modules, imports)
    problems: list[str] = []
    for imp in imports:
        where = f"{modules[imp.module].relative_to(root)}:{imp.line}"
        top = imp.target.split(".")[0]
        if imp.module.split(".")[0] == "playlists" and top in NOT_IN_PLAYLISTS:
            problems.append(f"{where}: playlists imports {imp.target} (the kiosk has playlists and vlc only)")
        home = HEAVY_HOMES.get(top)
        if home and not str(modules[imp.module].relative_to(root)).startswith(home):
            problems.append(f"{where}: {top} is imported outside its home {home}")
        target = _project_module(imp.target, modules)
        if (
            imp.module.startswith("showcase.")
            and imp.module not in ASSEMBLERS
            and package_of(imp.module, packages) is None
            and target
            and package_of(target, packages)
        ):
            problems.append(f"{where}: core module {imp.module} imports the domain package module {target}")
        if imp.inline and not _inline_allowed(imp, modules, heavy):
            problems.append(f"{where}: inline import of {imp.target} without a reason ARCHITECTURE.md allows")
        name = imp.target.rsplit(".", 1)
        if tuple(name) in REQUEST_GLOBALS and _reads_no_request(imp.module, packages):
            problems.append(f"{where}: {imp.module} reads {name[1]} (only views, routes and the kiosk API may)")
    for component in cycles(package_graph(root)):
        problems.append(f"package cycle: {' ↔ '.join(component)}")
    for component in _module_cycles(modules, imports):
        problems.append(f"module import cycle: {' ↔ '.join(component)}")
    problems.extend(f"{end}: only showcase/unit_of_work.py ends a transaction" for end in _session_ends(root, modules))
    return problems


def _reads_no_request(module: str, packages: set[str]) -> bool:
    """Whether `module` must not read the request's globals: every domain module but the edge."""
    if package_of(module, packages) is None or module in REQUEST_MACHINERY:
        return False
    leaf = module.rsplit(".", 1)[-1]
    return not (leaf.endswith("views") or leaf in ("routes", "api"))


def render_graph(graph: dict[str, set[str]]) -> str:
    """The package graph as ARCHITECTURE.md shows it: one line per package, lowest first."""
    order: list[str] = []
    remaining = {name: set(deps) for name, deps in graph.items()}
    while remaining:  # a topological order; ties alphabetical (the graph is acyclic when the test passes)
        ready = sorted(name for name, deps in remaining.items() if not deps - set(order)) or sorted(remaining)[:1]
        for name in ready:
            order.append(name)
            del remaining[name]
    width = max(len(name) for name in order)
    return "\n".join(f"{name:<{width}} → {', '.join(sorted(graph[name])) or '(core only)'}" for name in order)
