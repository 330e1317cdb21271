"""HTTPS with a private certificate authority: verification stays on, and --ca-bundle trusts the CA."""

from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest

from reliability_support import (
    TENANT,
    TOKEN,
    assert_token_absent,
    import_command,
    read_summary,
    run,
    stored_emails,
    write_customers,
    write_mapping,
)
from sandbox_process import running_sandbox

OPENSSL = shutil.which("openssl")
SERVER_EXTENSIONS = (
    "subjectAltName=IP:127.0.0.1\n"
    "basicConstraints=critical,CA:FALSE\n"
    "keyUsage=critical,digitalSignature\n"
    "extendedKeyUsage=serverAuth\n"
)


def openssl(*arguments: str) -> None:
    subprocess.run([OPENSSL, *arguments], check=True, capture_output=True, timeout=60)


def make_private_ca(directory):
    """Create a CA and a certificate for 127.0.0.1 signed by it; return (ca, cert, key) paths."""
    ca_key, ca_cert = directory / "ca.key", directory / "ca.pem"
    key, request, cert = directory / "server.key", directory / "server.csr", directory / "server.pem"
    extensions = directory / "server.ext"
    extensions.write_text(SERVER_EXTENSIONS, encoding="ascii")
    curve = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")

    openssl("req", "-x509", *curve, "-keyout", str(ca_key), "-out", str(ca_cert), "-days", "2",
            "-subj", "/CN=twc-import test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", *curve, "-keyout", str(key), "-out", str(request), "-subj", "/CN=127.0.0.1")
    openssl("x509", "-req", "-in", str(request), "-CA", str(ca_cert), "-CAkey", str(ca_key), "-CAcreateserial",
            "-out", str(cert), "-days", "2", "-extfile", str(extensions))
    return ca_cert, cert, key


@pytest.mark.skipif(OPENSSL is None, reason="the openssl command is needed to create the test CA")
def test_private_ca_needs_ca_bundle(tmp_path):
    ca_cert, cert, key = make_private_ca(tmp_path)
    trust_ca = ssl.create_default_context(cafile=str(ca_cert))
    customers = write_customers(tmp_path / "customers.csv", 30)
    mapping = write_mapping(tmp_path)
    refused_dir, trusted_dir = tmp_path / "refused", tmp_path / "trusted"

    with running_sandbox("--tenant", f"{TENANT}:{TOKEN}", "--tls-cert", str(cert), "--tls-key", str(key)) as base_url:
        refused = run(import_command(customers.path, mapping, base_url, "-o", str(refused_dir)))
        stored_after_refusal = stored_emails(base_url, verify=trust_ca)
        trusted = run(import_command(customers.path, mapping, base_url, "-o", str(trusted_dir), "--ca-bundle", str(ca_cert)))
        stored = stored_emails(base_url, verify=trust_ca)

    message = (
        f"The TLS certificate of {base_url} could not be verified (unable to get local issuer certificate), "
        "so the run stopped and nothing was sent. If the API uses a certificate from a private certificate "
        "authority, give that authority's certificate with --ca-bundle PATH."
    )
    assert base_url.startswith("https://127.0.0.1:")
    assert refused.returncode == 3
    assert f"Aborted: {message.rstrip('.')}." in refused.stderr
    assert "retrying" not in refused.stderr
    assert read_summary(refused_dir)["aborted_reason"] == message
    assert stored_after_refusal == []

    assert trusted.returncode == 0, trusted.stderr
    assert sorted(stored) == sorted(customers.valid_emails)
    assert read_summary(trusted_dir)["rows_accepted"] == 30
    assert_token_absent(refused_dir, refused.stdout, refused.stderr)
    assert_token_absent(trusted_dir, trusted.stdout, trusted.stderr)
