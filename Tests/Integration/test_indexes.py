"""Secondary indexes: creation rules, sparse maintenance under every kind of change, index reads equal to a model,
and a global index added while writes continue."""
import random
import threading
import time
from decimal import Decimal

import pytest

from conftest import error_of, make_client, unique_name


def create_single_table_design(client):
    name = unique_name()
    client.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": t} for a, t in
                              [("pk", "S"), ("sk", "S"), ("gsi1pk", "S"), ("gsi1sk", "N"), ("status", "S"), ("created", "N")]],
        GlobalSecondaryIndexes=[
            {"IndexName": "gsi1", "KeySchema": [{"AttributeName": "gsi1pk", "KeyType": "HASH"},
                                                {"AttributeName": "gsi1sk", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "ALL"}},
            {"IndexName": "byStatus", "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["note"]}},
        ],
        LocalSecondaryIndexes=[
            {"IndexName": "byCreated", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                     {"AttributeName": "created", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "KEYS_ONLY"}},
        ])
    return name


def random_item(rng, i):
    item = {"pk": f"user{i % 50}", "sk": f"order{i:05d}", "note": f"n{i}", "created": Decimal(rng.randint(-1000, 1000)) / 4}
    if rng.random() < 0.7:
        item["gsi1pk"] = f"region{rng.randint(0, 9)}"
        item["gsi1sk"] = Decimal(rng.randint(0, 100_000))
    if rng.random() < 0.5:
        item["status"] = rng.choice(["open", "shipped", "closed"])
    return item


def query_all(client, **arguments):
    return [item for page in client.get_paginator("query").paginate(**arguments) for item in page["Items"]]


@pytest.fixture
def design(client, resource):
    name = create_single_table_design(client)
    rng = random.Random(7)
    model = {}
    with resource.Table(name).batch_writer() as writer:
        for i in range(5000):
            item = random_item(rng, i)
            writer.put_item(Item=item)
            model[(item["pk"], item["sk"])] = item
    yield name, model
    client.delete_table(TableName=name)


def test_global_index_queries_match_the_model_in_order(resource, design):
    name, model = design
    table = resource.Table(name)
    for region in range(10):
        expected = sorted((item for item in model.values() if item.get("gsi1pk") == f"region{region}"),
                          key=lambda item: item["gsi1sk"])
        items = []
        kwargs = {"IndexName": "gsi1", "KeyConditionExpression": "gsi1pk = :r", "ExpressionAttributeValues": {":r": f"region{region}"}}
        while True:
            page = table.query(**kwargs, Limit=97)
            items += page["Items"]
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        assert [item["gsi1sk"] for item in items] == [item["gsi1sk"] for item in expected]
        assert sorted((i["pk"], i["sk"]) for i in items) == sorted((i["pk"], i["sk"]) for i in expected)
        assert all(item == model[(item["pk"], item["sk"])] for item in items)


def test_include_projection_and_hash_only_global_index(client, design):
    name, model = design
    items = query_all(client, TableName=name, IndexName="byStatus", KeyConditionExpression="#s = :s",
                      ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues={":s": {"S": "open"}})
    expected = [item for item in model.values() if item.get("status") == "open"]
    assert len(items) == len(expected)
    assert all(set(item) <= {"pk", "sk", "status", "note"} for item in items)


def test_local_index_queries_order_by_the_index_sort_key(client, design):
    name, model = design
    for user in ("user0", "user17"):
        items = query_all(client, TableName=name, IndexName="byCreated", KeyConditionExpression="pk = :p AND created >= :c",
                          ExpressionAttributeValues={":p": {"S": user}, ":c": {"N": "0"}}, ScanIndexForward=False)
        expected = sorted((i for i in model.values() if i["pk"] == user and i["created"] >= 0), key=lambda i: i["created"], reverse=True)
        assert [Decimal(i["created"]["N"]) for i in items] == [i["created"] for i in expected]
        assert all(set(i) == {"pk", "sk", "created"} for i in items)
        full = client.query(TableName=name, IndexName="byCreated", KeyConditionExpression="pk = :p",
                            ExpressionAttributeValues={":p": {"S": user}}, Select="ALL_ATTRIBUTES", Limit=1)["Items"][0]
        assert "note" in full


def test_index_scans_cover_the_sparse_index_exactly(client, design):
    name, model = design
    seen = [(i["pk"]["S"], i["sk"]["S"]) for segment in range(3) for page in
            client.get_paginator("scan").paginate(TableName=name, IndexName="gsi1", Segment=segment, TotalSegments=3)
            for i in page["Items"]]
    assert sorted(seen) == sorted(key for key, item in model.items() if "gsi1pk" in item)
    assert client.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0]["ItemCount"] == len(seen)


def test_membership_follows_puts_updates_and_deletes(client, make_table):
    name = unique_name()
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
                        GlobalSecondaryIndexes=[{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                                 "Projection": {"ProjectionType": "ALL"}}])

    def members(value):
        return sorted(i["pk"]["S"] for i in query_all(client, TableName=name, IndexName="byG", KeyConditionExpression="g = :g",
                                                      ExpressionAttributeValues={":g": {"S": value}}))

    client.put_item(TableName=name, Item={"pk": {"S": "a"}, "g": {"S": "x"}})
    client.put_item(TableName=name, Item={"pk": {"S": "b"}})
    client.put_item(TableName=name, Item={"pk": {"S": "c"}, "g": {"S": "x"}})
    assert members("x") == ["a", "c"]
    client.update_item(TableName=name, Key={"pk": {"S": "b"}}, UpdateExpression="SET g = :x", ExpressionAttributeValues={":x": {"S": "x"}})
    client.update_item(TableName=name, Key={"pk": {"S": "a"}}, UpdateExpression="SET g = :y", ExpressionAttributeValues={":y": {"S": "y"}})
    client.update_item(TableName=name, Key={"pk": {"S": "c"}}, UpdateExpression="REMOVE g")
    assert members("x") == ["b"] and members("y") == ["a"]
    client.update_item(TableName=name, Key={"pk": {"S": "a"}}, UpdateExpression="SET extra = :o", ExpressionAttributeValues={":o": {"S": "o"}})
    assert query_all(client, TableName=name, IndexName="byG", KeyConditionExpression="g = :g",
                     ExpressionAttributeValues={":g": {"S": "y"}})[0]["extra"] == {"S": "o"}
    client.delete_item(TableName=name, Key={"pk": {"S": "b"}})
    assert members("x") == []
    client.delete_table(TableName=name)


def test_a_global_index_added_under_concurrent_writes_matches_the_model(endpoint, client, resource):
    name = unique_name()
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    with resource.Table(name).batch_writer() as writer:
        for i in range(20_000):
            writer.put_item(Item={"pk": f"k{i}", "colour": f"c{i % 7}"})
    stop = threading.Event()
    writes = {}

    def writer_thread():
        api, rng, n = make_client(endpoint), random.Random(3), 0
        while not stop.is_set() and n < 3000:
            key = f"k{rng.randint(0, 25_000)}"
            colour = f"c{rng.randint(0, 9)}"
            if rng.random() < 0.2:
                api.delete_item(TableName=name, Key={"pk": {"S": key}})
                writes[key] = None
            else:
                api.put_item(TableName=name, Item={"pk": {"S": key}, "colour": {"S": colour}})
                writes[key] = colour
            n += 1

    thread = threading.Thread(target=writer_thread)
    thread.start()
    time.sleep(0.2)
    client.update_table(TableName=name, AttributeDefinitions=[{"AttributeName": "colour", "AttributeType": "S"}],
                        GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": "byColour",
                                                                 "KeySchema": [{"AttributeName": "colour", "KeyType": "HASH"}],
                                                                 "Projection": {"ProjectionType": "KEYS_ONLY"}}}])
    time.sleep(0.5)
    stop.set()
    thread.join(timeout=120)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        index = client.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0]
        if index["IndexStatus"] == "ACTIVE":
            break
        time.sleep(0.2)
    assert index["IndexStatus"] == "ACTIVE" and "Backfilling" not in index
    model = {f"k{i}": f"c{i % 7}" for i in range(20_000)}
    for key, colour in writes.items():
        if colour is None:
            model.pop(key, None)
        else:
            model[key] = colour
    for colour in [f"c{i}" for i in range(10)]:
        found = sorted(i["pk"]["S"] for i in query_all(client, TableName=name, IndexName="byColour",
                                                       KeyConditionExpression="colour = :c", ExpressionAttributeValues={":c": {"S": colour}}))
        assert found == sorted(key for key, value in model.items() if value == colour)
    client.delete_table(TableName=name)


def test_deleting_a_global_index(client):
    name = create_single_table_design(client)
    client.update_table(TableName=name, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "byStatus"}}])
    assert [i["IndexName"] for i in client.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]] == ["gsi1"]
    assert error_of(client.query, TableName=name, IndexName="byStatus", KeyConditionExpression="#s = :s",
                    ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues={":s": {"S": "x"}}) == (
        "ValidationException", "The table does not have the specified index: byStatus")
    client.delete_table(TableName=name)


def test_describe_table_reports_indexes_completely(client):
    name = create_single_table_design(client)
    table = client.describe_table(TableName=name)["Table"]
    gsi = table["GlobalSecondaryIndexes"][0]
    assert gsi["IndexName"] == "gsi1" and gsi["IndexStatus"] == "ACTIVE"
    assert gsi["IndexArn"] == f"{table['TableArn']}/index/gsi1"
    assert gsi["Projection"] == {"ProjectionType": "ALL"}
    assert {"IndexSizeBytes", "ItemCount", "ProvisionedThroughput", "KeySchema"} <= set(gsi)
    lsi = table["LocalSecondaryIndexes"][0]
    assert lsi["Projection"] == {"ProjectionType": "KEYS_ONLY"} and "IndexStatus" not in lsi
    client.delete_table(TableName=name)


@pytest.mark.parametrize("mutate,message", [
    (lambda r: r["LocalSecondaryIndexes"][0]["KeySchema"].__setitem__(0, {"AttributeName": "sk", "KeyType": "HASH"}),
     "One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema "
     "for index: lsi. index hash key: sk, table hash key: pk"),
    (lambda r: r["LocalSecondaryIndexes"][0]["KeySchema"].pop(),
     "One or more parameter values were invalid: Index KeySchema does not have a range key for index: lsi"),
    (lambda r: r["GlobalSecondaryIndexes"][0].__setitem__("IndexName", "lsi"),
     "One or more parameter values were invalid: Duplicate index name: lsi"),
    (lambda r: r["GlobalSecondaryIndexes"][0]["Projection"].__setitem__("NonKeyAttributes", ["a"]),
     "One or more parameter values were invalid: ProjectionType is ALL, but NonKeyAttributes is specified"),
    (lambda r: r["GlobalSecondaryIndexes"][0]["KeySchema"][0].__setitem__("AttributeName", "undefined"),
     "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. "
     "Keys: [undefined], AttributeDefinitions: [pk, sk, g, l]"),
    (lambda r: r["GlobalSecondaryIndexes"][0].__setitem__("ProvisionedThroughput", {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}),
     "One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: gsi when "
     "BillingMode is PAY_PER_REQUEST"),
    (lambda r: r["GlobalSecondaryIndexes"].__setitem__(slice(None), [dict(r["GlobalSecondaryIndexes"][0], IndexName=f"g{i:02d}") for i in range(21)]),
     "One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20"),
])
def test_create_table_validates_indexes(client, mutate, message):
    request = {
        "TableName": unique_name(), "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in ["pk", "sk", "g", "l"]],
        "GlobalSecondaryIndexes": [{"IndexName": "gsi", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                    "Projection": {"ProjectionType": "ALL"}}],
        "LocalSecondaryIndexes": [{"IndexName": "lsi", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                      {"AttributeName": "l", "KeyType": "RANGE"}],
                                   "Projection": {"ProjectionType": "KEYS_ONLY"}}],
    }
    mutate(request)
    assert error_of(client.create_table, **request) == ("ValidationException", message)


def test_index_read_rules(client, design):
    name, _ = design
    assert error_of(client.query, TableName=name, IndexName="gsi1", KeyConditionExpression="gsi1pk = :r", ConsistentRead=True,
                    ExpressionAttributeValues={":r": {"S": "region1"}}) == (
        "ValidationException", "Consistent reads are not supported on global secondary indexes")
    assert error_of(client.query, TableName=name, IndexName="byStatus", KeyConditionExpression="#s = :s", Select="ALL_ATTRIBUTES",
                    ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues={":s": {"S": "open"}}) == (
        "ValidationException", "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for "
                               "global secondary index byStatus because its projection type is not ALL")


def lsi_table(client):
    name = unique_name()
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ["pk", "sk", "l"]],
                        LocalSecondaryIndexes=[{"IndexName": "byL", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                                  {"AttributeName": "l", "KeyType": "RANGE"}],
                                                "Projection": {"ProjectionType": "ALL"}}])
    return name


def test_writes_return_item_collection_metrics_for_tables_with_local_indexes(client):
    name = lsi_table(client)
    response = client.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"S": "a"}, "l": {"S": "x"}},
                               ReturnItemCollectionMetrics="SIZE")
    assert response["ItemCollectionMetrics"] == {"ItemCollectionKey": {"pk": {"S": "p"}}, "SizeEstimateRangeGB": [0.0, 1.0]}
    client.delete_table(TableName=name)


def test_the_item_collection_limit_is_enforced(server_process, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("tables:\n  item_collection_limit_bytes: 3000\n")
    server = server_process("--config", str(config))
    client = make_client(server.endpoint)
    name = lsi_table(client)
    client.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"S": "a"}, "l": {"S": "x"}, "blob": {"S": "x" * 1000}})
    code, message = error_of(client.put_item, TableName=name,
                             Item={"pk": {"S": "p"}, "sk": {"S": "b"}, "l": {"S": "y"}, "blob": {"S": "x" * 1000}})
    assert (code, message) == ("ItemCollectionSizeLimitExceededException", "Collection size exceeded.")
    client.put_item(TableName=name, Item={"pk": {"S": "other"}, "sk": {"S": "b"}, "l": {"S": "y"}, "blob": {"S": "x" * 1000}})
