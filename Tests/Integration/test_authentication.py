"""SigV4 verification: each way a signature can be wrong gets DynamoDB's error type and message."""
import datetime
import json

import pytest

from conftest import (ACCESS_KEY, LOCAL_ACCESS_KEY, LOCAL_SECRET_KEY, SECRET_KEY, error_of, make_client, unique_name)
from rawhttp import build_request, raw_with_headers, roundtrip, sign_by_hand

MISMATCH = ("The request signature we calculated does not match the signature you provided. Check your AWS Secret "
            "Access Key and signing method. Consult the service documentation for details.")


def error_body(endpoint, raw):
    status, _, body = roundtrip(endpoint, raw)
    assert status == 400
    document = json.loads(body)
    return document["__type"], document.get("message")


def test_a_wrong_secret_is_an_invalid_signature(endpoint):
    code, message = error_of(make_client(endpoint, secret_key="not-the-secret").list_tables)
    assert code == "InvalidSignatureException"
    assert message == MISMATCH


def test_an_unknown_access_key_is_an_unrecognized_client(endpoint):
    code, message = error_of(make_client(endpoint, access_key="AKIDUNKNOWN", secret_key="x").list_tables)
    assert code == "UnrecognizedClientException"
    assert message == "The security token included in the request is invalid."


def test_a_missing_authorization_is_a_missing_authentication_token(endpoint):
    error_type, message = error_body(endpoint, build_request(endpoint, sign=False))
    assert error_type == "com.amazon.coral.service#MissingAuthenticationTokenException"
    assert message == "Request is missing Authentication Token"


def test_an_authorization_without_signature_is_incomplete(endpoint):
    raw = build_request(endpoint, sign=False, extra_headers={
        "X-Amz-Date": "20240101T000000Z",
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/dynamodb/aws4_request, "
                         "SignedHeaders=host"})
    error_type, message = error_body(endpoint, raw)
    assert error_type == "com.amazon.coral.service#IncompleteSignatureException"
    assert message.startswith("Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 ")


def test_a_signature_older_than_15_minutes_has_expired(endpoint):
    body = b"{}"
    when = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
    headers = sign_by_hand(endpoint, "DynamoDB_20120810.ListTables", body, when)
    error_type, message = error_body(endpoint, raw_with_headers(headers, body))
    assert error_type == "com.amazon.coral.service#InvalidSignatureException"
    assert message.startswith(f"Signature expired: {headers['X-Amz-Date']} is now earlier than ")
    assert message.endswith(" - 15 min.)")


def test_a_signature_from_more_than_15_minutes_ahead_is_not_yet_current(endpoint):
    body = b"{}"
    when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=20)
    headers = sign_by_hand(endpoint, "DynamoDB_20120810.ListTables", body, when)
    error_type, message = error_body(endpoint, raw_with_headers(headers, body))
    assert error_type == "com.amazon.coral.service#InvalidSignatureException"
    assert message.startswith(f"Signature not yet current: {headers['X-Amz-Date']} is still later than ")


def test_a_signature_within_the_skew_window_is_accepted(endpoint):
    body = b"{}"
    when = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=10)
    headers = sign_by_hand(endpoint, "DynamoDB_20120810.ListTables", body, when)
    status, _, _ = roundtrip(endpoint, raw_with_headers(headers, body))
    assert status == 200


def test_a_tampered_body_fails_verification(endpoint):
    raw = build_request(endpoint, payload={"Limit": 5})
    tampered = raw.replace(b'{"Limit": 5}', b'{"Limit": 6}')
    error_type, message = error_body(endpoint, tampered)
    assert error_type == "com.amazon.coral.service#InvalidSignatureException"
    assert message == MISMATCH


def test_a_credential_scoped_to_another_service_is_refused(endpoint):
    body = b"{}"
    when = datetime.datetime.now(datetime.timezone.utc)
    headers = sign_by_hand(endpoint, "DynamoDB_20120810.ListTables", body, when)
    headers["Authorization"] = headers["Authorization"].replace("/dynamodb/", "/s3/")
    error_type, message = error_body(endpoint, raw_with_headers(headers, body))
    assert error_type == "com.amazon.coral.service#InvalidSignatureException"
    assert message == "Credential should be scoped to correct service: 'dynamodb'."


def test_both_default_key_pairs_work_and_are_separate_accounts(endpoint, client):
    local = make_client(endpoint, access_key=LOCAL_ACCESS_KEY, secret_key=LOCAL_SECRET_KEY)
    name = unique_name()
    client.create_table(TableName=name, KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                        BillingMode="PAY_PER_REQUEST")
    try:
        assert name in client.list_tables()["TableNames"]
        assert name not in local.list_tables()["TableNames"]
        arn = client.describe_table(TableName=name)["Table"]["TableArn"]
        assert arn == f"arn:aws:dynamodb:us-east-1:123456789012:table/{name}"
    finally:
        client.delete_table(TableName=name)


def test_regions_are_separate_namespaces(endpoint, client):
    other = make_client(endpoint, region="eu-west-1")
    name = unique_name()
    other.create_table(TableName=name, KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                       AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                       BillingMode="PAY_PER_REQUEST")
    try:
        assert name in other.list_tables()["TableNames"]
        assert name not in client.list_tables()["TableNames"]
        assert other.describe_table(TableName=name)["Table"]["TableArn"].startswith("arn:aws:dynamodb:eu-west-1:")
    finally:
        other.delete_table(TableName=name)


def test_with_auth_off_any_well_formed_request_is_accepted(server_process):
    server = server_process("--auth", "off")
    status, _, body = roundtrip(server.endpoint, build_request(server.endpoint, sign=False))
    assert status == 200
    assert "TableNames" in json.loads(body)
    client = make_client(server.endpoint, access_key="anything", secret_key="wrong")
    assert client.list_tables()["TableNames"] == []
