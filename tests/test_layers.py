"""The apps' dependencies point one way (README, "How it fits together").

Every module of the project belongs to a layer, by the longest matching prefix;
a module may import its own layer and the layers below it, never above.
Sibling apps on one layer (the portal and the dashboard) stay independent.
The graph is built by grimp, import-linter's engine, from the source itself.
"""

import ast
from pathlib import Path

import grimp
import pytest

# Lowest first.
LAYERS = [
    (
        "foundation",
        [
            "helpdesk.counters",
            "helpdesk.links",
            "helpdesk.numbers",
            "helpdesk.search",
            "helpdesk.subjects",
            "helpdesk.channels",
            "helpdesk.hijri",
            "helpdesk.labels",
            "helpdesk.dates",
            "helpdesk.roles",
            "helpdesk.reference",
            "helpdesk.background",
            "helpdesk.event_relay",
            "sla.business_calendar",
            "sla.calendar_blocks",
            "sla.calendar_text",
            "sla.rules",
            "sla.hijri_rules",
        ],
    ),
    # The service policies and their acknowledgements: signing a person in
    # (customers.auth) asks whether one waits for them.
    ("policy records", ["policies.models"]),
    # The tone assistant: rules over the foundation's normalisation; the
    # composers include its template, never its code.
    ("tone assistant", ["tone"]),
    ("customers", ["customers"]),
    ("ticket records", ["tickets.models", "tickets.permissions", "tickets.history"]),
    # The mailboxes and the signed reply addresses, which the outbox uses.
    ("mail records", ["mail.models", "mail.addresses"]),
    # The registers' numbers, which logging a letter or fax hands out.
    ("register records", ["registers.models", "registers.services"]),
    ("service levels", ["sla"]),
    # The customers' admin edits email and tier through the ticket verbs.
    ("ticket work", ["tickets", "customers.admin"]),
    ("email channel", ["mail"]),
    # The records office's registers of letters in and out, over the tickets.
    ("registers", ["registers"]),
    # Letter templates, and the letters written, approved and dispatched from them.
    ("letters", ["letters"]),
    # Memos to other departments, each with a clock owed by the addressed queue.
    ("memos", ["memos"]),
    # Service policies (versions, acknowledgements, the texts that follow
    # them) and the follow-ups of low ratings, which the portal opens.
    ("policies and feedback", ["policies", "feedback"]),
    # The knowledge base: articles, their versions and files, feedback and
    # deflections; the web form and the dashboard show its suggestions and figures.
    ("knowledge base", ["knowledge"]),
    ("customers' and supervisors' pages", ["portal", "dashboard"]),
    # The REST API for integrations, over the ticket verbs; only the project's
    # URLs import it.
    ("integrations API", ["api"]),
    # Webhooks: ticket events relayed to subscribed URLs, in the API's shape.
    ("webhooks", ["webhooks"]),
    ("demo data", ["demo"]),
    ("project", ["helpdesk"]),
]
INDEPENDENT = [("portal", "dashboard")]
PACKAGES = [
    "helpdesk",
    "customers",
    "sla",
    "tickets",
    "mail",
    "registers",
    "letters",
    "memos",
    "policies",
    "feedback",
    "tone",
    "knowledge",
    "portal",
    "dashboard",
    "api",
    "webhooks",
    "demo",
]


@pytest.fixture(scope="module")
def graph():
    # Imports only for type hints (`if TYPE_CHECKING:`) add no dependency.
    return grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True)


def _layer(module: str) -> tuple[int, str]:
    best = None
    for rank, (name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            matches = module == prefix or module.startswith(prefix + ".")
            if matches and (best is None or len(prefix) > best[2]):
                best = (rank, name, len(prefix))
    assert best is not None, f"{module} belongs to no layer: add it to LAYERS"
    return best[0], best[1]


def _imports(graph):
    for module in sorted(graph.modules):
        if ".migrations." in module:
            continue  # migrations name models by app label, not by import
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.split(".")[0] in PACKAGES and ".migrations." not in imported:
                yield module, imported


def test_no_app_imports_a_layer_above_it(graph):
    upward = []
    for module, imported in _imports(graph):
        (rank, name), (their_rank, their_name) = _layer(module), _layer(imported)
        if their_rank > rank:
            upward.append(f"{module} ({name}) imports {imported} ({their_name})")

    assert upward == []


def test_the_portal_and_the_dashboard_do_not_know_each_other(graph):
    crossing = [
        f"{module} imports {imported}"
        for module, imported in _imports(graph)
        for a, b in INDEPENDENT
        if {module.split(".")[0], imported.split(".")[0]} == {a, b}
    ]

    assert crossing == []


def _project_imports():
    """(path, node, module, top-level?) for every `from project.x import …`."""
    for package in PACKAGES:
        for path in sorted(Path(package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text())
            in_functions = {
                id(inner)
                for node in ast.walk(tree)
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                for inner in ast.walk(node)
            }
            for node in ast.walk(tree):
                if not isinstance(node, ast.ImportFrom):
                    continue
                module = node.module or ""
                if node.level:  # relative: within the importing package
                    base = list(path.with_suffix("").parts)[: -node.level]
                    module = ".".join([*base, module] if module else base)
                if module.split(".")[0] in PACKAGES:
                    yield path, module, node, id(node) not in in_functions


def test_no_app_imports_another_apps_private_names():
    private = [
        f"{path}:{node.lineno}: {module} {alias.name}"
        for path, module, node, _ in _project_imports()
        for alias in node.names
        if alias.name.startswith("_") and module.split(".")[0] != path.parts[0]
    ]

    assert private == []


def test_project_modules_are_imported_at_the_top_not_inside_functions():
    # An import inside a function is how a cycle hides; the layers above
    # leave no cycle to hide.
    hidden = [
        f"{path}:{node.lineno}: {module}"
        for path, module, node, top in _project_imports()
        if not top
    ]

    assert hidden == []
