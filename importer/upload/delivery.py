"""Delivery of one batch: retries, splitting, rejected customers and unknown outcomes.

A batch is sent as one request. The API's response may split it into smaller
parts that are sent in turn, in input order:

- 413: the part is sent again as two halves.
- 400 listing invalid customers by index: those are rejected and the others
  are sent again. A 400 without that list splits the part in halves until the
  invalid customers are alone, and each of them is rejected.
- No response after the body was sent, 502 or 504: the API may have stored the
  customers, so they are looked up by email, and only the missing ones are
  sent again. No customer is created twice.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import httpx
from tenacity import Retrying

from importer.errors import RunAborted
from importer.upload.batches import Batch, BatchOutcome, EncodedCustomer, body_size, encode_body
from importer.upload.client import CustomerApi
from importer.upload.errors import (
    ApiUnreachable,
    CredentialsRejected,
    EndpointNotFound,
    RequestFailed,
    RetryableStatus,
    SendStopped,
    describe_status,
)
from importer.upload.journal import Journal
from importer.upload.progress import Collector
from importer.upload.responses import per_customer_errors, response_message
from importer.upload.retry import (
    AMBIGUOUS_STATUSES,
    RETRYABLE_STATUSES,
    Clock,
    RetryBudget,
    build_retrying,
    parse_retry_after,
)
from importer.upload.settings import SendSettings

logger = logging.getLogger(__name__)

CREDENTIAL_STATUSES = frozenset({401, 403})


@dataclass
class _BatchState:
    """The progress of one batch's delivery: its id, retry budget and outcome so far."""

    batch_id: int
    budget: RetryBudget
    outcome: BatchOutcome


@dataclass
class _Part:
    """Customers of a batch sent in one request, and how that request is going."""

    customers: list[EncodedCustomer]
    outcome_unknown: bool = False
    attempts: int = 0


class BatchDelivery:
    """Delivers the batches of one ``CustomerSender.send`` call, each in the calling worker thread.

    Setting ``stopping`` makes every delivery raise ``SendStopped`` before its
    next request or during its next wait.
    """

    def __init__(
        self,
        api: CustomerApi,
        settings: SendSettings,
        *,
        clock: Clock,
        collector: Collector,
        journal: Journal,
        stopping: threading.Event,
    ) -> None:
        self._api = api
        self._settings = settings
        self._clock = clock
        self._collector = collector
        self._journal = journal
        self._stopping = stopping

        # The smallest number of customers that got a 413 response, shared by
        # all batches so that later batches are split before they are sent.
        self._too_large_count: int | None = None
        self._too_large_lock = threading.Lock()

        # The error that stopped the run. It is set before ``stopping``, so a
        # batch that raises SendStopped can be traced to it.
        self.abort_cause: RunAborted | None = None

    def deliver(self, batch: Batch) -> BatchOutcome:
        """Send one batch and return what became of each of its customers."""
        self._check_running()
        state = _BatchState(batch.batch_id, RetryBudget(self._clock), BatchOutcome(batch.batch_id))
        self._collector.batch_sent(batch.batch_id, len(batch.customers))

        try:
            customers = self._settle_earlier_runs(state, batch.customers)

            # A stack of parts: halves and remainders go on top, first part last,
            # so that customers are sent in input order.
            parts = [customers] if customers else []
            while parts:
                follow_ups = self._deliver_part(state, parts.pop())
                parts.extend(reversed(follow_ups))
        except RunAborted as exc:
            # Stop the other workers at once, before this thread takes the next batch.
            if self.abort_cause is None:
                self.abort_cause = exc
            self._stopping.set()
            raise

        return state.outcome

    def _deliver_part(self, state: _BatchState, customers: list[EncodedCustomer]) -> list[list[EncodedCustomer]]:
        """Send one part with retries and return the parts to send next."""
        size = body_size(customers)
        if size > self._settings.max_batch_bytes:
            # Only a single customer can be too large: batches and halves never are.
            message = (
                f"this customer alone makes a request body of {size} bytes, more than the "
                f"{self._settings.max_batch_bytes} bytes that max_batch_bytes allows"
            )
            self._fail(state, customers, message)
            return []

        if self._is_known_too_large(customers):
            return _halve(customers)

        part = _Part(customers)
        retrying = self._retrying(state, f"upload of {len(customers)} customers")
        try:
            response = retrying(self._upload_once, state, part)
        except RetryableStatus as exc:
            self._fail_after_retries(state, part, exc)
            return []
        except RequestFailed as exc:
            raise ApiUnreachable(self._api.connection.display_url, str(exc)) from exc

        if response is None:
            return []
        return self._handle_response(state, part.customers, response)

    def _upload_once(self, state: _BatchState, part: _Part) -> httpx.Response | None:
        """Make one attempt at sending a part. Returns None when the look-ups found every customer stored."""
        if part.outcome_unknown:
            part.customers = self._settle(state, part.customers)
            part.outcome_unknown = False
            if not part.customers:
                return None

        self._check_running()
        self._journal.record_sent(state.batch_id, [customer.key for customer in part.customers])
        part.attempts += 1

        try:
            response = self._api.upload_customers(encode_body(part.customers), self._sleep)
        except RequestFailed as exc:
            if exc.maybe_stored:
                self._mark_unknown(state, part, str(exc))
            raise

        if response.status_code in RETRYABLE_STATUSES:
            if response.status_code in AMBIGUOUS_STATUSES:
                self._mark_unknown(state, part, describe_status(response))
            raise self._retryable_status(response)
        return response

    def _handle_response(
        self, state: _BatchState, customers: list[EncodedCustomer], response: httpx.Response
    ) -> list[list[EncodedCustomer]]:
        """Record the final response to a part and return the parts to send next."""
        status = response.status_code
        if response.is_success:
            state.outcome.accepted.extend(customer.key for customer in customers)
            return []

        if status in CREDENTIAL_STATUSES:
            raise CredentialsRejected(self._api.connection.tenant, status)
        if status == 404:
            raise EndpointNotFound(self._api.connection.display_url, _without_query(response.request.url))
        if status == 413:
            return self._split_too_large(state, customers, response)
        if status == 400:
            return self._isolate_invalid(state, customers, response)

        message = f"the API responded with {describe_status(response)}"
        detail = response_message(response)
        self._fail(state, customers, f"{message}: {detail}" if detail else message)
        return []

    def _split_too_large(
        self, state: _BatchState, customers: list[EncodedCustomer], response: httpx.Response
    ) -> list[list[EncodedCustomer]]:
        if len(customers) == 1:
            message = (
                f"the API responded with {describe_status(response)} even for this customer alone "
                f"(a request body of {body_size(customers)} bytes)"
            )
            self._fail(state, customers, message)
            return []

        with self._too_large_lock:
            if self._too_large_count is None or len(customers) < self._too_large_count:
                self._too_large_count = len(customers)

        halves = _halve(customers)
        logger.info(
            "Batch %s: %s for %s customers; sending them again in halves of %s and %s",
            state.batch_id,
            describe_status(response),
            len(customers),
            len(halves[0]),
            len(halves[1]),
        )
        return halves

    def _is_known_too_large(self, customers: list[EncodedCustomer]) -> bool:
        # NOTE: a 413 may be caused by the body's size rather than the number of
        # customers, so this can split parts that would have fitted.
        with self._too_large_lock:
            limit = self._too_large_count
        return limit is not None and len(customers) >= limit > 1

    def _isolate_invalid(
        self, state: _BatchState, customers: list[EncodedCustomer], response: httpx.Response
    ) -> list[list[EncodedCustomer]]:
        errors = per_customer_errors(response, len(customers))
        if errors:
            return self._reject_listed(state, customers, errors)

        if len(customers) == 1:
            message = response_message(response) or f"the API responded with {describe_status(response)}"
            state.outcome.rejected.append((customers[0].key, message))
            return []

        halves = _halve(customers)
        logger.info(
            "Batch %s: HTTP 400 without per-customer errors for %s customers; "
            "sending them again in halves of %s and %s to find the invalid ones",
            state.batch_id,
            len(customers),
            len(halves[0]),
            len(halves[1]),
        )
        return halves

    def _reject_listed(
        self, state: _BatchState, customers: list[EncodedCustomer], errors: dict[int, list[str]]
    ) -> list[list[EncodedCustomer]]:
        """Reject the customers a 400 listed and return the others, to be sent again.

        NOTE: this assumes that a 400 stores nothing of the batch, as the sandbox
        does. An API that stored the valid customers would reject them as
        duplicates when they are sent again.
        """
        valid = []
        for index, customer in enumerate(customers):
            if index in errors:
                state.outcome.rejected.append((customer.key, " | ".join(errors[index])))
            else:
                valid.append(customer)

        logger.info(
            "Batch %s: the API rejected %s of %s customers; sending the other %s again",
            state.batch_id,
            len(errors),
            len(customers),
            len(valid),
        )
        return [valid] if valid else []

    def _fail_after_retries(self, state: _BatchState, part: _Part, error: RetryableStatus) -> None:
        customers = part.customers
        if part.outcome_unknown:
            # Customers the API stored in spite of the 502 or 504 must not be reported as failed.
            customers = self._settle(state, customers)

        if customers:
            message = f"gave up after {part.attempts} attempts; the last response was {error}"
            self._fail(state, customers, message)

    def _settle_earlier_runs(self, state: _BatchState, customers: list[EncodedCustomer]) -> list[EncodedCustomer]:
        """Look up the customers an earlier run may have stored, and return those still to send."""
        earlier = [customer for customer in customers if customer.maybe_stored]
        if not earlier:
            return customers

        missing = {customer.key for customer in self._settle(state, earlier)}
        return [customer for customer in customers if not customer.maybe_stored or customer.key in missing]

    def _settle(self, state: _BatchState, customers: list[EncodedCustomer]) -> list[EncodedCustomer]:
        """Look customers up by email. Accept the stored ones and return the missing ones.

        A customer whose look-up fails goes to ``failed``, because sending it
        again could create it twice.

        NOTE: a customer with the same email stored before this run is found
        too, and counted as accepted, although the upload would have rejected it.
        """
        missing = []
        stored = 0
        for customer in customers:
            found = self._is_stored(state, customer)
            if found:
                state.outcome.accepted.append(customer.key)
                stored += 1
            elif found is not None:
                missing.append(customer)

        logger.info(
            "Batch %s: %s of %s customers looked up by email were already stored; %s still to send",
            state.batch_id,
            stored,
            len(customers),
            len(missing),
        )
        return missing

    def _is_stored(self, state: _BatchState, customer: EncodedCustomer) -> bool | None:
        """Return whether the API has a customer with this email, or None after failing the customer."""
        retrying = self._retrying(state, "look-up by email")
        try:
            response = retrying(self._look_up_once, customer.email)
        except RetryableStatus as exc:
            response = exc.response
        except RequestFailed as exc:
            raise ApiUnreachable(self._api.connection.display_url, str(exc)) from exc

        if response.status_code in CREDENTIAL_STATUSES:
            raise CredentialsRejected(self._api.connection.tenant, response.status_code)
        if response.status_code == 200:
            return True
        if response.status_code == 404:
            return False

        message = (
            f"the API may have stored this customer, but looking it up by email failed with "
            f"{describe_status(response)}; check whether it exists before sending it again"
        )
        self._fail(state, [customer], message)
        return None

    def _look_up_once(self, email: str) -> httpx.Response:
        self._check_running()
        response = self._api.find_customer_by_email(email, self._sleep)
        if response.status_code in RETRYABLE_STATUSES:
            raise self._retryable_status(response)
        return response

    def _mark_unknown(self, state: _BatchState, part: _Part, cause: str) -> None:
        part.outcome_unknown = True
        keys = [customer.key for customer in part.customers]
        self._journal.record_unknown(state.batch_id, keys)
        logger.warning(
            "Batch %s: the API may have stored %s customers in spite of %s; "
            "they will be looked up by email before being sent again",
            state.batch_id,
            len(keys),
            cause,
        )

    def _retryable_status(self, response: httpx.Response) -> RetryableStatus:
        retry_after = parse_retry_after(response.headers.get("Retry-After"), self._clock.now())
        return RetryableStatus(response, retry_after)

    def _retrying(self, state: _BatchState, action: str) -> Retrying:
        return build_retrying(
            self._settings,
            batch_id=state.batch_id,
            action=action,
            clock=self._clock,
            budget=state.budget,
            sleep=self._sleep,
            collector=self._collector,
        )

    def _fail(self, state: _BatchState, customers: list[EncodedCustomer], message: str) -> None:
        state.outcome.failed.extend((customer.key, message) for customer in customers)
        logger.warning("Batch %s: %s of its customers failed: %s", state.batch_id, len(customers), message)

    def _check_running(self) -> None:
        if self._stopping.is_set():
            raise SendStopped("The run is being aborted, so no more requests are sent.")

    def _sleep(self, seconds: float) -> None:
        """Wait, or raise ``SendStopped`` as soon as the run is being aborted."""
        if self._clock.sleep is None:
            stopped = self._stopping.wait(seconds)
        else:
            self._clock.sleep(seconds)
            stopped = self._stopping.is_set()

        if stopped:
            raise SendStopped("The run is being aborted, so no more requests are sent.")


def _halve(customers: list[EncodedCustomer]) -> list[list[EncodedCustomer]]:
    middle = len(customers) // 2
    return [customers[:middle], customers[middle:]]


def _without_query(url: httpx.URL) -> str:
    return str(url.copy_with(query=None, userinfo=b""))
