"""Query, Scan (parallel), BatchGetItem, BatchWriteItem and pagination."""
import random
import threading
from decimal import Decimal

import pytest

from conftest import error_of, make_client


def query_all(client, table, **arguments):
    paginator = client.get_paginator("query")
    return [item for page in paginator.paginate(TableName=table, **arguments) for item in page["Items"]]


def scan_all(client, table, **arguments):
    paginator = client.get_paginator("scan")
    return [item for page in paginator.paginate(TableName=table, **arguments) for item in page["Items"]]


def utf8_key(text):
    return text.encode("utf-8")


SORT_VALUES = {
    # Negative, zero, whole and fractional numbers (eighths are exact decimals), in random-looking order.
    "N": lambda i: str(Decimal(i - 5000) / 8) if i % 3 else str((i - 5000) * 1000),
    "S": lambda i: random.Random(i).choice(["a", "é", "😀", "Z", "zz", "ö", "日本"]) + f"{i:05d}",
    "B": lambda i: bytes([i % 256, (i * 7) % 256, i // 256]),
}


@pytest.mark.parametrize("sort_type", ["N", "S", "B"])
def test_query_paginates_10000_items_once_each_in_sort_order(client, resource, make_table, sort_type):
    name = make_table(range_key=("sk", sort_type))
    values = {SORT_VALUES[sort_type](i) for i in range(10_000)}
    with resource.Table(name).batch_writer() as writer:
        for value in values:
            writer.put_item(Item={"pk": "p", "sk": Decimal(value) if sort_type == "N" else value})
    items = query_all(client, name, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}},
                      PaginationConfig={"PageSize": 777})
    returned = [item["sk"][sort_type] for item in items]
    if sort_type == "N":
        expected = sorted(values, key=Decimal)
        assert [Decimal(value) for value in returned] == [Decimal(value) for value in expected]
    elif sort_type == "S":
        assert returned == sorted(values, key=utf8_key)
    else:
        assert returned == sorted(values)
    backwards = query_all(client, name, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}},
                          ScanIndexForward=False, PaginationConfig={"PageSize": 1000})
    assert [item["sk"][sort_type] for item in backwards] == returned[::-1]


@pytest.fixture
def numbers(client, resource, make_table):
    name = make_table(range_key=("sk", "N"))
    with resource.Table(name).batch_writer() as writer:
        for i in range(100):
            writer.put_item(Item={"pk": "p", "sk": i, "even": i % 2 == 0, "tag": f"t{i % 10}"})
        writer.put_item(Item={"pk": "other", "sk": 1})
    return name


@pytest.mark.parametrize("condition,values,expected", [
    ("sk = :a", {":a": {"N": "5"}}, [5]),
    ("sk < :a", {":a": {"N": "3"}}, [0, 1, 2]),
    ("sk <= :a", {":a": {"N": "3"}}, [0, 1, 2, 3]),
    ("sk > :a", {":a": {"N": "96"}}, [97, 98, 99]),
    ("sk >= :a", {":a": {"N": "97"}}, [97, 98, 99]),
    ("sk BETWEEN :a AND :b", {":a": {"N": "10"}, ":b": {"N": "13"}}, [10, 11, 12, 13]),
    (":a <= sk", {":a": {"N": "98"}}, [98, 99]),
])
def test_query_sort_key_conditions(client, numbers, condition, values, expected):
    items = query_all(client, numbers, KeyConditionExpression=f"pk = :p AND {condition}",
                      ExpressionAttributeValues={":p": {"S": "p"}, **values})
    assert [int(item["sk"]["N"]) for item in items] == expected


def test_query_begins_with_on_string_sort_keys(client, make_table):
    name = make_table(range_key=("sk", "S"))
    for sort in ["a", "ab", "abc", "abd", "b", "éa"]:
        client.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"S": sort}})
    items = query_all(client, name, KeyConditionExpression="pk = :p AND begins_with(sk, :s)",
                      ExpressionAttributeValues={":p": {"S": "p"}, ":s": {"S": "ab"}})
    assert [item["sk"]["S"] for item in items] == ["ab", "abc", "abd"]


def test_query_filter_counts_scanned_items_and_limit_applies_before_the_filter(client, numbers):
    response = client.query(TableName=numbers, KeyConditionExpression="pk = :p", FilterExpression="even = :t",
                            ExpressionAttributeValues={":p": {"S": "p"}, ":t": {"BOOL": True}}, Limit=10)
    assert response["ScannedCount"] == 10
    assert response["Count"] == 5
    assert response["LastEvaluatedKey"] == {"pk": {"S": "p"}, "sk": {"N": "9"}}


def test_query_select_count_and_projection(client, numbers):
    counted = client.query(TableName=numbers, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}},
                           Select="COUNT")
    assert counted["Count"] == 100 and "Items" not in counted
    projected = client.query(TableName=numbers, KeyConditionExpression="pk = :p AND sk = :s", ProjectionExpression="tag",
                             ExpressionAttributeValues={":p": {"S": "p"}, ":s": {"N": "3"}})
    assert projected["Items"] == [{"tag": {"S": "t3"}}]


def test_legacy_key_conditions_and_query_filter(client, numbers):
    response = client.query(TableName=numbers,
                            KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]},
                                           "sk": {"ComparisonOperator": "LT", "AttributeValueList": [{"N": "10"}]}},
                            QueryFilter={"tag": {"ComparisonOperator": "IN", "AttributeValueList": [{"S": "t1"}, {"S": "t2"}]}})
    assert [int(item["sk"]["N"]) for item in response["Items"]] == [1, 2]


@pytest.mark.parametrize("expression,values,message", [
    ("sk = :n", {":n": {"N": "1"}}, "Query condition missed key schema element: pk"),
    ("pk = :p OR sk = :n", {":p": {"S": "p"}, ":n": {"N": "1"}}, "Invalid operator used in KeyConditionExpression: OR"),
    ("pk = :p AND sk = :n AND sk = :n", {":p": {"S": "p"}, ":n": {"N": "1"}}, "Conditions can be of length 1 or 2 only"),
    ("pk = :n", {":n": {"N": "1"}}, "One or more parameter values were invalid: Condition parameter type does not match schema type"),
    ("pk < :p", {":p": {"S": "p"}}, "Query key condition not supported"),
    ("pk = :p AND begins_with(sk, :n)", {":p": {"S": "p"}, ":n": {"N": "1"}},
     "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"),
    ("pk = :p AND sk BETWEEN :b AND :a", {":p": {"S": "p"}, ":a": {"N": "1"}, ":b": {"N": "2"}},
     "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower "
     "bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}"),
])
def test_query_rejects_key_conditions_dynamodb_rejects(client, numbers, expression, values, message):
    assert error_of(client.query, TableName=numbers, KeyConditionExpression=expression,
                    ExpressionAttributeValues=values) == ("ValidationException", message)


def test_query_needs_a_key_condition(client, numbers):
    assert error_of(client.query, TableName=numbers) == (
        "ValidationException", "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")


def test_query_filter_may_not_use_key_attributes(client, numbers):
    code, message = error_of(client.query, TableName=numbers, KeyConditionExpression="pk = :p", FilterExpression="sk > :n",
                             ExpressionAttributeValues={":p": {"S": "p"}, ":n": {"N": "1"}})
    assert (code, message) == ("ValidationException",
                               "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk")


def test_query_on_an_unknown_index_is_refused(client, numbers):
    code, message = error_of(client.query, TableName=numbers, IndexName="nope", KeyConditionExpression="pk = :p",
                             ExpressionAttributeValues={":p": {"S": "p"}})
    assert (code, message) == ("ValidationException", "The table does not have the specified index: nope")


def test_pages_stop_at_one_megabyte_of_items_read(client, resource, make_table):
    name = make_table(range_key=("sk", "N"))
    with resource.Table(name).batch_writer() as writer:
        for i in range(25):
            writer.put_item(Item={"pk": "p", "sk": i, "blob": "x" * (100 * 1024)})
    first = client.query(TableName=name, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}})
    assert first["Count"] < 25
    assert "LastEvaluatedKey" in first
    total = first["Count"]
    start = first["LastEvaluatedKey"]
    while start:
        page = client.query(TableName=name, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}},
                            ExclusiveStartKey=start)
        total += page["Count"]
        start = page.get("LastEvaluatedKey")
    assert total == 25
    scanned = client.scan(TableName=name)
    assert scanned["Count"] == first["Count"]


@pytest.fixture
def many(resource, make_table):
    name = make_table()
    with resource.Table(name).batch_writer() as writer:
        for i in range(3000):
            writer.put_item(Item={"pk": f"item{i}", "n": i})
    return name


@pytest.mark.parametrize("total_segments", [1, 3, 16])
def test_parallel_scan_segments_cover_every_item_exactly_once(client, many, total_segments):
    seen = []
    for segment in range(total_segments):
        seen += [item["pk"]["S"] for item in scan_all(client, many, Segment=segment, TotalSegments=total_segments,
                                                      PaginationConfig={"PageSize": 250})]
    assert len(seen) == 3000
    assert set(seen) == {f"item{i}" for i in range(3000)}


def test_scan_order_is_stable_and_filters_count(client, many):
    first = [item["pk"]["S"] for item in scan_all(client, many)]
    second = [item["pk"]["S"] for item in scan_all(client, many, PaginationConfig={"PageSize": 100})]
    assert first == second
    filtered = client.scan(TableName=many, FilterExpression="n < :k", ExpressionAttributeValues={":k": {"N": "10"}}, Limit=3000)
    assert filtered["Count"] == 10 and filtered["ScannedCount"] == 3000
    legacy = client.scan(TableName=many, ScanFilter={"n": {"ComparisonOperator": "LT", "AttributeValueList": [{"N": "10"}]}})
    assert sorted(item["n"]["N"] for item in legacy["Items"]) == sorted(str(i) for i in range(10))


@pytest.mark.parametrize("arguments,message", [
    ({"Segment": 1}, "The TotalSegments parameter is required but was not present in the request when Segment parameter is present"),
    ({"TotalSegments": 2}, "The Segment parameter is required but was not present in the request when parameter TotalSegments is present"),
    ({"Segment": 3, "TotalSegments": 3}, "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
                                         "Segment: 3 is not less than TotalSegments: 3"),
])
def test_scan_segment_parameters_are_validated(client, many, arguments, message):
    assert error_of(client.scan, TableName=many, **arguments) == ("ValidationException", message)


def test_pagination_is_stable_under_concurrent_writes(endpoint, client, resource, make_table):
    name = make_table()
    with resource.Table(name).batch_writer() as writer:
        for i in range(2000):
            writer.put_item(Item={"pk": f"stable{i}"})
    stop = threading.Event()

    def churn():
        other = make_client(endpoint)
        i = 0
        while not stop.is_set() and i < 5000:
            key = {"pk": {"S": f"churn{i % 200}"}}
            if i % 2:
                other.put_item(TableName=name, Item=key)
            else:
                other.delete_item(TableName=name, Key=key)
            i += 1

    writer_thread = threading.Thread(target=churn)
    writer_thread.start()
    try:
        seen = [item["pk"]["S"] for item in scan_all(client, name, PaginationConfig={"PageSize": 50})]
    finally:
        stop.set()
        writer_thread.join(timeout=60)
    stable = [key for key in seen if key.startswith("stable")]
    assert len(stable) == 2000 and len(set(stable)) == 2000


def test_batch_writer_loads_50000_items(client, resource, make_table):
    name = make_table()
    with resource.Table(name).batch_writer() as writer:
        for i in range(50_000):
            writer.put_item(Item={"pk": f"k{i}", "v": i})
    assert client.describe_table(TableName=name)["Table"]["ItemCount"] == 50_000
    assert client.scan(TableName=name, Select="COUNT", Limit=100_000)["ScannedCount"] > 0


def test_batch_get_returns_found_items_with_projection(client, numbers):
    response = client.batch_get_item(RequestItems={numbers: {
        "Keys": [{"pk": {"S": "p"}, "sk": {"N": str(i)}} for i in (1, 2, 500)],
        "ProjectionExpression": "sk, #t", "ExpressionAttributeNames": {"#t": "tag"}, "ConsistentRead": True}})
    assert sorted(int(item["sk"]["N"]) for item in response["Responses"][numbers]) == [1, 2]
    assert all(set(item) == {"sk", "tag"} for item in response["Responses"][numbers])
    assert response["UnprocessedKeys"] == {}


def test_batch_limits_are_enforced_with_dynamodbs_messages(client, numbers):
    code, message = error_of(client.batch_write_item, RequestItems={numbers: [
        {"PutRequest": {"Item": {"pk": {"S": "p"}, "sk": {"N": str(i)}}}} for i in range(26)]})
    assert code == "ValidationException"
    assert message == (f"1 validation error detected: Value at 'RequestItems.{numbers}.member' failed to satisfy "
                       "constraint: Member must have length less than or equal to 25")
    code, message = error_of(client.batch_get_item, RequestItems={numbers: {
        "Keys": [{"pk": {"S": "p"}, "sk": {"N": str(i)}} for i in range(101)]}})
    assert code == "ValidationException"
    assert message == (f"1 validation error detected: Value at 'RequestItems.{numbers}.member.Keys' failed to satisfy "
                       "constraint: Member must have length less than or equal to 100")


def test_batches_refuse_duplicate_keys(client, numbers):
    key = {"pk": {"S": "p"}, "sk": {"N": "1"}}
    assert error_of(client.batch_write_item, RequestItems={numbers: [{"PutRequest": {"Item": key}}, {"DeleteRequest": {"Key": key}}]}) \
        == ("ValidationException", "Provided list of item keys contains duplicates")
    assert error_of(client.batch_get_item, RequestItems={numbers: {"Keys": [key, key]}}) \
        == ("ValidationException", "Provided list of item keys contains duplicates")


def test_batch_write_puts_and_deletes_across_tables(client, make_table):
    first, second = make_table(), make_table()
    client.put_item(TableName=second, Item={"pk": {"S": "gone"}})
    response = client.batch_write_item(RequestItems={
        first: [{"PutRequest": {"Item": {"pk": {"S": "a"}}}}, {"PutRequest": {"Item": {"pk": {"S": "b"}}}}],
        second: [{"DeleteRequest": {"Key": {"pk": {"S": "gone"}}}}]}, ReturnItemCollectionMetrics="SIZE")
    assert response["UnprocessedItems"] == {}
    assert client.describe_table(TableName=first)["Table"]["ItemCount"] == 2
    assert client.describe_table(TableName=second)["Table"]["ItemCount"] == 0


def test_batch_operations_on_a_missing_table(client):
    assert error_of(client.batch_get_item, RequestItems={"no_such_table": {"Keys": [{"pk": {"S": "a"}}]}}) \
        == ("ResourceNotFoundException", "Requested resource not found")
    assert error_of(client.batch_write_item, RequestItems={"no_such_table": [{"PutRequest": {"Item": {"pk": {"S": "a"}}}}]}) \
        == ("ResourceNotFoundException", "Requested resource not found")
