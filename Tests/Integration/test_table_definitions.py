"""Table and index definition rules of CreateTable, UpdateTable and DeleteTable, with DynamoDB's messages."""
import pytest

from conftest import error_of, unique_name

KEY = [{"AttributeName": "pk", "KeyType": "HASH"}]


def definitions(*names, kind="S"):
    return [{"AttributeName": n, "AttributeType": kind} for n in names]


def create_with_index(client, key_schema, defined, projection=None):
    return client.create_table(
        TableName=unique_name(), BillingMode="PAY_PER_REQUEST", KeySchema=KEY,
        AttributeDefinitions=definitions("pk", *defined),
        GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": [{"AttributeName": n, "KeyType": t} for n, t in key_schema],
                                 "Projection": projection or {"ProjectionType": "ALL"}}])


@pytest.mark.parametrize("key_schema, defined, message", [
    ([(f"h{i}", "HASH") for i in range(5)], [f"h{i}" for i in range(5)],
     "One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number of HASH key attributes"),
    ([("h", "HASH")] + [(f"r{i}", "RANGE") for i in range(5)], ["h"] + [f"r{i}" for i in range(5)],
     "One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number of RANGE key attributes"),
    ([("a", "HASH"), ("b", "RANGE"), ("c", "HASH")], ["a", "b", "c"],
     "One or more parameter values were invalid: All HASH key attributes must precede RANGE key attributes in the KeySchema"),
    ([("a", "HASH"), ("b", "HASH"), ("a", "RANGE")], ["a", "b"],
     "The KeySchema contains multiple key attributes with the same name"),
])
def test_multi_attribute_key_schemas_dynamodb_refuses(client, key_schema, defined, message):
    assert error_of(create_with_index, client, key_schema, defined) == ("ValidationException", message)


def test_an_attribute_defined_twice_is_refused(client):
    assert error_of(client.create_table, TableName=unique_name(), BillingMode="PAY_PER_REQUEST",
                    KeySchema=[{"AttributeName": "xyz", "KeyType": "HASH"}],
                    AttributeDefinitions=definitions("xyz") + definitions("xyz", kind="N")) \
        == ("ValidationException", "Attribute Name is duplicated: xyz")


@pytest.mark.parametrize("projection, message", [
    ({"ProjectionType": "INCLUDE"},
     "One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified"),
    ({"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x", "x"]},
     "One or more parameter values were invalid: Duplicate element in NonKeyAttributes: x"),
])
def test_projection_errors(client, projection, message):
    assert error_of(create_with_index, client, [("a", "HASH")], ["a"], projection) == ("ValidationException", message)


def test_a_projected_name_longer_than_255_bytes_is_refused(client):
    long_name = "n" * 256
    code, message = error_of(create_with_index, client, [("a", "HASH")], ["a"],
                             {"ProjectionType": "INCLUDE", "NonKeyAttributes": [long_name]})
    assert code == "ValidationException"
    assert message == (f"1 validation error detected: Value '[{long_name}]' at "
                       "'globalSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to satisfy constraint: "
                       "Member must satisfy constraint: [Member must have length less than or equal to 255, "
                       "Member must have length greater than or equal to 1]")


def test_a_new_index_may_not_retype_a_defined_attribute(client, make_table):
    name = unique_name()
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", KeySchema=KEY,
                        AttributeDefinitions=definitions("pk", "xyz"),
                        GlobalSecondaryIndexes=[{"IndexName": "one", "KeySchema": [{"AttributeName": "xyz", "KeyType": "HASH"}],
                                                 "Projection": {"ProjectionType": "ALL"}}])
    try:
        assert error_of(client.update_table, TableName=name, AttributeDefinitions=definitions("xyz", kind="N"),
                        GlobalSecondaryIndexUpdates=[{"Create": {
                            "IndexName": "two", "KeySchema": [{"AttributeName": "xyz", "KeyType": "HASH"}],
                            "Projection": {"ProjectionType": "ALL"}}}]) == (
            "ValidationException",
            "One or more parameter values were invalid: Attributes cannot be redefined. Please check that your attribute "
            "has the same type as previously defined. Existing schema: Schema:[SchemaElement: key{xyz:S:HASH}] "
            "New schema: Schema:[SchemaElement: key{xyz:N:HASH}]")
    finally:
        client.delete_table(TableName=name)


def test_update_table_index_errors(client, make_table):
    name = make_table()
    create = {"IndexName": "ind", "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}
    assert error_of(client.update_table, TableName=name, AttributeDefinitions=definitions("x"),
                    GlobalSecondaryIndexUpdates=[{"Create": create, "Delete": {"IndexName": "other"}}]) == (
        "ValidationException", "One or more parameter values were invalid: Only one global secondary index action is "
        "allowed per GlobalSecondaryIndexUpdate object")
    assert error_of(client.update_table, TableName=name,
                    GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "gone1"}}, {"Delete": {"IndexName": "gone2"}}])[0] \
        == "LimitExceededException"
    assert error_of(client.update_table, TableName=name, GlobalSecondaryIndexUpdates=[{"Create": create}]) == (
        "ValidationException", "One or more parameter values were invalid: AttributeDefinitions is not specified for index: ind")


def test_backfill_leaves_out_items_whose_new_key_value_is_unusable(client, make_table):
    name = make_table()
    for key, value in [("ok", {"S": "x"}), ("number", {"N": "1"}), ("empty", {"S": ""}), ("long", {"S": "y" * 2049})]:
        client.put_item(TableName=name, Item={"pk": {"S": key}, "g": value})
    client.update_table(TableName=name, AttributeDefinitions=definitions("g"), GlobalSecondaryIndexUpdates=[{"Create": {
        "IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "KEYS_ONLY"}}}])
    for _ in range(200):
        if client.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE":
            break
    assert [item["pk"]["S"] for item in client.scan(TableName=name, IndexName="byG")["Items"]] == ["ok"]


def test_delete_table_describes_the_table_without_its_schema(client):
    name = unique_name()
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                        KeySchema=KEY + [{"AttributeName": "sk", "KeyType": "RANGE"}],
                        AttributeDefinitions=definitions("pk", "sk", "x"),
                        GlobalSecondaryIndexes=[{"IndexName": "glob1", "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}],
                                                 "Projection": {"ProjectionType": "ALL"}}],
                        LocalSecondaryIndexes=[{"IndexName": "loc1", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                                 {"AttributeName": "x", "KeyType": "RANGE"}],
                                                "Projection": {"ProjectionType": "ALL"}}])
    description = client.delete_table(TableName=name)["TableDescription"]
    assert description["TableName"] == name and description["TableStatus"] == "DELETING"
    assert {"TableId", "TableArn", "ItemCount", "TableSizeBytes", "ProvisionedThroughput", "BillingModeSummary"} <= set(description)
    for absent in ["KeySchema", "AttributeDefinitions", "CreationDateTime", "GlobalSecondaryIndexes", "LocalSecondaryIndexes"]:
        assert absent not in description
