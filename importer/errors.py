"""The exception hierarchy shared by every stage, and the exit statuses.

::

    TwcImportError
    ├── ConfigurationError      exit 2: bad option, mapping or input; nothing processed
    │   ├── MappingError        (importer.mapping.errors)
    │   └── SourceError         (importer.sources.errors)
    └── RunAborted              exit 3: the run stopped part way and can be resumed
        ├── CredentialsRejected (importer.upload.errors)
        └── ApiUnreachable      (importer.upload.errors)

``TransientError`` and ``TerminalError`` are markers: retry code decides by
``isinstance`` whether another attempt can help.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_ROWS_REJECTED = 1
EXIT_CONFIGURATION = 2
EXIT_ABORTED = 3


class TwcImportError(Exception):
    """Base class of every error the importer raises on purpose."""

    exit_code = EXIT_ABORTED


class TransientError(TwcImportError):
    """Marker: the same request may succeed if it is tried again later."""


class TerminalError(TwcImportError):
    """Marker: trying again cannot help; the run has to stop."""


class ConfigurationError(TerminalError):
    """The command, its options, the mapping or an input cannot be used."""

    exit_code = EXIT_CONFIGURATION


class RunAborted(TerminalError):
    """The run stopped before every row was processed."""

    exit_code = EXIT_ABORTED
