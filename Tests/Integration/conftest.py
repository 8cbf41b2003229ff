"""Fixtures for the integration tests: a real SwiftDynamo server process and boto3 clients pointed at it.

The runner (scripts/test) starts the server and exports SWIFTDYNAMO_ENDPOINT and SWIFTDYNAMO_BINARY. Without
SWIFTDYNAMO_ENDPOINT, the session starts its own server from SWIFTDYNAMO_BINARY (or the debug build) and stops it.
"""
import os
import re
import signal
import socket
import subprocess
import time
import uuid

import boto3
import botocore.config
import pytest

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
LOCAL_ACCESS_KEY = "fakeMyKeyId"
LOCAL_SECRET_KEY = "fakeSecretAccessKey"
REGION = "us-east-1"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def server_binary():
    binary = os.environ.get("SWIFTDYNAMO_BINARY")
    if binary:
        return binary
    for candidate in (".build/release/swiftdynamo", ".build/debug/swiftdynamo"):
        path = os.path.join(ROOT, candidate)
        if os.path.exists(path):
            return path
    raise RuntimeError("no swiftdynamo binary: build it or set SWIFTDYNAMO_BINARY")


class ServerDidNotStart(RuntimeError):
    """The server exited during startup; the message is its log."""


class ServerProcess:
    """A swiftdynamo process on a free loopback port, stopped by PID."""

    def __init__(self, *arguments, in_memory=True, environment=None):
        self.log_path = f"/tmp/swiftdynamo-test-{uuid.uuid4().hex[:8]}.log"
        self.log = open(self.log_path, "w")
        memory = ["--in-memory"] if in_memory else []
        self.process = subprocess.Popen(
            [server_binary(), "--host", "127.0.0.1", "--port", "0", *memory, *arguments],
            stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, **(environment or {})})
        self.port = None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with open(self.log_path) as handle:
                match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", handle.read())
            if match:
                self.port = int(match.group(1))
                break
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        if self.port is None:
            self.stop()
            with open(self.log_path) as handle:
                raise ServerDidNotStart(handle.read())
        self.endpoint = f"http://127.0.0.1:{self.port}"

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


@pytest.fixture(scope="session")
def endpoint():
    configured = os.environ.get("SWIFTDYNAMO_ENDPOINT")
    if configured:
        yield configured
        return
    server = ServerProcess()
    try:
        yield server.endpoint
    finally:
        server.stop()


@pytest.fixture
def server_process():
    """Starts extra servers (for shutdown and auth-off tests); every one is stopped by PID at teardown."""
    started = []

    def start(*arguments, **options):
        server = ServerProcess(*arguments, **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop(signal.SIGKILL)


def make_client(endpoint, access_key=ACCESS_KEY, secret_key=SECRET_KEY, region=REGION, service="dynamodb",
                validate=True):
    return boto3.client(
        service, endpoint_url=endpoint, region_name=region,
        aws_access_key_id=access_key, aws_secret_access_key=secret_key,
        config=botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30,
                                      parameter_validation=validate))


@pytest.fixture(scope="session")
def unchecked_client(endpoint):
    """A client that sends what botocore's own validation would refuse, so the server's answer shows."""
    return make_client(endpoint, validate=False)


@pytest.fixture(scope="session")
def client(endpoint):
    return make_client(endpoint)


@pytest.fixture(scope="session")
def resource(endpoint):
    return boto3.resource(
        "dynamodb", endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
        config=botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"}))


def unique_name(prefix="t"):
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def table_name():
    return unique_name()


@pytest.fixture
def make_table(client):
    """Creates tables (on-demand unless told otherwise) and deletes them after the test."""
    created = []

    def create(hash_key=("pk", "S"), range_key=None, name=None, **extra):
        name = name or unique_name()
        key_schema = [{"AttributeName": hash_key[0], "KeyType": "HASH"}]
        definitions = [{"AttributeName": hash_key[0], "AttributeType": hash_key[1]}]
        if range_key:
            key_schema.append({"AttributeName": range_key[0], "KeyType": "RANGE"})
            definitions.append({"AttributeName": range_key[0], "AttributeType": range_key[1]})
        if "ProvisionedThroughput" not in extra:
            extra.setdefault("BillingMode", "PAY_PER_REQUEST")
        client.create_table(TableName=name, KeySchema=key_schema, AttributeDefinitions=definitions, **extra)
        created.append(name)
        return name

    yield create
    for name in created:
        try:
            client.update_table(TableName=name, DeletionProtectionEnabled=False)
        except Exception:
            pass
        try:
            client.delete_table(TableName=name)
        except Exception:
            pass


def error_of(call, *args, **kwargs):
    """Runs a call expected to fail; returns (code, message)."""
    try:
        call(*args, **kwargs)
    except botocore.exceptions.ClientError as error:
        return error.response["Error"]["Code"], error.response["Error"]["Message"]
    raise AssertionError("the call succeeded but an error was expected")
