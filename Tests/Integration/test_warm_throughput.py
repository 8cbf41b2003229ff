"""Warm throughput (2024): CreateTable and UpdateTable set it, DescribeTable reports it for the table and each global
index; DynamoDB starts every table and index at 12,000 read and 4,000 write units per second and never lowers it."""
from conftest import error_of, unique_name

KEY = [{"AttributeName": "pk", "KeyType": "HASH"}]


def warm(description):
    return {k: description["WarmThroughput"][k] for k in ("ReadUnitsPerSecond", "WriteUnitsPerSecond", "Status")}


def test_new_tables_and_indexes_report_the_default(client, make_table):
    name = unique_name()
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", KeySchema=KEY,
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
                        GlobalSecondaryIndexes=[{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                                 "Projection": {"ProjectionType": "ALL"}}])
    try:
        table = client.describe_table(TableName=name)["Table"]
        assert warm(table) == {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000, "Status": "ACTIVE"}
        assert warm(table["GlobalSecondaryIndexes"][0]) == {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000,
                                                             "Status": "ACTIVE"}
    finally:
        client.delete_table(TableName=name)


def test_create_table_sets_and_update_table_raises_it(client, make_table):
    name = make_table(WarmThroughput={"ReadUnitsPerSecond": 15000, "WriteUnitsPerSecond": 5000})
    assert warm(client.describe_table(TableName=name)["Table"])["ReadUnitsPerSecond"] == 15000
    client.update_table(TableName=name, WarmThroughput={"WriteUnitsPerSecond": 6000})
    table = client.describe_table(TableName=name)["Table"]
    assert (warm(table)["ReadUnitsPerSecond"], warm(table)["WriteUnitsPerSecond"]) == (15000, 6000)


def test_update_table_refuses_a_decrease_and_company(client, make_table):
    name = make_table()
    assert error_of(client.update_table, TableName=name, WarmThroughput={"ReadUnitsPerSecond": 100}) == (
        "ValidationException", "One or more parameter values were invalid: Requested ReadUnitsPerSecond for WarmThroughput "
        "for table is lower than current WarmThroughput, decreasing WarmThroughput is not supported")
    assert error_of(client.update_table, TableName=name, WarmThroughput={"ReadUnitsPerSecond": 20000},
                    DeletionProtectionEnabled=True) == (
        "ValidationException", "One or more parameter values were invalid: WarmThroughput must be the only operation in the request")


def test_provisioned_capacity_raises_it_and_may_not_exceed_a_request(client, make_table):
    name = make_table(ProvisionedThroughput={"ReadCapacityUnits": 20000, "WriteCapacityUnits": 5})
    assert warm(client.describe_table(TableName=name)["Table"])["ReadUnitsPerSecond"] == 20000
    assert error_of(client.create_table, TableName=unique_name(), KeySchema=KEY,
                    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                    ProvisionedThroughput={"ReadCapacityUnits": 20000, "WriteCapacityUnits": 5},
                    WarmThroughput={"ReadUnitsPerSecond": 15000}) == (
        "ValidationException", "One or more parameter values were invalid: Requested ReadUnitsPerSecond for WarmThroughput "
        "for table is lower than ReadCapacityUnits of ProvisionedThroughput")


def test_a_global_index_update_raises_its_warm_throughput(client):
    name = unique_name()
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", KeySchema=KEY,
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
                        GlobalSecondaryIndexes=[{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                                 "Projection": {"ProjectionType": "ALL"}}])
    try:
        client.update_table(TableName=name, GlobalSecondaryIndexUpdates=[
            {"Update": {"IndexName": "byG", "WarmThroughput": {"ReadUnitsPerSecond": 30000}}}])
        index = client.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0]
        assert (warm(index)["ReadUnitsPerSecond"], warm(index)["WriteUnitsPerSecond"]) == (30000, 4000)
    finally:
        client.delete_table(TableName=name)
