"""Settings of one sandbox: its tenants, its storage and the faults it injects."""

from __future__ import annotations

from dataclasses import dataclass, field

DEMO_TENANT = "demo"
DEMO_TOKEN = "demo-token"


@dataclass(frozen=True, slots=True)
class FaultSettings:
    """Faults the sandbox injects into Customer API requests.

    Rates are probabilities between 0 and 1, drawn for each request from a
    random generator seeded with ``seed`` (unseeded when it is None). So a run
    with the same seed and the same requests gets the same faults.
    """

    seed: int | None = None
    rate_limit: float | None = None
    """Requests per second allowed per tenant; None means no limit."""
    fail_rate: float = 0.0
    """Probability of responding 503 instead of handling the request."""
    latency_ms: int = 0
    """Delay added before every Customer API request is handled, in milliseconds."""
    max_batch: int | None = None
    """Largest batch ``upload-customers`` accepts; a larger one gets 413."""
    drop_after_store_rate: float = 0.0
    """Probability of closing the connection without a response after a batch is stored."""

    def __post_init__(self) -> None:
        for name in ("fail_rate", "drop_after_store_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, not {getattr(self, name)}.")
        if self.rate_limit is not None and self.rate_limit <= 0:
            raise ValueError(f"rate_limit must be above 0, not {self.rate_limit}.")
        if self.latency_ms < 0:
            raise ValueError(f"latency_ms must be 0 or more, not {self.latency_ms}.")
        if self.max_batch is not None and self.max_batch < 1:
            raise ValueError(f"max_batch must be 1 or more, not {self.max_batch}.")


@dataclass(frozen=True, slots=True)
class SandboxSettings:
    """Everything ``create_app`` needs to build a sandbox."""

    tenants: dict[str, str] = field(default_factory=lambda: {DEMO_TENANT: DEMO_TOKEN})
    """Access token of each tenant key."""
    db_path: str | None = None
    """SQLite file that keeps the customers between runs; None keeps them in memory."""
    faults: FaultSettings = field(default_factory=FaultSettings)

    def __post_init__(self) -> None:
        if not self.tenants:
            raise ValueError("A sandbox needs at least one tenant.")
        if any(not key or not token for key, token in self.tenants.items()):
            raise ValueError("Every tenant needs a non-empty key and access token.")
        tokens = list(self.tenants.values())
        if len(set(tokens)) != len(tokens):
            # A token identifies its tenant: that is how a token of another tenant gets 403.
            raise ValueError("Two tenants share an access token; give each tenant its own token.")
