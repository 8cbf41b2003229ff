"""Capacity: metering by DynamoDB's rules, provisioned throttling with burst, on-demand maximums, billing-mode
switches, auto scaling, and the usage / cost report.

Expected units are computed here from DynamoDB's published rules (item size = attribute names + values; reads in
4 KB units, half for eventually consistent; writes in 1 KB units of the larger of old and new item; indexes
counted separately; transactions doubled), never copied from the server.
"""
import json
import math
import os
import subprocess
import time
import urllib.request

import boto3
import botocore.config
import pytest

from conftest import ACCESS_KEY, REGION, SECRET_KEY, error_of, make_client, server_binary, unique_name

ACCOUNT = "123456789012"  # the account of the default test access key
TABLE_MESSAGE = ("The level of configured provisioned throughput for the table was exceeded. Consider increasing "
                 "your provisioning level with the UpdateTable API.")
ON_DEMAND_MESSAGE = ("Throughput exceeds the current capacity of your table or index. DynamoDB is automatically "
                     "scaling your table or index so please try again shortly. If exceptions persist, check if you "
                     "have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/"
                     "bp-partition-key-design.html")


def size_of(item):
    """DynamoDB's item size for items of string attributes."""
    return sum(len(name.encode()) + len(value["S"].encode()) for name, value in item.items())


def read_units(size, consistent):
    units = max(1, math.ceil(size / 4096))
    return float(units) if consistent else units / 2


def write_units(*sizes):
    return float(max(1, math.ceil(max(sizes) / 1024)))


def item_of_size(key, size, **keys):
    """An item {pk: key, **keys, v: "x"*n} whose DynamoDB size is exactly `size`."""
    item = {"pk": {"S": key}, **{name: {"S": value} for name, value in keys.items()}}
    padding = size - size_of(item) - len("v")
    assert padding >= 0
    item["v"] = {"S": "x" * padding}
    assert size_of(item) == size
    return item


def usage(endpoint, account=ACCOUNT):
    with urllib.request.urlopen(f"{endpoint}/_swiftdynamo/usage?account={account}") as response:
        assert response.status == 200
        return json.loads(response.read())


def table_usage(endpoint, name):
    tables = usage(endpoint)["Accounts"][ACCOUNT]["Tables"]
    return next(table for table in tables if table["TableName"] == name and not table["Deleted"])


def retrying_client(endpoint, attempts=20):
    return boto3.client("dynamodb", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY,
                        config=botocore.config.Config(retries={"total_max_attempts": attempts, "mode": "standard"}))


def start_server(server_process, tmp_path, text):
    path = tmp_path / "capacity.yaml"
    path.write_text(text)
    return server_process("--config", str(path), "--auth", "off")


SIZES = [1, 1000, 1024, 1025, 2048, 4095, 4096, 4097, 8192, 8193, 20000]


@pytest.mark.parametrize("size", SIZES)
def test_single_item_operations_consume_by_dynamodb_rules(client, make_table, size):
    name = make_table()
    small = item_of_size("k", 60)
    item = item_of_size("k", max(size, 60))
    size = size_of(item)
    put = client.put_item(TableName=name, Item=small, ReturnConsumedCapacity="TOTAL")
    assert put["ConsumedCapacity"] == {"TableName": name, "CapacityUnits": write_units(60)}
    # Replacing a small item with a larger one costs the larger one.
    put = client.put_item(TableName=name, Item=item, ReturnConsumedCapacity="TOTAL")
    assert put["ConsumedCapacity"]["CapacityUnits"] == write_units(60, size)
    for consistent in (True, False):
        got = client.get_item(TableName=name, Key={"pk": {"S": "k"}}, ConsistentRead=consistent,
                              ReturnConsumedCapacity="TOTAL")
        assert got["ConsumedCapacity"]["CapacityUnits"] == read_units(size, consistent)
    # An update that shrinks the item still pays for the larger, old one.
    updated = client.update_item(TableName=name, Key={"pk": {"S": "k"}}, UpdateExpression="SET v = :v",
                                 ExpressionAttributeValues={":v": {"S": "y"}}, ReturnConsumedCapacity="INDEXES")
    shrunk = size_of({"pk": {"S": "k"}, "v": {"S": "y"}})
    assert updated["ConsumedCapacity"] == {"TableName": name, "CapacityUnits": write_units(size, shrunk),
                                           "Table": {"CapacityUnits": write_units(size, shrunk)}}
    deleted = client.delete_item(TableName=name, Key={"pk": {"S": "k"}}, ReturnConsumedCapacity="TOTAL")
    assert deleted["ConsumedCapacity"]["CapacityUnits"] == write_units(size_of({"pk": {"S": "k"}, "v": {"S": "y"}}))


def test_reads_of_missing_items_and_deletes_of_missing_items_cost_the_minimum(client, make_table):
    name = make_table()
    got = client.get_item(TableName=name, Key={"pk": {"S": "absent"}}, ReturnConsumedCapacity="TOTAL")
    assert got["ConsumedCapacity"]["CapacityUnits"] == 0.5
    deleted = client.delete_item(TableName=name, Key={"pk": {"S": "absent"}}, ReturnConsumedCapacity="TOTAL")
    assert deleted["ConsumedCapacity"]["CapacityUnits"] == 1.0


def test_query_pages_consume_the_total_size_read_before_the_filter(client, make_table):
    name = make_table(range_key=("sk", "S"))
    items = [item_of_size("p", 1500 + 700 * index, sk=f"{index:02d}", tag="yes" if index == 3 else "no")
             for index in range(12)]
    for item in items:
        client.put_item(TableName=name, Item=item)
    sizes = [size_of(item) for item in items]
    for consistent in (True, False):
        pages = client.get_paginator("query").paginate(
            TableName=name, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}},
            ConsistentRead=consistent, Limit=5, ReturnConsumedCapacity="TOTAL")
        seen = 0
        for page in pages:
            read = sizes[seen:seen + page["ScannedCount"]]
            seen += page["ScannedCount"]
            # An empty last page still costs the minimum read.
            assert page["ConsumedCapacity"]["CapacityUnits"] == read_units(sum(read), consistent)
        assert seen == 12
    plain = client.query(TableName=name, KeyConditionExpression="pk = :p",
                         ExpressionAttributeValues={":p": {"S": "p"}}, ReturnConsumedCapacity="TOTAL")
    filtered = client.query(TableName=name, KeyConditionExpression="pk = :p", FilterExpression="tag = :t",
                            ExpressionAttributeValues={":p": {"S": "p"}, ":t": {"S": "yes"}},
                            ReturnConsumedCapacity="INDEXES")
    assert filtered["Count"] == 1
    assert plain["ConsumedCapacity"]["CapacityUnits"] == read_units(sum(sizes), False)
    assert filtered["ConsumedCapacity"] == {"TableName": name, "CapacityUnits": read_units(sum(sizes), False),
                                            "Table": {"CapacityUnits": read_units(sum(sizes), False)}}


def test_scan_consumes_the_size_of_every_item_read(client, make_table):
    name = make_table()
    items = [item_of_size(f"k{index}", 3000) for index in range(5)]
    for item in items:
        client.put_item(TableName=name, Item=item)
    scanned = client.scan(TableName=name, ConsistentRead=True, Select="COUNT", ReturnConsumedCapacity="TOTAL")
    assert scanned["ConsumedCapacity"]["CapacityUnits"] == read_units(5 * 3000, True)


def test_batch_get_rounds_each_item_separately(client, make_table):
    name = make_table()
    for key in ("a", "b", "c"):
        client.put_item(TableName=name, Item=item_of_size(key, 5000))
    response = client.batch_get_item(RequestItems={name: {
        "Keys": [{"pk": {"S": key}} for key in ("a", "b", "c", "missing")], "ConsistentRead": True,
    }}, ReturnConsumedCapacity="TOTAL")
    # Three 5,000-byte items at 2 units each, and the missing key at the minimum: not ⌈15,000 / 4 KB⌉.
    assert response["ConsumedCapacity"] == [{"TableName": name, "CapacityUnits": 3 * read_units(5000, True) + 1.0}]


def test_batch_write_reports_each_table(client, make_table):
    first, second = make_table(), make_table()
    response = client.batch_write_item(RequestItems={
        first: [{"PutRequest": {"Item": item_of_size("a", 1500)}}, {"PutRequest": {"Item": item_of_size("b", 100)}}],
        second: [{"DeleteRequest": {"Key": {"pk": {"S": "none"}}}}],
    }, ReturnConsumedCapacity="TOTAL")
    assert response["UnprocessedItems"] == {}
    assert response["ConsumedCapacity"] == [{"TableName": first, "CapacityUnits": write_units(1500) + 1.0},
                                            {"TableName": second, "CapacityUnits": 1.0}]


def create_indexed_table(client):
    """An on-demand table with a global index (INCLUDE proj) and a local index (ALL)."""
    name = unique_name()
    client.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": attribute, "AttributeType": "S"}
                              for attribute in ("pk", "sk", "gpk", "lsk")],
        GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": [{"AttributeName": "gpk", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["proj"]}}],
        LocalSecondaryIndexes=[{"IndexName": "lsi", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                   {"AttributeName": "lsk", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "ALL"}}])
    return name


@pytest.fixture
def indexed_table(client):
    name = create_indexed_table(client)
    yield name
    client.delete_table(TableName=name)


def arms(consumed):
    """(total, table, gsi, lsi) from an INDEXES ConsumedCapacity; absent arms are None."""
    return (consumed["CapacityUnits"], consumed["Table"]["CapacityUnits"],
            consumed.get("GlobalSecondaryIndexes", {}).get("gsi", {}).get("CapacityUnits"),
            consumed.get("LocalSecondaryIndexes", {}).get("lsi", {}).get("CapacityUnits"))


def test_index_writes_are_counted_by_dynamodb_rules(client, indexed_table):
    name = indexed_table

    def put(item):
        return arms(client.put_item(TableName=name, Item=item, ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"])

    def update(key, expression, values=None):
        arguments = {"ExpressionAttributeValues": values} if values else {}
        return arms(client.update_item(TableName=name, Key={"pk": {"S": key}, "sk": {"S": "1"}},
                                       UpdateExpression=expression, ReturnConsumedCapacity="INDEXES",
                                       **arguments)["ConsumedCapacity"])

    full = {"sk": {"S": "1"}, "gpk": {"S": "g"}, "lsk": {"S": "l"}, "proj": {"S": "p"}, "xattr": {"S": "o"}}
    assert put({"pk": {"S": "sparse"}, "sk": {"S": "1"}, "xattr": {"S": "o"}}) == (1.0, 1.0, None, None)
    assert put({"pk": {"S": "g-only"}, "sk": {"S": "1"}, "gpk": {"S": "g"}}) == (2.0, 1.0, 1.0, None)
    assert put({"pk": {"S": "a"}, **full}) == (3.0, 1.0, 1.0, 1.0)
    # An identical overwrite changes no index entry.
    assert put({"pk": {"S": "a"}, **full}) == (1.0, 1.0, None, None)
    # A non-projected attribute: only the ALL-projected local index changes.
    assert update("a", "SET xattr = :v", {":v": {"S": "o2"}}) == (2.0, 1.0, None, 1.0)
    # A projected attribute: one write per index.
    assert update("a", "SET proj = :v", {":v": {"S": "p2"}}) == (3.0, 1.0, 1.0, 1.0)
    # A changed index key: delete plus put on that index.
    assert update("a", "SET gpk = :v", {":v": {"S": "g2"}}) == (4.0, 1.0, 2.0, 1.0)
    # A removed index key: one delete.
    assert update("a", "REMOVE gpk") == (3.0, 1.0, 1.0, 1.0)
    deleted = client.delete_item(TableName=name, Key={"pk": {"S": "a"}, "sk": {"S": "1"}},
                                 ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]
    assert arms(deleted) == (2.0, 1.0, None, 1.0)
    # Large index entries round up to 1 KB each.
    big = {"pk": {"S": "big"}, "sk": {"S": "1"}, "gpk": {"S": "g"}, "proj": {"S": "x" * 3000}}
    units = write_units(size_of(big))
    assert units == 3.0
    assert put(big) == (2 * units, units, units, None)


def test_index_queries_are_metered_on_the_index(client, indexed_table):
    name = indexed_table
    client.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"S": "1"}, "gpk": {"S": "g"},
                                          "proj": {"S": "p"}, "other": {"S": "x" * 5000}})
    queried = client.query(TableName=name, IndexName="gsi", KeyConditionExpression="gpk = :g",
                           ExpressionAttributeValues={":g": {"S": "g"}}, ReturnConsumedCapacity="INDEXES")
    entry = size_of({"pk": {"S": "a"}, "sk": {"S": "1"}, "gpk": {"S": "g"}, "proj": {"S": "p"}})
    assert queried["ConsumedCapacity"] == {"TableName": name, "CapacityUnits": read_units(entry, False),
                                           "Table": {"CapacityUnits": 0.0},
                                           "GlobalSecondaryIndexes": {"gsi": {"CapacityUnits": read_units(entry, False)}}}


def test_failed_conditional_writes_still_consume(client, make_table, endpoint):
    name = make_table()
    client.put_item(TableName=name, Item=item_of_size("k", 2500))
    before = table_usage(endpoint, name)["ConsumedWriteCapacityUnits"]
    code, _ = error_of(client.put_item, TableName=name, Item={"pk": {"S": "k"}},
                       ConditionExpression="attribute_not_exists(pk)")
    assert code == "ConditionalCheckFailedException"
    code, _ = error_of(client.delete_item, TableName=name, Key={"pk": {"S": "absent"}},
                       ConditionExpression="attribute_exists(pk)")
    assert code == "ConditionalCheckFailedException"
    after = table_usage(endpoint, name)["ConsumedWriteCapacityUnits"]
    # The existing item's size for the first, the one-unit minimum for the second.
    assert after - before == write_units(2500) + 1.0
    assert client.get_item(TableName=name, Key={"pk": {"S": "k"}}, ConsistentRead=True)["Item"]["v"]


def test_transactions_cost_double_with_the_read_write_split(client, make_table):
    name = make_table()
    written = client.transact_write_items(TransactItems=[
        {"Put": {"TableName": name, "Item": item_of_size("a", 1500)}},
        {"Put": {"TableName": name, "Item": item_of_size("b", 5000)}},
    ], ReturnConsumedCapacity="INDEXES")
    units = 2 * (write_units(1500) + write_units(5000))
    assert written["ConsumedCapacity"] == [{"TableName": name, "CapacityUnits": units, "WriteCapacityUnits": units,
                                            "Table": {"CapacityUnits": units, "WriteCapacityUnits": units}}]
    read = client.transact_get_items(TransactItems=[
        {"Get": {"TableName": name, "Key": {"pk": {"S": key}}}} for key in ("a", "b", "missing")
    ], ReturnConsumedCapacity="TOTAL")
    units = 2 * (read_units(1500, True) + read_units(5000, True) + read_units(0, True))
    assert read["ConsumedCapacity"] == [{"TableName": name, "CapacityUnits": units, "ReadCapacityUnits": units}]


def test_provisioned_table_throttles_beyond_its_burst_and_retries_succeed(client, make_table, endpoint):
    name = make_table(ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    big = 200_000
    # A new table banks 300 seconds of its 5 WCU: 1,500 units, about seven 196-unit writes.
    accepted = 0
    while True:
        try:
            client.put_item(TableName=name, Item=item_of_size(f"big{accepted}", big))
            accepted += 1
        except client.exceptions.ProvisionedThroughputExceededException as error:
            assert error.response["Error"]["Message"] == TABLE_MESSAGE
            assert error.response["ThrottlingReasons"] == [
                {"reason": "TableWriteProvisionedThroughputExceeded",
                 "resource": client.describe_table(TableName=name)["Table"]["TableArn"]}]
            break
        assert accepted < 20, "the burst bank never ran out"
    assert accepted == 1500 // write_units(big)
    # Nothing of the throttled write was stored.
    assert "Item" not in client.get_item(TableName=name, Key={"pk": {"S": f"big{accepted}"}}, ConsistentRead=True)
    # Drain what is left with 20-unit writes, so the next 49-unit write must wait for the refill.
    drained = 0
    while True:
        try:
            client.put_item(TableName=name, Item=item_of_size(f"mid{drained}", 20 * 1024))
            drained += 1
        except client.exceptions.ProvisionedThroughputExceededException:
            break
        assert drained < 20
    response = retrying_client(endpoint).put_item(TableName=name, Item=item_of_size("retried", 49 * 1024))
    assert response["ResponseMetadata"]["RetryAttempts"] >= 1
    assert client.get_item(TableName=name, Key={"pk": {"S": "retried"}}, ConsistentRead=True)["Item"]
    assert table_usage(endpoint, name)["ThrottledWriteRequests"] >= 2 + response["ResponseMetadata"]["RetryAttempts"]


def test_batch_writes_under_throttling_return_unprocessed_items_and_batch_writer_lands_all(server_process, tmp_path):
    server = start_server(server_process, tmp_path, "capacity:\n  burst_seconds: 1\n")
    client = make_client(server.endpoint)
    name = unique_name()
    client.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                        ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 10})
    # 25 writes of 2 units against a 10-unit bank: most must come back unprocessed.
    requests = [{"PutRequest": {"Item": item_of_size(f"b{index}", 2048)}} for index in range(25)]
    response = client.batch_write_item(RequestItems={name: requests})
    unprocessed = response["UnprocessedItems"].get(name, [])
    assert 0 < len(unprocessed) < 25
    stored = client.scan(TableName=name, Select="COUNT")["Count"]
    assert stored == 25 - len(unprocessed)
    assert all(request in requests for request in unprocessed)
    resource = boto3.resource("dynamodb", endpoint_url=server.endpoint, region_name=REGION,
                              aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                              config=botocore.config.Config(retries={"total_max_attempts": 30, "mode": "standard"}))
    with resource.Table(name).batch_writer() as writer:
        for index in range(40):
            writer.put_item(Item={"pk": f"w{index}", "v": "x" * 900})
    keys = set()
    for page in client.get_paginator("scan").paginate(TableName=name, ConsistentRead=True):
        keys.update(item["pk"]["S"] for item in page["Items"])
    assert {f"w{index}" for index in range(40)} <= keys
    throttled = usage(server.endpoint)["Accounts"][ACCOUNT]["Tables"][0]["ThrottledWriteRequests"]
    assert throttled >= len(unprocessed)


def test_batch_get_under_throttling_returns_unprocessed_keys(server_process, tmp_path):
    server = start_server(server_process, tmp_path, "capacity:\n  burst_seconds: 1\n")
    client = make_client(server.endpoint)
    name = unique_name()
    client.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                        ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 100})
    for index in range(10):
        client.put_item(TableName=name, Item=item_of_size(f"k{index}", 8000))
    keys = [{"pk": {"S": f"k{index}"}} for index in range(10)]
    response = client.batch_get_item(RequestItems={name: {"Keys": keys, "ConsistentRead": True}})
    left = response["UnprocessedKeys"].get(name, {}).get("Keys", [])
    assert 0 < len(left) < 10
    assert len(response["Responses"][name]) + len(left) == 10
    # Every key throttled: the whole call fails, as in DynamoDB.
    code, message = error_of(client.batch_get_item, RequestItems={name: {"Keys": keys, "ConsistentRead": True}})
    assert (code, message) == ("ProvisionedThroughputExceededException", TABLE_MESSAGE)


def test_throttling_can_be_switched_off_while_metering_goes_on(server_process, tmp_path):
    server = start_server(server_process, tmp_path, "capacity:\n  enforce: false\n  burst_seconds: 1\n")
    client = make_client(server.endpoint)
    name = unique_name()
    client.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                        ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    for index in range(10):
        client.put_item(TableName=name, Item=item_of_size(f"k{index}", 10_000))
    table = usage(server.endpoint)["Accounts"][ACCOUNT]["Tables"][0]
    assert table["ConsumedWriteCapacityUnits"] == 10 * write_units(10_000)
    assert table["ThrottledWriteRequests"] == 0


def test_on_demand_maximums_are_enforced_and_described(client, make_table):
    name = make_table(OnDemandThroughput={"MaxReadRequestUnits": 1, "MaxWriteRequestUnits": 1})
    described = client.describe_table(TableName=name)["Table"]
    assert described["OnDemandThroughput"] == {"MaxReadRequestUnits": 1, "MaxWriteRequestUnits": 1}
    # A 10-unit write empties a one-unit-per-second maximum for ten seconds.
    client.put_item(TableName=name, Item=item_of_size("a", 10 * 1024))
    code, message = error_of(client.put_item, TableName=name, Item={"pk": {"S": "b"}})
    assert (code, message) == ("ProvisionedThroughputExceededException", ON_DEMAND_MESSAGE)
    updated = client.update_table(TableName=name, OnDemandThroughput={"MaxWriteRequestUnits": -1})
    assert updated["TableDescription"]["OnDemandThroughput"] == {"MaxReadRequestUnits": 1, "MaxWriteRequestUnits": -1}
    client.put_item(TableName=name, Item={"pk": {"S": "c"}})


def test_on_demand_read_maximum_is_enforced(client, make_table):
    name = make_table(OnDemandThroughput={"MaxReadRequestUnits": 1})
    client.put_item(TableName=name, Item=item_of_size("a", 12_000))
    client.get_item(TableName=name, Key={"pk": {"S": "a"}}, ConsistentRead=True)
    code, message = error_of(client.get_item, TableName=name, Key={"pk": {"S": "a"}})
    assert (code, message) == ("ProvisionedThroughputExceededException", ON_DEMAND_MESSAGE)


def test_billing_mode_switch_to_on_demand_is_limited_to_once_a_day(client, make_table):
    name = make_table(ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    assert "BillingModeSummary" not in client.describe_table(TableName=name)["Table"]
    client.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")
    summary = client.describe_table(TableName=name)["Table"]["BillingModeSummary"]
    assert summary["BillingMode"] == "PAY_PER_REQUEST"
    assert summary["LastUpdateToPayPerRequestDateTime"]
    client.update_table(TableName=name, BillingMode="PROVISIONED",
                        ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 2})
    code, message = error_of(client.update_table, TableName=name, BillingMode="PAY_PER_REQUEST")
    assert (code, message) == ("LimitExceededException",
                               "Subscriber limit exceeded: Update to PayPerRequest mode are limited to once in 1 day(s).")
    table = client.describe_table(TableName=name)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    assert table["BillingModeSummary"]["LastUpdateToPayPerRequestDateTime"] == summary["LastUpdateToPayPerRequestDateTime"]


def test_billing_mode_switch_interval_is_configurable(server_process, tmp_path):
    server = start_server(server_process, tmp_path, "capacity:\n  billing_mode_switch_interval: 0\n")
    client = make_client(server.endpoint)
    name = unique_name()
    client.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                        BillingMode="PAY_PER_REQUEST")
    for _ in range(2):
        client.update_table(TableName=name, BillingMode="PROVISIONED",
                            ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
        client.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")
    assert client.describe_table(TableName=name)["Table"]["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"


def test_auto_scaling_policies_are_set_and_described(client, make_table):
    name = make_table(ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    policy = {"MinimumUnits": 5, "MaximumUnits": 50,
              "ScalingPolicyUpdate": {"TargetTrackingScalingPolicyConfiguration": {"TargetValue": 70.0}}}
    described = client.update_table_replica_auto_scaling(
        TableName=name, ProvisionedWriteCapacityAutoScalingUpdate=policy,
        ReplicaUpdates=[{"RegionName": REGION, "ReplicaProvisionedReadCapacityAutoScalingUpdate": policy}],
    )["TableAutoScalingDescription"]
    assert described["TableName"] == name
    replica = described["Replicas"][0]
    assert replica["RegionName"] == REGION
    for key in ("ReplicaProvisionedReadCapacityAutoScalingSettings", "ReplicaProvisionedWriteCapacityAutoScalingSettings"):
        settings = replica[key]
        assert (settings["MinimumUnits"], settings["MaximumUnits"], settings["AutoScalingDisabled"]) == (5, 50, False)
        assert settings["ScalingPolicies"][0]["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == 70.0
    again = client.describe_table_replica_auto_scaling(TableName=name)["TableAutoScalingDescription"]
    assert again == described
    client.update_table_replica_auto_scaling(TableName=name,
                                             ProvisionedWriteCapacityAutoScalingUpdate={"AutoScalingDisabled": True})
    replica = client.describe_table_replica_auto_scaling(TableName=name)["TableAutoScalingDescription"]["Replicas"][0]
    assert replica["ReplicaProvisionedWriteCapacityAutoScalingSettings"] == {"AutoScalingDisabled": True}
    code, _ = error_of(client.describe_table_replica_auto_scaling, TableName=unique_name())
    assert code == "ResourceNotFoundException"


def test_auto_scaling_raises_capacity_under_sustained_load(server_process, tmp_path):
    server = start_server(server_process, tmp_path, (
        "capacity:\n  burst_seconds: 1\n"
        "auto_scaling:\n  evaluation_period_seconds: 0.5\n  scale_out_periods: 2\n  scale_in_periods: 3\n"))
    client = make_client(server.endpoint)
    name = unique_name()
    client.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    client.update_table_replica_auto_scaling(TableName=name, ProvisionedWriteCapacityAutoScalingUpdate={
        "MinimumUnits": 5, "MaximumUnits": 40,
        "ScalingPolicyUpdate": {"TargetTrackingScalingPolicyConfiguration": {"TargetValue": 50.0}}})
    deadline = time.monotonic() + 90
    index = 0
    throughput = client.describe_table(TableName=name)["Table"]["ProvisionedThroughput"]
    while throughput["WriteCapacityUnits"] <= 5:
        assert time.monotonic() < deadline, "auto scaling never raised the write capacity"
        for _ in range(20):
            index += 1
            try:
                client.put_item(TableName=name, Item=item_of_size(f"k{index}", 2048))
            except client.exceptions.ProvisionedThroughputExceededException:
                pass
        throughput = client.describe_table(TableName=name)["Table"]["ProvisionedThroughput"]
    assert 5 < throughput["WriteCapacityUnits"] <= 40
    assert throughput["LastIncreaseDateTime"]
    assert throughput["ReadCapacityUnits"] == 5
    assert throughput["NumberOfDecreasesToday"] == 0
    # Idle now: after the (shortened) scale-in periods, capacity comes back down to the minimum.
    deadline = time.monotonic() + 90
    while throughput["WriteCapacityUnits"] > 5:
        assert time.monotonic() < deadline, "auto scaling never lowered the write capacity"
        time.sleep(0.2)
        throughput = client.describe_table(TableName=name)["Table"]["ProvisionedThroughput"]
    assert throughput["NumberOfDecreasesToday"] == 1
    assert throughput["LastDecreaseDateTime"]


def test_usage_report_estimates_the_bill(server_process, tmp_path):
    server = start_server(server_process, tmp_path, "pricing:\n  on_demand_write_per_million: 1000000\n")
    client = make_client(server.endpoint)
    name = unique_name()
    client.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                        BillingMode="PAY_PER_REQUEST")
    for index in range(3):
        client.put_item(TableName=name, Item=item_of_size(f"k{index}", 1500))
    client.get_item(TableName=name, Key={"pk": {"S": "k0"}})
    report = usage(server.endpoint)
    assert report["Prices"]["OnDemandWritePerMillion"] == 1000000
    table = report["Accounts"][ACCOUNT]["Tables"][0]
    assert table["TableName"] == name
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["ConsumedWriteCapacityUnits"] == 3 * write_units(1500)
    assert table["ConsumedReadCapacityUnits"] == 0.5
    assert table["StorageBytes"] == 3 * 1500
    assert table["ItemCount"] == 3
    assert sum(interval["WriteUnits"] for interval in table["Series"]) == 3 * write_units(1500)
    # 6 write request units at $1 each (the configured price), plus tiny read and storage charges.
    assert 6.0 <= float(table["EstimatedCost"]["OnDemandRequestsUSD"]) < 6.001
    assert float(table["EstimatedCost"]["TotalUSD"]) >= 6.0
    assert report["EstimatedCostUSD"] == report["Accounts"][ACCOUNT]["EstimatedCostUSD"]
    assert usage(server.endpoint, account="999999999999")["Accounts"] == {}
    printed = subprocess.run([server_binary(), "usage", "--endpoint", server.endpoint], capture_output=True,
                             text=True, timeout=30, check=True).stdout
    assert name in printed and "PAY_PER_REQUEST" in printed and "Estimated total" in printed


def test_describe_limits_reports_the_quotas(client):
    limits = client.describe_limits()
    assert limits["TableMaxReadCapacityUnits"] == 40000
    assert limits["AccountMaxWriteCapacityUnits"] == 80000


def test_throttled_transactions_are_cancelled_and_change_nothing(client, make_table):
    name = make_table(ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    # A request larger than the 300-unit bank runs on a full bank and leaves it in debt.
    client.transact_write_items(TransactItems=[
        {"Put": {"TableName": name, "Item": item_of_size(f"a{index}", 100_000)}} for index in range(2)])
    try:
        client.transact_write_items(TransactItems=[
            {"Put": {"TableName": name, "Item": {"pk": {"S": "b"}}}},
            {"ConditionCheck": {"TableName": name, "Key": {"pk": {"S": "nothing"}},
                                "ConditionExpression": "attribute_not_exists(pk)"}}])
        raise AssertionError("the transaction was not throttled")
    except client.exceptions.TransactionCanceledException as error:
        reasons = error.response["CancellationReasons"]
        assert [reason["Code"] for reason in reasons] == ["ProvisionedThroughputExceeded"] * 2
        assert reasons[0]["Message"] == TABLE_MESSAGE
    assert "Item" not in client.get_item(TableName=name, Key={"pk": {"S": "b"}}, ConsistentRead=True)


def test_an_exhausted_global_index_holds_back_table_writes(client):
    name = unique_name()
    client.create_table(
        TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 100, "WriteCapacityUnits": 100},
        GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"},
                                 "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}])
    try:
        # The index banks 300 units; a 390-unit index write runs on the full bank and leaves it in debt.
        client.put_item(TableName=name, Item=item_of_size("a", 390 * 1024, g="x"))
        code, message = error_of(client.put_item, TableName=name, Item={"pk": {"S": "b"}})
        assert code == "ProvisionedThroughputExceededException"
        assert message == ("The level of configured provisioned throughput for one or more global secondary indexes "
                           "of the table was exceeded. Consider increasing your provisioning level for the "
                           "under-provisioned global secondary indexes with the UpdateTable API")
        assert "Item" not in client.get_item(TableName=name, Key={"pk": {"S": "b"}}, ConsistentRead=True)
    finally:
        client.delete_table(TableName=name)


def test_global_index_on_demand_maximums_are_enforced_and_described(client):
    name = unique_name()
    client.create_table(
        TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"},
                                 "OnDemandThroughput": {"MaxWriteRequestUnits": 1}}])
    try:
        index = client.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0]
        assert index["OnDemandThroughput"] == {"MaxReadRequestUnits": -1, "MaxWriteRequestUnits": 1}
        # A 10-unit index write empties the index's one-unit-per-second maximum for ten seconds.
        client.put_item(TableName=name, Item=item_of_size("a", 10 * 1024, g="x"))
        code, message = error_of(client.put_item, TableName=name, Item={"pk": {"S": "b"}})
        assert code == "ProvisionedThroughputExceededException"
        assert message == ("Throughput exceeds the current capacity for one or more global secondary indexes. "
                           "DynamoDB is automatically scaling your index so please try again shortly.")
        client.update_table(TableName=name, GlobalSecondaryIndexUpdates=[
            {"Update": {"IndexName": "gsi", "OnDemandThroughput": {"MaxWriteRequestUnits": -1}}}])
        index = client.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0]
        assert "OnDemandThroughput" not in index
        client.put_item(TableName=name, Item={"pk": {"S": "b"}})
    finally:
        client.delete_table(TableName=name)
