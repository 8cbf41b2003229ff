"""Global secondary indexes with multi-attribute keys (DynamoDB, November 2025): up to four HASH and four RANGE
attributes, sparse, ordered by the RANGE attributes in turn, queried with equalities on every HASH attribute and on
a prefix of the RANGE attributes."""
import pytest

from conftest import error_of, unique_name

INDEX = "byTournament"


@pytest.fixture
def matches(client):
    """A table keyed by `id` with an index of HASH (tournament, area) and RANGE (phase, points N)."""
    name = unique_name()
    client.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": t}
                              for n, t in [("id", "S"), ("tournament", "S"), ("area", "S"), ("phase", "S"), ("points", "N")]],
        GlobalSecondaryIndexes=[{
            "IndexName": INDEX,
            "KeySchema": [{"AttributeName": "tournament", "KeyType": "HASH"}, {"AttributeName": "area", "KeyType": "HASH"},
                          {"AttributeName": "phase", "KeyType": "RANGE"}, {"AttributeName": "points", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"}}])
    rows = [("m1", "final", 30), ("m2", "semi", 10), ("m3", "semi", 20), ("m4", "quarter", 5), ("m5", "semi", 15)]
    for match_id, round_name, score in rows:
        client.put_item(TableName=name, Item={"id": {"S": match_id}, "tournament": {"S": "winter"}, "area": {"S": "east"},
                                              "phase": {"S": round_name}, "points": {"N": str(score)}})
    # Another partition, and items missing one key attribute: neither is in the partition read below.
    client.put_item(TableName=name, Item={"id": {"S": "x1"}, "tournament": {"S": "winter"}, "area": {"S": "west"},
                                          "phase": {"S": "semi"}, "points": {"N": "1"}})
    client.put_item(TableName=name, Item={"id": {"S": "x2"}, "tournament": {"S": "winter"}, "area": {"S": "east"},
                                          "phase": {"S": "semi"}})
    yield name
    client.delete_table(TableName=name)


def query(client, table, condition, **extra):
    values = {":t": {"S": "winter"}, ":r": {"S": "east"}, ":round": {"S": "semi"}, ":low": {"N": "12"},
              ":high": {"N": "25"}, ":prefix": {"S": "s"}}
    used = {k: v for k, v in values.items() if k in condition}
    response = client.query(TableName=table, IndexName=INDEX, KeyConditionExpression=condition,
                            ExpressionAttributeValues=used, **extra)
    return [item["id"]["S"] for item in response["Items"]], response.get("LastEvaluatedKey")


def test_describe_table_lists_every_key_attribute_in_order(client, matches):
    index = client.describe_table(TableName=matches)["Table"]["GlobalSecondaryIndexes"][0]
    assert index["KeySchema"] == [
        {"AttributeName": "tournament", "KeyType": "HASH"}, {"AttributeName": "area", "KeyType": "HASH"},
        {"AttributeName": "phase", "KeyType": "RANGE"}, {"AttributeName": "points", "KeyType": "RANGE"}]
    assert index["ItemCount"] == 6


def test_a_partition_reads_in_the_order_of_the_range_attributes_and_leaves_out_incomplete_items(client, matches):
    assert query(client, matches, "tournament = :t AND area = :r")[0] == ["m1", "m4", "m2", "m5", "m3"]
    assert query(client, matches, "area = :r AND tournament = :t", ScanIndexForward=False)[0] == ["m3", "m5", "m2", "m4", "m1"]


def test_equalities_on_a_prefix_and_a_range_on_the_next_attribute(client, matches):
    assert query(client, matches, "tournament = :t AND area = :r AND phase = :round")[0] == ["m2", "m5", "m3"]
    assert query(client, matches, "tournament = :t AND area = :r AND phase = :round AND points BETWEEN :low AND :high")[0] \
        == ["m5", "m3"]
    assert query(client, matches, "tournament = :t AND area = :r AND begins_with(phase, :prefix)")[0] == ["m2", "m5", "m3"]


def test_pages_carry_every_key_attribute_and_resume_where_they_stopped(client, matches):
    seen, start = [], None
    while True:
        extra = {"Limit": 2, **({"ExclusiveStartKey": start} if start else {})}
        page, start = query(client, matches, "tournament = :t AND area = :r", **extra)
        seen += page
        if not start:
            break
        assert set(start) == {"id", "tournament", "area", "phase", "points"}
    assert seen == ["m1", "m4", "m2", "m5", "m3"]


@pytest.mark.parametrize("condition, message", [
    ("tournament = :t", "HASH key attributes area must have equality conditions"),
    ("tournament = :t AND begins_with(area, :r)", "HASH key attributes area must have equality conditions"),
    ("tournament = :t AND area = :r AND points > :low",
     "RANGE key attributes phase must have equality conditions specified in the query because a condition is present "
     "on key attribute points"),
    ("tournament = :t AND area = :r AND phase > :round AND points = :low",
     "RANGE key attributes phase must have equality conditions specified in the query because a condition is present "
     "on key attribute points"),
])
def test_key_conditions_dynamodb_refuses(client, matches, condition, message):
    assert error_of(query, client, matches, condition) == ("ValidationException", message)


def test_updating_a_key_attribute_moves_or_removes_the_entry(client, matches):
    client.update_item(TableName=matches, Key={"id": {"S": "m2"}}, UpdateExpression="REMOVE points")
    assert query(client, matches, "tournament = :t AND area = :r AND phase = :round")[0] == ["m5", "m3"]
    client.update_item(TableName=matches, Key={"id": {"S": "m2"}}, UpdateExpression="SET points = :s",
                       ExpressionAttributeValues={":s": {"N": "99"}})
    assert query(client, matches, "tournament = :t AND area = :r AND phase = :round")[0] == ["m5", "m3", "m2"]


def test_an_index_added_later_is_backfilled(client, make_table):
    name = make_table()
    for key, a, b in [("1", "x", "y"), ("2", "x", "z"), ("3", "x", None)]:
        item = {"pk": {"S": key}, "a": {"S": a}}
        if b:
            item["b"] = {"S": b}
        client.put_item(TableName=name, Item=item)
    client.update_table(
        TableName=name, AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "b", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": "byAB", "KeySchema": [
            {"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"}}}])
    for _ in range(200):
        index = client.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0]
        if index["IndexStatus"] == "ACTIVE":
            break
    response = client.query(TableName=name, IndexName="byAB", KeyConditionExpression="a = :a AND b = :b",
                            ExpressionAttributeValues={":a": {"S": "x"}, ":b": {"S": "z"}})
    assert response["Items"] == [{"pk": {"S": "2"}, "a": {"S": "x"}, "b": {"S": "z"}}]


def test_a_multi_attribute_index_and_warm_throughput_survive_a_restart(server_process, tmp_path):
    from conftest import make_client
    data = str(tmp_path / "data")
    first = server_process("--data-dir", data, in_memory=False)
    client = make_client(first.endpoint)
    client.create_table(
        TableName="kept", BillingMode="PAY_PER_REQUEST", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "a", "b", "c")],
        WarmThroughput={"ReadUnitsPerSecond": 20000},
        GlobalSecondaryIndexes=[{"IndexName": "abc", "KeySchema": [
            {"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "HASH"},
            {"AttributeName": "c", "KeyType": "RANGE"}], "Projection": {"ProjectionType": "ALL"}}])
    client.put_item(TableName="kept", Item={"pk": {"S": "1"}, "a": {"S": "x"}, "b": {"S": "y"}, "c": {"S": "z"}})
    first.stop()

    second = server_process("--data-dir", data, in_memory=False)
    client = make_client(second.endpoint)
    table = client.describe_table(TableName="kept")["Table"]
    assert [e["AttributeName"] for e in table["GlobalSecondaryIndexes"][0]["KeySchema"]] == ["a", "b", "c"]
    assert table["WarmThroughput"]["ReadUnitsPerSecond"] == 20000
    response = client.query(TableName="kept", IndexName="abc", KeyConditionExpression="a = :a AND b = :b",
                            ExpressionAttributeValues={":a": {"S": "x"}, ":b": {"S": "y"}})
    assert [item["pk"]["S"] for item in response["Items"]] == ["1"]
    second.stop()


@pytest.mark.parametrize("attribute, value, message", [
    ("area", {"N": "1"}, "One or more parameter values were invalid: Type mismatch for Index Key area Expected: S "
                         "Actual: N IndexName: byTournament"),
    ("points", {"S": "high"}, "One or more parameter values were invalid: Type mismatch for Index Key points Expected: N "
                              "Actual: S IndexName: byTournament"),
    ("phase", {"S": ""}, "One or more parameter values are not valid. A value specified for a secondary index key is "
                         "not supported. The AttributeValue for a key attribute cannot contain an empty string value. "
                         "IndexName: byTournament, IndexKey: phase"),
])
def test_writes_check_every_attribute_of_a_multi_attribute_key(client, matches, attribute, value, message):
    item = {"id": {"S": "new"}, "tournament": {"S": "winter"}, "area": {"S": "east"}, "phase": {"S": "semi"},
            "points": {"N": "3"}, attribute: value}
    assert error_of(client.put_item, TableName=matches, Item=item) == ("ValidationException", message)
    assert "Item" not in client.get_item(TableName=matches, Key={"id": {"S": "new"}})
