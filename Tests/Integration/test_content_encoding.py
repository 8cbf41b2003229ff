"""Compressed requests (Content-Encoding) and compressed answers (Accept-Encoding), as DynamoDB handles them.

DynamoDB decodes gzip and deflate request bodies (SDKs with request compression send them) and answers an unknown
coding or a broken stream with 500 InternalServerError; it compresses answers over 4 KB for clients that accept
gzip or deflate, and its x-amz-crc32 is the checksum of the bytes sent, compressed ones included.
"""
import gzip
import json
import shutil
import subprocess
import zlib

import boto3
import botocore.config
import botocore.session
import pytest

from conftest import ACCESS_KEY, REGION, SECRET_KEY, unique_name
from rawhttp import raw_with_headers, roundtrip, signed_headers

TARGET = "DynamoDB_20120810."


def signed_raw(endpoint, operation, body, extra_headers=None):
    """A request signed over `body` exactly as sent (compressed bytes when compressed), plus unsigned extras."""
    headers = signed_headers(endpoint, TARGET + operation, body)
    headers.update(extra_headers or {})
    return raw_with_headers(headers, body)


def put_payload(table, key, value="v"):
    return json.dumps({"TableName": table, "Item": {"pk": {"S": key}, "v": {"S": value}}}).encode()


def stored(client, table, key):
    return client.get_item(TableName=table, Key={"pk": {"S": key}}, ConsistentRead=True).get("Item")


@pytest.fixture
def table(make_table):
    return make_table()


@pytest.fixture(scope="module")
def compressing_client(endpoint):
    """A client that gzips every request body, on its own botocore session so that the service-model change stays
    with it (other clients share one session's cached model)."""
    session = botocore.session.Session()
    client = session.create_client(
        "dynamodb", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=botocore.config.Config(request_min_compression_size_bytes=1, retries={"total_max_attempts": 1}))
    for operation in client.meta.service_model._service_description["operations"].values():
        operation["requestcompression"] = {"encodings": ["gzip"]}
    yield client
    client.close()


def test_an_sdk_with_request_compression_writes_and_reads_signed_over_the_compressed_bytes(compressing_client, client,
                                                                                          table):
    long_value = "x" * 20_000 + unique_name()
    compressing_client.put_item(TableName=table, Item={"pk": {"S": "k"}, "v": {"S": long_value}})
    assert compressing_client.get_item(TableName=table, Key={"pk": {"S": "k"}})["Item"]["v"]["S"] == long_value
    assert stored(client, table, "k")["v"]["S"] == long_value


@pytest.mark.parametrize("encoding,encode", [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("GZIP", gzip.compress),
    ("deflate, gzip", lambda body: gzip.compress(zlib.compress(body))),
    ("gzip, gzip", lambda body: gzip.compress(gzip.compress(body))),
    ("identity", lambda body: body),
])
def test_a_coded_body_is_decoded_before_it_is_read(endpoint, client, table, encoding, encode):
    body = encode(put_payload(table, "coded", encoding))
    status, _, answer = roundtrip(endpoint, signed_raw(endpoint, "PutItem", body, {"Content-Encoding": encoding}))
    assert (status, answer) == (200, b"{}")
    assert stored(client, table, "coded")["v"]["S"] == encoding


def test_codings_in_several_fields_are_undone_last_applied_first(endpoint, client, table):
    body = zlib.compress(gzip.compress(put_payload(table, "two-fields")))
    headers = signed_headers(endpoint, TARGET + "PutItem", body)
    lines = ["POST / HTTP/1.1"] + [f"{name}: {value}" for name, value in headers.items()]
    lines += ["Content-Encoding: gzip", "Content-Encoding: deflate", f"Content-Length: {len(body)}"]
    status, _, _ = roundtrip(endpoint, ("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    assert status == 200
    assert stored(client, table, "two-fields") is not None


def test_concatenated_gzip_members_are_one_body(endpoint, client, table):
    payload = put_payload(table, "members")
    body = gzip.compress(payload[:10]) + gzip.compress(payload[10:])
    status, _, _ = roundtrip(endpoint, signed_raw(endpoint, "PutItem", body, {"Content-Encoding": "gzip"}))
    assert status == 200
    assert stored(client, table, "members") is not None


def test_bytes_after_a_complete_gzip_member_are_ignored_as_dynamodb_ignores_them(endpoint, client, table):
    body = gzip.compress(put_payload(table, "junk")) + b"junk"
    status, _, _ = roundtrip(endpoint, signed_raw(endpoint, "PutItem", body, {"Content-Encoding": "gzip"}))
    assert status == 200
    assert stored(client, table, "junk") is not None


def broken_bodies(payload):
    compressed = gzip.compress(payload)
    return {
        "an unknown coding": ("garbage", payload),
        "x-gzip, which is not gzip": ("x-gzip", compressed),
        "a plain body said to be gzip": ("gzip", payload),
        "a plain body said to be deflate": ("deflate", payload),
        "a gzip stream missing its last byte": ("gzip", compressed[:-1]),
        "a deflate stream cut in half": ("deflate", zlib.compress(payload)[:20]),
        "an empty body said to be gzip": ("gzip", b""),
        "an empty body said to be deflate": ("deflate", b""),
        "two zlib streams said to be one deflate body":
            ("deflate", zlib.compress(payload[:10]) + zlib.compress(payload[10:])),
    }


@pytest.mark.parametrize("case", list(broken_bodies(b"{}")))
def test_a_body_that_does_not_decode_is_a_500_internal_server_error_and_writes_nothing(endpoint, client, table, case):
    encoding, body = broken_bodies(put_payload(table, case))[case]
    status, headers, answer = roundtrip(endpoint, signed_raw(endpoint, "PutItem", body, {"Content-Encoding": encoding}))
    assert status == 500
    assert json.loads(answer) == {"__type": "com.amazonaws.dynamodb.v20120810#InternalServerError",
                                  "message": "Internal server error"}
    assert int(headers["x-amz-crc32"]) == zlib.crc32(answer)
    assert stored(client, table, case) is None


def test_a_small_body_that_decodes_past_the_request_size_limit_is_refused(endpoint, client, table):
    payload = put_payload(table, "bomb")
    body = gzip.compress(payload[:-1] + b" " * (17 * 1024 * 1024) + payload[-1:])
    assert len(body) < 100_000
    status, _, answer = roundtrip(endpoint, signed_raw(endpoint, "PutItem", body, {"Content-Encoding": "gzip"}))
    assert status == 500
    assert b"InternalServerError" in answer
    assert stored(client, table, "bomb") is None


def test_the_signature_covers_the_compressed_bytes_not_the_decoded_ones(endpoint, table):
    payload = put_payload(table, "signed")
    headers = signed_headers(endpoint, TARGET + "PutItem", payload)  # signed over the uncompressed JSON
    headers["Content-Encoding"] = "gzip"
    status, _, answer = roundtrip(endpoint, raw_with_headers(headers, gzip.compress(payload)))
    assert status == 400
    assert json.loads(answer)["__type"] == "com.amazon.coral.service#InvalidSignatureException"


# Compressed answers.

def get_item_raw(endpoint, table, key, accept_encoding=None):
    body = json.dumps({"TableName": table, "Key": {"pk": {"S": key}}}).encode()
    extra = {"Accept-Encoding": accept_encoding} if accept_encoding is not None else {}
    headers = signed_headers(endpoint, TARGET + "GetItem", body)
    headers.update(extra)
    return roundtrip(endpoint, raw_with_headers(headers, body))


@pytest.fixture
def large_item(client, table):
    value = "x" * 6000
    client.put_item(TableName=table, Item={"pk": {"S": "large"}, "v": {"S": value}})
    client.put_item(TableName=table, Item={"pk": {"S": "small"}, "v": {"S": "tiny"}})
    return table, value


@pytest.mark.parametrize("accept,coding,decode", [
    ("gzip", "gzip", gzip.decompress),
    ("deflate", "deflate", zlib.decompress),
    ("gzip, deflate", "gzip", gzip.decompress),
    ("br, deflate;q=0.9, gzip;q=0.5", "deflate", zlib.decompress),
    ("*", "gzip", gzip.decompress),
])
def test_an_answer_over_4_kb_is_compressed_for_a_client_that_accepts_it(endpoint, large_item, accept, coding, decode):
    table, value = large_item
    status, headers, body = get_item_raw(endpoint, table, "large", accept)
    assert status == 200
    assert headers["content-encoding"] == coding
    assert int(headers["content-length"]) == len(body) < 1000
    # The checksum is over the bytes sent: botocore checks it before anything decompresses.
    assert int(headers["x-amz-crc32"]) == zlib.crc32(body)
    assert json.loads(decode(body))["Item"]["v"]["S"] == value


@pytest.mark.parametrize("accept", [None, "", "identity", "br", "x-gzip", "gzip;q=0", "*;q=0", "gzip br"])
def test_no_acceptable_coding_means_no_compression(endpoint, large_item, accept):
    table, value = large_item
    status, headers, body = get_item_raw(endpoint, table, "large", accept)
    assert status == 200
    assert "content-encoding" not in headers
    assert json.loads(body)["Item"]["v"]["S"] == value
    assert int(headers["x-amz-crc32"]) == zlib.crc32(body)


def test_a_small_answer_is_never_compressed(endpoint, large_item):
    table, _ = large_item
    status, headers, body = get_item_raw(endpoint, table, "small", "gzip")
    assert status == 200
    assert "content-encoding" not in headers
    assert json.loads(body)["Item"]["v"]["S"] == "tiny"


def test_botocore_accepts_the_checksum_of_a_compressed_answer_without_retrying(endpoint, large_item):
    table, value = large_item
    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=ACCESS_KEY,
                          aws_secret_access_key=SECRET_KEY,
                          config=botocore.config.Config(retries={"max_attempts": 3, "mode": "standard"}))
    seen = {}

    def ask_for_gzip(params, **_):
        params["headers"]["Accept-Encoding"] = "gzip"

    def decompress(response_dict, **_):
        seen["encoding"] = response_dict["headers"].get("Content-Encoding")
        if seen["encoding"] == "gzip":
            response_dict["body"] = gzip.decompress(response_dict["body"])

    client.meta.events.register("before-call.dynamodb.GetItem", ask_for_gzip)
    client.meta.events.register("before-parse.dynamodb.GetItem", decompress)
    response = client.get_item(TableName=table, Key={"pk": {"S": "large"}})
    assert seen["encoding"] == "gzip"
    assert response["Item"]["v"]["S"] == value
    assert response["ResponseMetadata"]["RetryAttempts"] == 0


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_curl_compressed_reads_a_compressed_answer(endpoint, large_item):
    table, value = large_item
    if b"--aws-sigv4" not in subprocess.run(["curl", "--help", "all"], capture_output=True).stdout:
        pytest.skip("curl lacks --aws-sigv4")
    result = subprocess.run(
        ["curl", "-sS", "-D", "-", "--compressed", "--aws-sigv4", f"aws:amz:{REGION}:dynamodb",
         "--user", f"{ACCESS_KEY}:{SECRET_KEY}", "-H", "Content-Type: application/x-amz-json-1.0",
         "-H", "X-Amz-Target: DynamoDB_20120810.GetItem",
         "--data", json.dumps({"TableName": table, "Key": {"pk": {"S": "large"}}}), endpoint + "/"],
        capture_output=True, check=True, timeout=30)
    head, _, body = result.stdout.partition(b"\r\n\r\n")
    assert b"content-encoding:" in head.lower()
    assert json.loads(body)["Item"]["v"]["S"] == value


def test_a_large_error_answer_is_compressed_too(endpoint, client, table):
    value = "y" * 6000
    client.put_item(TableName=table, Item={"pk": {"S": "cond"}, "v": {"S": value}})
    body = json.dumps({"TableName": table, "Item": {"pk": {"S": "cond"}},
                       "ConditionExpression": "attribute_not_exists(pk)",
                       "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}).encode()
    headers = signed_headers(endpoint, TARGET + "PutItem", body)
    headers["Accept-Encoding"] = "gzip"
    status, answer_headers, answer = roundtrip(endpoint, raw_with_headers(headers, body))
    assert status == 400
    assert answer_headers["content-encoding"] == "gzip"
    assert int(answer_headers["x-amz-crc32"]) == zlib.crc32(answer)
    assert json.loads(gzip.decompress(answer))["Item"]["v"]["S"] == value
