"""The headless core imports no UI and no database (harlequin's rule)."""

import subprocess
import sys


def test_core_imports_no_ui_or_database():
    code = (
        "import sys; import bei_assistant.core.engine, bei_assistant.core.learn, bei_assistant.core.measures, "
        "bei_assistant.coding; "
        "bad = [m for m in ('textual', 'sqlmodel', 'sqlalchemy') if m in sys.modules]; print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_command_line_loads_the_database_layer_only_for_session_commands():
    """``bei code`` starts many times in scripts; the database layer is loaded by the commands
    that use it, when they run."""
    code = (
        "import sys; from bei_assistant.cli.main import build_parser; build_parser(); "
        "bad = [m for m in ('textual', 'sqlmodel', 'sqlalchemy') if m in sys.modules]; print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
