"""Every connection model (epoll loops, the default on Linux; a thread per connection; Dispatch worker queues) serves the same protocol:
keep-alive, idle and slow-client timeouts, and a graceful shutdown that finishes a request in flight."""
import os
import signal
import tempfile
import threading
import time

import pytest

from conftest import make_client
from rawhttp import ResponseReader, build_request, connect, roundtrip

MODELS = ["threads", "dispatch", "epoll"]


def config_file(model, **server_settings):
    handle = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
    handle.write("server:\n")
    handle.write(f"  connection_model: {model}\n")
    for key, value in server_settings.items():
        handle.write(f"  {key}: {value}\n")
    handle.close()
    return handle.name


def wait_until_closed(sock, seconds):
    """True when the server closes the connection within `seconds` (recv returns b"")."""
    sock.settimeout(seconds)
    try:
        return sock.recv(1) == b""
    except (TimeoutError, OSError):
        return False


@pytest.mark.parametrize("model", MODELS)
def test_each_connection_model_serves_keep_alive_requests_and_boto3(server_process, model):
    server = server_process("--config", config_file(model))
    with connect(server.endpoint) as sock:
        for _ in range(3):
            sock.sendall(build_request(server.endpoint))
            status, _, body = ResponseReader(sock).read()
            assert status == 200
            assert b"TableNames" in body
    assert make_client(server.endpoint).list_tables()["TableNames"] == []


@pytest.mark.parametrize("model", MODELS)
def test_an_idle_connection_is_closed_after_the_idle_timeout(server_process, model):
    server = server_process("--config", config_file(model, idle_timeout_ms=300))
    with connect(server.endpoint) as sock:
        sock.sendall(build_request(server.endpoint))
        assert ResponseReader(sock).read()[0] == 200
        assert wait_until_closed(sock, 10)


@pytest.mark.parametrize("model", MODELS)
def test_a_slow_client_is_closed_after_the_request_timeout(server_process, model):
    server = server_process("--config", config_file(model, request_timeout_ms=300, idle_timeout_ms=60000))
    with connect(server.endpoint) as sock:
        raw = build_request(server.endpoint)
        sock.sendall(raw[:20])
        assert wait_until_closed(sock, 10)


@pytest.mark.parametrize("model", MODELS)
def test_sigterm_lets_a_connection_between_requests_go_and_exits_0(server_process, model):
    server = server_process("--config", config_file(model))
    idle = connect(server.endpoint)
    idle.sendall(build_request(server.endpoint))
    assert ResponseReader(idle).read()[0] == 200
    try:
        assert server.stop(signal.SIGTERM) == 0
        assert wait_until_closed(idle, 5)
    finally:
        idle.close()


@pytest.mark.parametrize("model", ["threads", "epoll"])
def test_many_concurrent_connections_each_get_their_answer(server_process, model):
    server = server_process("--config", config_file(model))
    sockets = [connect(server.endpoint) for _ in range(300)]
    try:
        raw = build_request(server.endpoint)
        for sock in sockets:
            sock.sendall(raw)
        assert [ResponseReader(sock).read()[0] for sock in sockets] == [200] * 300
    finally:
        for sock in sockets:
            sock.close()


@pytest.mark.parametrize("model", ["threads", "epoll"])
def test_connections_beyond_max_connections_are_closed_and_the_rest_still_work(server_process, model):
    server = server_process("--config", config_file(model, max_connections=4))
    held = [connect(server.endpoint) for _ in range(4)]
    try:
        for sock in held:
            sock.sendall(build_request(server.endpoint))
            assert ResponseReader(sock).read()[0] == 200
        extra = connect(server.endpoint)
        with extra:
            assert wait_until_closed(extra, 10)
        held.pop().close()
        deadline = time.monotonic() + 10
        while True:
            try:
                assert roundtrip(server.endpoint, build_request(server.endpoint))[0] == 200
                break
            except (OSError, AssertionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
    finally:
        for sock in held:
            sock.close()


def test_epoll_with_fsync_serves_concurrent_writers_and_every_acknowledged_write_survives_sigkill(server_process, tmp_path):
    """Under epoll, writes waiting for their group commit run on the blocking pool: concurrent writers all finish, and
    what was acknowledged is on disk."""
    data = str(tmp_path / "data")
    config = config_file("epoll")
    first = server_process("--data-dir", data, "--config", config, in_memory=False)
    client = make_client(first.endpoint)
    client.create_table(TableName="pooled", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                        BillingMode="PAY_PER_REQUEST")
    errors = []

    def writer(number):
        own = make_client(first.endpoint)
        try:
            for i in range(25):
                own.put_item(TableName="pooled", Item={"pk": {"S": f"w{number}-{i}"}})
                if i % 5 == 0:
                    assert "Item" in own.get_item(TableName="pooled", Key={"pk": {"S": f"w{number}-{i}"}})
        except Exception as error:  # collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    first.stop(signal.SIGKILL)

    second = server_process("--data-dir", data, "--config", config, in_memory=False)
    assert make_client(second.endpoint).describe_table(TableName="pooled")["Table"]["ItemCount"] == 12 * 25
