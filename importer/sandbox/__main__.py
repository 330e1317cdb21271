"""Run the sandbox with ``python -m importer.sandbox``, as ``twc-import sandbox`` does."""

from importer.sandbox.cli import sandbox_command

if __name__ == "__main__":
    sandbox_command(prog_name="twc-import sandbox")
