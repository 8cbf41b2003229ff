"""The control plane: CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTable."""
import re

import pytest

from conftest import error_of, make_client, unique_name

KEY = [{"AttributeName": "pk", "KeyType": "HASH"}]
DEFS = [{"AttributeName": "pk", "AttributeType": "S"}]


def test_create_table_returns_a_complete_description(client, make_table):
    name = unique_name()
    response = client.create_table(TableName=name, KeySchema=KEY + [{"AttributeName": "sk", "KeyType": "RANGE"}],
                                   AttributeDefinitions=DEFS + [{"AttributeName": "sk", "AttributeType": "N"}],
                                   ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 7})
    try:
        description = response["TableDescription"]
        assert description["TableName"] == name
        assert description["TableStatus"] == "ACTIVE"
        assert description["TableArn"] == f"arn:aws:dynamodb:us-east-1:123456789012:table/{name}"
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", description["TableId"])
        assert description["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"},
                                            {"AttributeName": "sk", "KeyType": "RANGE"}]
        assert description["AttributeDefinitions"] == [{"AttributeName": "pk", "AttributeType": "S"},
                                                       {"AttributeName": "sk", "AttributeType": "N"}]
        throughput = description["ProvisionedThroughput"]
        assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"], throughput["NumberOfDecreasesToday"]) == (5, 7, 0)
        assert description["ItemCount"] == 0 and description["TableSizeBytes"] == 0
        assert description["DeletionProtectionEnabled"] is False
        assert "CreationDateTime" in description
        assert "BillingModeSummary" not in description
    finally:
        client.delete_table(TableName=name)


def test_on_demand_tables_report_their_billing_mode_and_zero_throughput(client, make_table):
    name = make_table()
    table = client.describe_table(TableName=name)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert "LastUpdateToPayPerRequestDateTime" in table["BillingModeSummary"]
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert table["ProvisionedThroughput"]["WriteCapacityUnits"] == 0


def test_boto3_waiters_see_tables_appear_and_disappear(client):
    name = unique_name()
    client.create_table(TableName=name, KeySchema=KEY, AttributeDefinitions=DEFS, BillingMode="PAY_PER_REQUEST")
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    client.delete_table(TableName=name)
    client.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})


def test_tables_created_with_a_delay_are_creating_first_then_active(server_process, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("tables:\n  creation_delay_seconds: 1\n  deletion_delay_seconds: 1\n")
    server = server_process("--config", str(config))
    client = make_client(server.endpoint)
    name = unique_name()
    created = client.create_table(TableName=name, KeySchema=KEY, AttributeDefinitions=DEFS,
                                  BillingMode="PAY_PER_REQUEST")
    assert created["TableDescription"]["TableStatus"] == "CREATING"
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 10})
    assert client.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"
    assert client.delete_table(TableName=name)["TableDescription"]["TableStatus"] == "DELETING"
    client.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 10})


def test_create_table_rejects_a_duplicate_name(client, make_table):
    name = make_table()
    code, message = error_of(client.create_table, TableName=name, KeySchema=KEY, AttributeDefinitions=DEFS,
                             BillingMode="PAY_PER_REQUEST")
    assert code == "ResourceInUseException"
    assert message == f"Table already exists: {name}"


@pytest.mark.parametrize("name,message", [
    ("ab", "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: "
           "Member must have length greater than or equal to 3"),
    ("a" * 256, f"1 validation error detected: Value '{'a' * 256}' at 'tableName' failed to satisfy constraint: "
                "Member must have length less than or equal to 255"),
    ("bad name!", "1 validation error detected: Value 'bad name!' at 'tableName' failed to satisfy constraint: "
                  "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
    ("a!", "2 validation errors detected: Value 'a!' at 'tableName' failed to satisfy constraint: Member must satisfy "
           "regular expression pattern: [a-zA-Z0-9_.-]+; Value 'a!' at 'tableName' failed to satisfy constraint: "
           "Member must have length greater than or equal to 3"),
])
def test_create_table_validates_the_table_name(client, name, message):
    code, actual = error_of(client.create_table, TableName=name, KeySchema=KEY, AttributeDefinitions=DEFS,
                            BillingMode="PAY_PER_REQUEST")
    assert code == "ValidationException"
    assert actual == message


def test_create_table_rejects_an_unused_attribute_definition(client):
    code, message = error_of(client.create_table, TableName=unique_name(), KeySchema=KEY,
                             AttributeDefinitions=DEFS + [{"AttributeName": "other", "AttributeType": "S"}],
                             BillingMode="PAY_PER_REQUEST")
    assert code == "ValidationException"
    assert message == ("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly "
                       "match number of attributes defined in AttributeDefinitions")


def test_create_table_rejects_a_key_without_definition(client):
    code, message = error_of(client.create_table, TableName=unique_name(), KeySchema=KEY,
                             AttributeDefinitions=[{"AttributeName": "x", "AttributeType": "S"}],
                             BillingMode="PAY_PER_REQUEST")
    assert code == "ValidationException"
    assert message == ("One or more parameter values were invalid: Some index key attributes are not defined in "
                       "AttributeDefinitions. Keys: [pk], AttributeDefinitions: [x]")


def test_create_table_rejects_two_hash_keys(client):
    code, message = error_of(client.create_table, TableName=unique_name(),
                             KeySchema=KEY + [{"AttributeName": "sk", "KeyType": "HASH"}],
                             AttributeDefinitions=DEFS + [{"AttributeName": "sk", "AttributeType": "S"}],
                             BillingMode="PAY_PER_REQUEST")
    assert code == "ValidationException"
    assert message == "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"


def test_create_table_rejects_the_same_attribute_as_hash_and_range(client):
    code, message = error_of(client.create_table, TableName=unique_name(),
                             KeySchema=KEY + [{"AttributeName": "pk", "KeyType": "RANGE"}],
                             AttributeDefinitions=DEFS, BillingMode="PAY_PER_REQUEST")
    assert code == "ValidationException"
    assert message.startswith("Invalid KeySchema")


def test_create_table_rejects_a_non_scalar_key_type(client):
    code, message = error_of(client.create_table, TableName=unique_name(), KeySchema=KEY,
                             AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "BOOL"}],
                             BillingMode="PAY_PER_REQUEST")
    assert code == "ValidationException"
    assert message == ("1 validation error detected: Value 'BOOL' at 'attributeDefinitions.1.member.attributeType' "
                       "failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]")


def test_create_table_rejects_an_invalid_billing_mode(client):
    code, message = error_of(client.create_table, TableName=unique_name(), KeySchema=KEY, AttributeDefinitions=DEFS,
                             BillingMode="INVALID_MODE")
    assert code == "ValidationException"
    assert "billingMode" in message and "[PROVISIONED, PAY_PER_REQUEST]" in message


def test_create_table_rejects_more_than_two_key_elements(client):
    code, message = error_of(client.create_table, TableName=unique_name(),
                             KeySchema=KEY + [{"AttributeName": "a", "KeyType": "RANGE"}, {"AttributeName": "b", "KeyType": "RANGE"}],
                             AttributeDefinitions=DEFS, BillingMode="PAY_PER_REQUEST")
    assert code == "ValidationException"
    assert "Member must have length less than or equal to 2" in message


def test_provisioned_billing_requires_throughput(client):
    code, message = error_of(client.create_table, TableName=unique_name(), KeySchema=KEY, AttributeDefinitions=DEFS)
    assert code == "ValidationException"
    assert message == ("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both "
                       "be specified when BillingMode is PROVISIONED")


def test_on_demand_billing_refuses_throughput(client):
    code, message = error_of(client.create_table, TableName=unique_name(), KeySchema=KEY, AttributeDefinitions=DEFS,
                             BillingMode="PAY_PER_REQUEST",
                             ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    assert code == "ValidationException"
    assert message == ("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits "
                       "can be specified when BillingMode is PAY_PER_REQUEST")


def test_capacity_units_must_be_at_least_one(unchecked_client):
    code, message = error_of(unchecked_client.create_table, TableName=unique_name(), KeySchema=KEY, AttributeDefinitions=DEFS,
                             ProvisionedThroughput={"ReadCapacityUnits": 0, "WriteCapacityUnits": 1})
    assert code == "ValidationException"
    assert message == ("1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to "
                       "satisfy constraint: Member must have value greater than or equal to 1")


def test_a_disabled_stream_with_a_view_type_is_refused(client):
    code, message = error_of(client.create_table, TableName=unique_name(), KeySchema=KEY, AttributeDefinitions=DEFS,
                             BillingMode="PAY_PER_REQUEST",
                             StreamSpecification={"StreamEnabled": False, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    assert code == "ValidationException"
    assert message == ("One or more parameter values were invalid: Table is being created with a stream disabled, "
                       "UpdateViewType should not be specified")


def test_stream_sse_and_tags_are_stored_and_reported(client, make_table):
    name = make_table(StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
                      SSESpecification={"Enabled": True}, Tags=[{"Key": "team", "Value": "data"}])
    table = client.describe_table(TableName=name)["Table"]
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    assert table["SSEDescription"]["Status"] == "ENABLED"


@pytest.mark.parametrize("operation", ["describe_table", "delete_table"])
def test_a_missing_table_is_resource_not_found(client, operation):
    name = unique_name()
    code, message = error_of(getattr(client, operation), TableName=name)
    assert code == "ResourceNotFoundException"
    assert message == f"Requested resource not found: Table: {name} not found"


def test_describe_table_accepts_a_table_arn(client, make_table):
    name = make_table()
    arn = client.describe_table(TableName=name)["Table"]["TableArn"]
    assert client.describe_table(TableName=arn)["Table"]["TableName"] == name


def test_list_tables_pages_with_limit_and_exclusive_start(endpoint):
    client = make_client(endpoint, region="ap-south-1")
    names = sorted(unique_name("list") for _ in range(5))
    for name in names:
        client.create_table(TableName=name, KeySchema=KEY, AttributeDefinitions=DEFS, BillingMode="PAY_PER_REQUEST")
    try:
        first = client.list_tables(Limit=2)
        assert first["TableNames"] == names[:2]
        assert first["LastEvaluatedTableName"] == names[1]
        second = client.list_tables(Limit=2, ExclusiveStartTableName=first["LastEvaluatedTableName"])
        assert second["TableNames"] == names[2:4]
        rest = client.list_tables(ExclusiveStartTableName=second["LastEvaluatedTableName"])
        assert rest["TableNames"] == names[4:]
        assert "LastEvaluatedTableName" not in rest
        paginated = [name for page in client.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 2})
                     for name in page["TableNames"]]
        assert paginated == names
    finally:
        for name in names:
            client.delete_table(TableName=name)


@pytest.mark.parametrize("limit,constraint", [(0, "Member must have value greater than or equal to 1"),
                                              (101, "Member must have value less than or equal to 100")])
def test_list_tables_validates_limit(unchecked_client, limit, constraint):
    code, message = error_of(unchecked_client.list_tables, Limit=limit)
    assert code == "ValidationException"
    assert message == f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: {constraint}"


def test_deletion_protection_blocks_delete_until_disabled(client, make_table):
    name = make_table(DeletionProtectionEnabled=True)
    assert client.describe_table(TableName=name)["Table"]["DeletionProtectionEnabled"] is True
    code, message = error_of(client.delete_table, TableName=name)
    assert code == "ValidationException"
    assert message == ("Resource cannot be deleted as it is currently protected against deletion. Disable deletion "
                       "protection first.")
    client.update_table(TableName=name, DeletionProtectionEnabled=False)
    client.delete_table(TableName=name)


def test_update_table_switches_billing_modes(client, make_table):
    # Created provisioned: DynamoDB allows one switch to on-demand per 24 hours (see test_capacity.py).
    name = make_table(ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    client.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")
    table = client.describe_table(TableName=name)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    updated = client.update_table(TableName=name, BillingMode="PROVISIONED",
                                  ProvisionedThroughput={"ReadCapacityUnits": 3, "WriteCapacityUnits": 4})
    throughput = updated["TableDescription"]["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (3, 4)
    assert client.describe_table(TableName=name)["Table"]["BillingModeSummary"]["BillingMode"] == "PROVISIONED"


def test_update_table_changes_throughput_and_counts_decreases(client, make_table):
    name = make_table(ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    client.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 5})
    throughput = client.describe_table(TableName=name)["Table"]["ProvisionedThroughput"]
    assert throughput["ReadCapacityUnits"] == 2
    assert throughput["NumberOfDecreasesToday"] == 1
    assert "LastDecreaseDateTime" in throughput


def test_update_table_refuses_an_unchanged_throughput(client, make_table):
    name = make_table(ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    code, message = error_of(client.update_table, TableName=name,
                             ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    assert code == "ValidationException"
    assert message.startswith("The provisioned throughput for the table will not change. The requested value equals "
                              "the current value. Current ReadCapacityUnits provisioned for the table: 1.")


def test_update_table_with_nothing_to_update_is_refused(client, make_table):
    name = make_table()
    code, message = error_of(client.update_table, TableName=name)
    assert code == "ValidationException"
    assert message == ("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                       "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required")


def test_update_table_refuses_enabling_an_enabled_stream(client, make_table):
    name = make_table(StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    code, message = error_of(client.update_table, TableName=name,
                             StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    assert code == "ValidationException"
    assert message == f"Table already has an enabled stream: TableName: {name}"


def test_same_name_in_two_accounts_and_two_regions_stays_separate(endpoint, client, make_table):
    from conftest import LOCAL_ACCESS_KEY, LOCAL_SECRET_KEY
    name = make_table()
    client.put_item(TableName=name, Item={"pk": {"S": "main"}})
    others = [make_client(endpoint, access_key=LOCAL_ACCESS_KEY, secret_key=LOCAL_SECRET_KEY),
              make_client(endpoint, region="eu-central-1")]
    for other in others:
        other.create_table(TableName=name, KeySchema=KEY, AttributeDefinitions=DEFS, BillingMode="PAY_PER_REQUEST")
        try:
            assert "Item" not in other.get_item(TableName=name, Key={"pk": {"S": "main"}})
            other.put_item(TableName=name, Item={"pk": {"S": "other"}})
        finally:
            other.delete_table(TableName=name)
    assert "Item" not in client.get_item(TableName=name, Key={"pk": {"S": "other"}})
    assert client.describe_table(TableName=name)["Table"]["ItemCount"] == 1


def test_describe_limits_reports_dynamodbs_default_quotas(client):
    limits = client.describe_limits()
    assert (limits["AccountMaxReadCapacityUnits"], limits["AccountMaxWriteCapacityUnits"],
            limits["TableMaxReadCapacityUnits"], limits["TableMaxWriteCapacityUnits"]) == (80000, 80000, 40000, 40000)


def test_describe_endpoints_names_this_server(client):
    endpoints = client.describe_endpoints()["Endpoints"]
    assert len(endpoints) == 1 and endpoints[0]["CachePeriodInMinutes"] == 1440
    assert endpoints[0]["Address"].startswith("127.0.0.1:")
