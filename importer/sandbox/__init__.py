"""A local sandbox of the TWC Customer API, started by ``twc-import sandbox``.

Entry points: ``importer.sandbox.app.create_app`` builds the ASGI app,
``importer.sandbox.server.run_sandbox`` serves it with uvicorn, and
``importer.sandbox.cli.sandbox_command`` is the click command.
"""
