"""CORS for browser clients, and the small wire answers beside it: as DynamoDB sends them.

DynamoDB's preflight answer (captured from dynamodb.us-east-1.amazonaws.com): 200, empty body, x-amzn-RequestId,
Access-Control-Allow-Origin: *, the requested headers and method echoed as allowed, Access-Control-Expose-Headers,
Access-Control-Max-Age: 172800. Other answers to a request with Origin carry Allow-Origin and Expose-Headers; a
request without Origin gets no CORS header.
"""

import pytest

from rawhttp import build_request, connect, raw_with_headers, roundtrip, signed_headers, ResponseReader

CORS_HEADERS = ["access-control-allow-origin", "access-control-allow-credentials", "access-control-expose-headers",
                "access-control-max-age", "access-control-allow-methods", "access-control-allow-headers"]
EXPOSED = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date"


def raw(method, headers, path="/", body=b""):
    lines = [f"{method} {path} HTTP/1.1"] + [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def test_a_preflight_is_answered_as_dynamodb_answers_it(endpoint):
    status, headers, body = roundtrip(endpoint, raw("OPTIONS", {
        "Host": "x", "Origin": "https://app.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-amz-target,authorization"}))
    assert (status, body) == (200, b"")
    assert headers["access-control-allow-origin"] == "*"
    assert headers["access-control-allow-methods"] == "POST"
    assert headers["access-control-allow-headers"] == "content-type,x-amz-target,authorization"
    assert headers["access-control-expose-headers"] == EXPOSED
    assert headers["access-control-max-age"] == "172800"
    assert len(headers["x-amzn-requestid"]) == 52


def test_a_preflight_that_requests_nothing_allows_nothing_in_particular(endpoint):
    status, headers, _ = roundtrip(endpoint, raw("OPTIONS", {"Host": "x", "Origin": "https://app.example"}))
    assert status == 200
    assert headers["access-control-max-age"] == "172800"
    assert "access-control-allow-methods" not in headers
    assert "access-control-allow-headers" not in headers


@pytest.mark.parametrize("kind", ["api", "error", "health"])
def test_every_answer_to_a_request_with_origin_allows_it_without_preflight_headers(endpoint, kind):
    if kind == "health":
        request = raw("GET", {"Host": "x", "Origin": "https://app.example"})
    else:
        target = "DynamoDB_20120810.ListTables" if kind == "api" else "DynamoDB_20120810.DescribeTable"
        body = b"{}"
        headers = signed_headers(endpoint, target, body)
        headers["Origin"] = "https://app.example"
        request = raw_with_headers(headers, body)
    status, headers, _ = roundtrip(endpoint, request)
    assert status == (400 if kind == "error" else 200)
    assert headers["access-control-allow-origin"] == "*"
    assert headers["access-control-expose-headers"] == EXPOSED
    for name in ["access-control-max-age", "access-control-allow-methods", "access-control-allow-headers"]:
        assert name not in headers


@pytest.mark.parametrize("method", ["OPTIONS", "GET", "POST"])
def test_without_origin_there_is_no_cors_header(endpoint, method):
    if method == "POST":
        request = build_request(endpoint)
    else:
        request = raw(method, {"Host": "x", "Access-Control-Request-Method": "POST"})
    status, headers, _ = roundtrip(endpoint, request)
    assert all(name not in headers for name in CORS_HEADERS)
    if method == "OPTIONS":
        assert status == 404  # not a preflight: not an operation either


def test_the_health_check_names_the_host_it_was_reached_by(endpoint):
    status, headers, body = roundtrip(endpoint, raw("GET", {"Host": "dynamo.local:4567"}))
    assert status == 200
    assert body == b"healthy: dynamo.local:4567 "
    assert headers["content-type"] == "text/plain"


def test_a_post_to_another_path_is_not_an_operation(endpoint):
    body = b"{}"
    headers = signed_headers(endpoint, "DynamoDB_20120810.ListTables", body)
    status, _, answer = roundtrip(endpoint, raw("POST", headers, path="/garbage", body=body))
    assert status == 404
    assert b"UnknownOperationException" in answer


@pytest.mark.parametrize("where", ["request line", "header block"])
def test_an_oversized_request_line_or_header_block_is_400_as_from_dynamodb(endpoint, where):
    with connect(endpoint) as sock:
        if where == "request line":
            request = b"POST /" + b"x" * 17000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
        else:
            request = (b"POST / HTTP/1.1\r\nHost: x\r\nheader1: " + b"x" * 8192
                       + b"\r\nheader2: " + b"y" * 8192 + b"\r\n\r\n")
        sock.sendall(request)
        status, headers, body = ResponseReader(sock).read()
    assert status == 400
    assert b"InvalidSignature" not in body
    assert headers.get("connection") == "close"


def test_tag_resource_and_untag_resource_answer_with_an_empty_body(endpoint, client, make_table):
    name = make_table()
    arn = client.describe_table(TableName=name)["Table"]["TableArn"]
    for target, payload in [("TagResource", {"ResourceArn": arn, "Tags": [{"Key": "k", "Value": "v"}]}),
                            ("UntagResource", {"ResourceArn": arn, "TagKeys": ["k"]})]:
        status, headers, body = roundtrip(endpoint, build_request(endpoint, target="DynamoDB_20120810." + target,
                                                                  payload=payload))
        assert (status, body) == (200, b"")
        assert headers["x-amz-crc32"] == "0"
    assert client.list_tags_of_resource(ResourceArn=arn)["Tags"] == []
