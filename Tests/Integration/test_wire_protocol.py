"""The wire protocol: framing, headers, DynamoDB's error shapes, keep-alive, pipelining, limits, shutdown."""
import json
import signal
import socket
import threading
import zlib

import pytest

from conftest import make_client
from rawhttp import ResponseReader, build_request, connect, roundtrip


def test_list_tables_works_through_botos_signer(client):
    response = client.list_tables()
    assert isinstance(response["TableNames"], list)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_health_check_answers_get_slash(endpoint):
    with connect(endpoint) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        status, _, body = ResponseReader(sock).read()
    assert status == 200
    assert body == b"healthy: x "


def test_every_response_carries_dynamodb_headers_and_a_correct_crc32(endpoint):
    status, headers, body = roundtrip(endpoint, build_request(endpoint))
    assert status == 200
    assert headers["content-type"] == "application/x-amz-json-1.0"
    assert len(headers["x-amzn-requestid"]) == 52
    assert int(headers["x-amz-crc32"]) == zlib.crc32(body)
    assert int(headers["content-length"]) == len(body)
    assert "TableNames" in json.loads(body)


@pytest.mark.parametrize("method,content_type", [("PUT", "application/x-amz-json-1.0"), ("DELETE", "application/x-amz-json-1.0"),
                                                 ("POST", "text/plain")])
def test_non_post_or_non_json_requests_get_404_unknown_operation(endpoint, method, content_type):
    raw = build_request(endpoint, method=method, extra_headers={"Content-Type": content_type})
    status, _, body = roundtrip(endpoint, raw)
    assert status == 404
    assert b"UnknownOperationException" in body


def test_malformed_json_is_a_serialization_exception(endpoint):
    raw = build_request(endpoint).replace(b"{}", b"{x")
    status, _, body = roundtrip(endpoint, raw)
    assert status == 400
    assert json.loads(body)["__type"] == "com.amazon.coral.service#SerializationException"


def test_unknown_target_is_an_unknown_operation_exception(endpoint):
    status, _, body = roundtrip(endpoint, build_request(endpoint, target="DynamoDB_20120810.Frobnicate"))
    assert status == 400
    assert json.loads(body)["__type"] == "com.amazon.coral.service#UnknownOperationException"


def test_unknown_target_is_answered_before_authentication(endpoint):
    status, _, body = roundtrip(endpoint, build_request(endpoint, target="Nope.Nope", sign=False))
    assert json.loads(body)["__type"] == "com.amazon.coral.service#UnknownOperationException"


def test_an_unimplemented_operation_says_so_and_never_fakes_success(endpoint):
    status, _, body = roundtrip(endpoint, build_request(endpoint, target="DynamoDB_20120810.DescribeGlobalTable",
                                                        payload={"GlobalTableName": "abc"}))
    error = json.loads(body)
    assert status == 400
    assert error["__type"].endswith("UnknownOperationException")
    assert "DescribeGlobalTable" in error["message"]


def test_keep_alive_serves_several_requests_on_one_connection(endpoint):
    with connect(endpoint) as sock:
        reader = ResponseReader(sock)
        for _ in range(3):
            sock.sendall(build_request(endpoint))
            status, headers, _ = reader.read()
            assert status == 200
            assert headers.get("connection") != "close"


def test_pipelined_requests_are_answered_in_order(endpoint):
    first = build_request(endpoint, payload={"Limit": 1})
    second = build_request(endpoint, target="DynamoDB_20120810.Nope")
    third = build_request(endpoint, payload={"Limit": 2})
    with connect(endpoint) as sock:
        sock.sendall(first + second + third)
        reader = ResponseReader(sock)
        statuses = [reader.read()[0] for _ in range(3)]
    assert statuses == [200, 400, 200]


def test_a_chunked_request_body_is_accepted(endpoint):
    raw = build_request(endpoint)
    head, body = raw.split(b"\r\n\r\n", 1)
    head = b"\r\n".join(line for line in head.split(b"\r\n") if not line.lower().startswith(b"content-length"))
    chunked = head + b"\r\nTransfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"
    status, _, _ = roundtrip(endpoint, chunked)
    assert status == 200


def test_expect_100_continue_gets_an_interim_response(endpoint):
    raw = build_request(endpoint, extra_headers={"Expect": "100-continue"})
    head, body = raw.split(b"\r\n\r\n", 1)
    with connect(endpoint) as sock:
        sock.sendall(head + b"\r\n\r\n")
        reader = ResponseReader(sock)
        status, _, _ = reader.read()
        assert status == 100
        sock.sendall(body)
        status, _, _ = reader.read()
        assert status == 200


def test_a_20_mib_body_is_rejected_and_other_connections_keep_working(endpoint):
    with connect(endpoint) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\n"
                     b"Content-Length: %d\r\n\r\n" % (20 * 1024 * 1024))
        status, headers, _ = ResponseReader(sock).read()
        assert status == 413
        assert headers.get("connection") == "close"
    assert roundtrip(endpoint, build_request(endpoint))[0] == 200


def test_a_64_kib_header_block_is_rejected_and_other_connections_keep_working(endpoint):
    with connect(endpoint) as sock:
        big = b"X-Padding: " + b"a" * (64 * 1024) + b"\r\n"
        try:
            sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n" + big + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        status, headers, _ = ResponseReader(sock).read()
        assert status == 400
    assert roundtrip(endpoint, build_request(endpoint))[0] == 200


def test_malformed_http_gets_400_and_a_close(endpoint):
    with connect(endpoint) as sock:
        sock.sendall(b"THIS IS NOT HTTP\r\n\r\n")
        reader = ResponseReader(sock)
        status, headers, _ = reader.read()
        assert status == 400
        assert reader.closed()


def test_two_hundred_concurrent_connections_are_served(endpoint):
    results = []
    lock = threading.Lock()

    def one():
        try:
            status = roundtrip(endpoint, build_request(endpoint))[0]
        except OSError as error:
            status = repr(error)
        with lock:
            results.append(status)

    # Open all the connections first, then send on each: they are truly concurrent.
    sockets = [connect(endpoint) for _ in range(200)]
    try:
        raw = build_request(endpoint)
        for sock in sockets:
            sock.sendall(raw)
        statuses = [ResponseReader(sock).read()[0] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()
    assert statuses == [200] * 200
    threads = [threading.Thread(target=one) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == [200] * 50


def test_sigterm_stops_the_server_with_exit_code_0(server_process):
    server = server_process()
    client = make_client(server.endpoint)
    client.list_tables()
    assert server.stop(signal.SIGTERM) == 0


def test_sigint_stops_the_server_with_exit_code_0(server_process):
    server = server_process()
    assert server.stop(signal.SIGINT) == 0
