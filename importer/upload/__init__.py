"""The upload stage: send valid customers to the Customer API in batches."""

from importer.upload.batches import BatchOutcome, Outgoing
from importer.upload.errors import ApiUnreachable, CertificateRejected, CredentialsRejected
from importer.upload.journal import Journal, NullJournal
from importer.upload.progress import Collector, NullCollector
from importer.upload.retry import Clock
from importer.upload.run_journal import SqliteJournal
from importer.upload.sender import CustomerSender
from importer.upload.settings import ConnectionSettings, SendSettings

__all__ = [
    "ApiUnreachable",
    "BatchOutcome",
    "CertificateRejected",
    "Clock",
    "Collector",
    "ConnectionSettings",
    "CredentialsRejected",
    "CustomerSender",
    "Journal",
    "NullCollector",
    "NullJournal",
    "Outgoing",
    "SendSettings",
    "SqliteJournal",
]
