"""Time to Live: UpdateTimeToLive / DescribeTimeToLive with DynamoDB's rules, and the background sweeper that deletes
expired items through the normal write path (indexes, streams) as the service."""
import time

import pytest

from conftest import error_of, make_client, unique_name

KEY = {"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
       "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}


def ttl_server(server_process, tmp_path, in_memory=True, data=None, **settings):
    """A server of its own with `ttl:` settings (no update cooldown unless given)."""
    settings.setdefault("update_cooldown_seconds", 0)
    config = tmp_path / f"config-{unique_name()}.yaml"
    config.write_text("ttl:\n" + "".join(f"  {key}: {value}\n" for key, value in settings.items()))
    arguments = ["--config", str(config)] + (["--data-dir", data] if data else [])
    server = server_process(*arguments, in_memory=in_memory)
    return server, make_client(server.endpoint), make_client(server.endpoint, service="dynamodbstreams")


def describe(client, name):
    return client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]


def enable(client, name, attribute="expires"):
    return client.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute})


def wait_until(condition, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_time_to_live_is_enabled_described_and_disabled(server_process, tmp_path):
    _, client, _ = ttl_server(server_process, tmp_path, sweep_interval_seconds=3600)
    name = unique_name()
    client.create_table(TableName=name, **KEY)
    assert describe(client, name) == {"TimeToLiveStatus": "DISABLED"}
    response = enable(client, name)
    assert response["TimeToLiveSpecification"] == {"Enabled": True, "AttributeName": "expires"}
    assert describe(client, name) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}
    client.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires"})
    assert describe(client, name) == {"TimeToLiveStatus": "DISABLED"}


def test_a_change_reports_enabling_and_disabling_while_it_settles(server_process, tmp_path):
    _, client, _ = ttl_server(server_process, tmp_path, sweep_interval_seconds=3600, transition_seconds=0.5)
    name = unique_name()
    client.create_table(TableName=name, **KEY)
    enable(client, name)
    assert describe(client, name) == {"TimeToLiveStatus": "ENABLING", "AttributeName": "expires"}
    assert wait_until(lambda: describe(client, name)["TimeToLiveStatus"] == "ENABLED")
    client.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires"})
    assert describe(client, name) == {"TimeToLiveStatus": "DISABLING", "AttributeName": "expires"}
    assert wait_until(lambda: describe(client, name) == {"TimeToLiveStatus": "DISABLED"})


def test_time_to_live_rules_and_messages(server_process, tmp_path):
    _, client, _ = ttl_server(server_process, tmp_path, sweep_interval_seconds=3600)
    name = unique_name()
    client.create_table(TableName=name, **KEY)
    assert error_of(client.update_time_to_live, TableName=name,
                    TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires"}) == (
        "ValidationException", "TimeToLive is already disabled")
    enable(client, name)
    assert error_of(enable, client, name) == ("ValidationException", "TimeToLive is already enabled")
    assert error_of(enable, client, name, "other") == (
        "ValidationException", "TimeToLive is active on a different AttributeName: current AttributeName is expires")
    missing = unique_name()
    assert error_of(enable, client, missing) == (
        "ResourceNotFoundException", f"Requested resource not found: Table: {missing} not found")
    assert error_of(client.describe_time_to_live, TableName=missing)[0] == "ResourceNotFoundException"


def test_specification_members_are_required(unchecked_client, make_table):
    name = make_table()
    code, message = error_of(unchecked_client.update_time_to_live, TableName=name,
                             TimeToLiveSpecification={"Enabled": True})
    assert code == "ValidationException" and "timeToLiveSpecification.attributeName" in message
    code, message = error_of(unchecked_client.update_time_to_live, TableName=name)
    assert (code, message) == ("ValidationException", "1 validation error detected: Value null at "
                               "'timeToLiveSpecification' failed to satisfy constraint: Member must not be null")


def test_a_second_change_within_the_cooldown_is_refused(client, make_table):
    name = make_table()
    enable(client, name)
    assert error_of(client.update_time_to_live, TableName=name,
                    TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires"}) == (
        "ValidationException", "Time to live has been modified multiple times within a fixed interval")
    assert describe(client, name)["TimeToLiveStatus"] == "ENABLED"


def test_expired_items_stay_readable_until_swept(server_process, tmp_path):
    _, client, _ = ttl_server(server_process, tmp_path, sweep_interval_seconds=3600)
    name = unique_name()
    client.create_table(TableName=name, **KEY)
    enable(client, name)
    client.put_item(TableName=name, Item={"pk": {"S": "old"}, "expires": {"N": str(int(time.time()) - 60)}})
    assert client.get_item(TableName=name, Key={"pk": {"S": "old"}})["Item"]["pk"] == {"S": "old"}


def test_the_sweeper_deletes_a_thousand_expired_items_as_service_removes(server_process, tmp_path):
    _, client, streams = ttl_server(server_process, tmp_path, sweep_interval_seconds=0.2, sweep_batch_size=50)
    name = unique_name()
    client.create_table(TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
                        AttributeDefinitions=KEY["AttributeDefinitions"] + [{"AttributeName": "group", "AttributeType": "S"}],
                        KeySchema=KEY["KeySchema"], BillingMode="PAY_PER_REQUEST",
                        GlobalSecondaryIndexes=[{"IndexName": "by-group", "KeySchema": [
                            {"AttributeName": "group", "KeyType": "HASH"}], "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    now = int(time.time())
    expired = [f"old{i:04d}" for i in range(1000)]
    future = [f"new{i:02d}" for i in range(20)]
    for start in range(0, len(expired), 25):
        client.batch_write_item(RequestItems={name: [
            {"PutRequest": {"Item": {"pk": {"S": key}, "group": {"S": "g"}, "expires": {"N": str(now - 3600)}}}}
            for key in expired[start:start + 25]]})
    client.batch_write_item(RequestItems={name: [
        {"PutRequest": {"Item": {"pk": {"S": key}, "group": {"S": "g"}, "expires": {"N": str(now + 86400)}}}}
        for key in future]})
    client.put_item(TableName=name, Item={"pk": {"S": "text"}, "expires": {"S": str(now - 3600)}})
    enable(client, name)

    def remaining():
        return client.scan(TableName=name, Select="COUNT")["Count"]
    assert wait_until(lambda: remaining() == len(future) + 1)
    survivors = {item["pk"]["S"] for item in client.scan(TableName=name)["Items"]}
    assert survivors == set(future) | {"text"}
    index_keys = {item["pk"]["S"] for item in client.query(
        TableName=name, IndexName="by-group", KeyConditionExpression="#g = :g",
        ExpressionAttributeNames={"#g": "group"}, ExpressionAttributeValues={":g": {"S": "g"}})["Items"]}
    assert index_keys == set(future)

    arn = client.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    records = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while iterator:
            page = streams.get_records(ShardIterator=iterator, Limit=1000)
            records += page["Records"]
            iterator = page.get("NextShardIterator") if page["Records"] else None
    removes = [record for record in records if record["eventName"] == "REMOVE"]
    assert sorted(record["dynamodb"]["Keys"]["pk"]["S"] for record in removes) == expired
    assert all(record["userIdentity"] == {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"}
               for record in removes)
    assert all(record["dynamodb"]["OldImage"]["expires"] == {"N": str(now - 3600)} for record in removes)
    inserts = [record for record in records if record["eventName"] == "INSERT"]
    assert len(inserts) == 1021 and all("userIdentity" not in record for record in inserts)


def test_time_to_live_survives_a_restart(server_process, tmp_path):
    data = str(tmp_path / "data")
    first, client, _ = ttl_server(server_process, tmp_path, in_memory=False, data=data, sweep_interval_seconds=3600)
    name = unique_name()
    client.create_table(TableName=name, **KEY)
    enable(client, name)
    first.stop()
    _, client, _ = ttl_server(server_process, tmp_path, in_memory=False, data=data, sweep_interval_seconds=3600)
    assert describe(client, name) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}
