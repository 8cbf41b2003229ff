"""DynamoDB Streams through boto3's `dynamodbstreams` client on the same endpoint: stream settings, record shapes per
view type, iterators, shard rollover and lineage, retention, iterator expiry, and records surviving a restart."""
import signal
import time

import pytest

from conftest import error_of, make_client, unique_name

KEY = {"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
       "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}
VIEW_TYPES = ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"]


@pytest.fixture(scope="module")
def streams(endpoint):
    return make_client(endpoint, service="dynamodbstreams")


def configured_server(server_process, tmp_path, in_memory=True, data=None, **streams_settings):
    """A server of its own whose `streams:` settings accelerate time."""
    arguments = ["--data-dir", data] if data else []
    if streams_settings:
        config = tmp_path / f"config-{unique_name()}.yaml"
        config.write_text("streams:\n" + "".join(f"  {key}: {value}\n" for key, value in streams_settings.items()))
        arguments += ["--config", str(config)]
    server = server_process(*arguments, in_memory=in_memory)
    return server, make_client(server.endpoint), make_client(server.endpoint, service="dynamodbstreams")


def create_streamed(client, view_type="NEW_AND_OLD_IMAGES", name=None):
    name = name or unique_name()
    table = client.create_table(TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": view_type},
                                **KEY)["TableDescription"]
    return name, table["LatestStreamArn"]


def read_shard(streams, arn, shard_id, iterator_type="TRIM_HORIZON", **extra):
    """Every record of one shard from the position asked for, until the iterator ends or a read comes back empty."""
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard_id, ShardIteratorType=iterator_type,
                                          **extra)["ShardIterator"]
    records = []
    while iterator:
        page = streams.get_records(ShardIterator=iterator)
        records += page["Records"]
        iterator = page.get("NextShardIterator")
        if not page["Records"]:
            break
    return records


def read_stream(streams, arn):
    """Every record of a stream, parents before children (shard lineage)."""
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    ids = {shard["ShardId"] for shard in shards}
    ordered, done = [], set()
    while len(ordered) < len(shards):
        for shard in shards:
            parent = shard.get("ParentShardId")
            if shard["ShardId"] not in done and (parent is None or parent not in ids or parent in done):
                ordered.append(shard)
                done.add(shard["ShardId"])
    return [record for shard in ordered for record in read_shard(streams, arn, shard["ShardId"])]


def only_shard(streams, arn):
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    assert len(shards) == 1
    return shards[0]["ShardId"]


# Stream settings


def test_describe_table_names_the_latest_stream(client, streams):
    name, arn = create_streamed(client, "KEYS_ONLY")
    table = client.describe_table(TableName=name)["Table"]
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    assert table["LatestStreamArn"] == f"{table['TableArn']}/stream/{table['LatestStreamLabel']}"
    assert streams.list_streams(TableName=name)["Streams"] == [
        {"StreamArn": arn, "TableName": name, "StreamLabel": table["LatestStreamLabel"]}]


def test_stream_settings_are_validated_as_dynamodb_does(client, make_table):
    name = make_table()
    assert error_of(client.update_table, TableName=name, StreamSpecification={"StreamEnabled": False}) == (
        "ValidationException", f"Table has no stream to disable: TableName: {name}")
    assert error_of(client.update_table, TableName=name, StreamSpecification={"StreamEnabled": True}) == (
        "ValidationException",
        "One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required")
    assert error_of(client.update_table, TableName=name,
                    StreamSpecification={"StreamEnabled": False, "StreamViewType": "KEYS_ONLY"}) == (
        "ValidationException",
        "One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified")
    client.update_table(TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    # Changing the view type needs the stream disabled first.
    assert error_of(client.update_table, TableName=name,
                    StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}) == (
        "ValidationException", f"Table already has an enabled stream: TableName: {name}")
    assert error_of(client.create_table, TableName=unique_name(), StreamSpecification={"StreamEnabled": True},
                    **KEY) == (
        "ValidationException",
        "One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required")


def test_a_disabled_stream_stays_readable_and_enabling_again_starts_a_new_stream(client, streams):
    name, first = create_streamed(client, "KEYS_ONLY")
    client.put_item(TableName=name, Item={"pk": {"S": "a"}})
    client.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    client.put_item(TableName=name, Item={"pk": {"S": "b"}})
    description = streams.describe_stream(StreamArn=first)["StreamDescription"]
    assert description["StreamStatus"] == "DISABLED"
    assert all("EndingSequenceNumber" in shard["SequenceNumberRange"] for shard in description["Shards"])
    assert [record["dynamodb"]["Keys"] for record in read_stream(streams, first)] == [{"pk": {"S": "a"}}]
    assert "StreamSpecification" not in client.describe_table(TableName=name)["Table"]
    time.sleep(0.01)  # labels have millisecond resolution
    table = client.update_table(TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    second = table["TableDescription"]["LatestStreamArn"]
    assert second != first
    client.put_item(TableName=name, Item={"pk": {"S": "c"}})
    assert [record["dynamodb"]["Keys"]["pk"]["S"] for record in read_stream(streams, second)] == ["c"]
    assert {stream["StreamArn"] for stream in streams.list_streams(TableName=name)["Streams"]} == {first, second}


# Records


@pytest.mark.parametrize("view_type", VIEW_TYPES)
def test_each_view_type_yields_exactly_the_expected_records_in_order(client, streams, view_type):
    name, arn = create_streamed(client, view_type)
    key = {"pk": {"S": "item"}}
    client.put_item(TableName=name, Item={**key, "v": {"N": "1"}})
    client.update_item(TableName=name, Key=key, UpdateExpression="SET v = :v", ExpressionAttributeValues={":v": {"N": "2"}})
    client.update_item(TableName=name, Key=key, UpdateExpression="SET v = :v", ExpressionAttributeValues={":v": {"N": "2"}})
    code, _ = error_of(client.put_item, TableName=name, Item={**key, "v": {"N": "9"}},
                       ConditionExpression="attribute_not_exists(pk)")
    assert code == "ConditionalCheckFailedException"
    client.delete_item(TableName=name, Key=key)
    client.delete_item(TableName=name, Key=key)  # deleting nothing changes nothing

    records = read_shard(streams, arn, only_shard(streams, arn))
    assert [record["eventName"] for record in records] == ["INSERT", "MODIFY", "REMOVE"]
    new = view_type in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES")
    old = view_type in ("OLD_IMAGE", "NEW_AND_OLD_IMAGES")
    images = [({**key, "v": {"N": "1"}} if new else None, None),
              ({**key, "v": {"N": "2"}} if new else None, {**key, "v": {"N": "1"}} if old else None),
              (None, {**key, "v": {"N": "2"}} if old else None)]
    for record, (new_image, old_image) in zip(records, images):
        assert record["eventVersion"] == "1.1"
        assert record["eventSource"] == "aws:dynamodb"
        assert record["awsRegion"] == "us-east-1"
        assert len(record["eventID"]) == 32
        assert "userIdentity" not in record
        body = record["dynamodb"]
        assert body["Keys"] == key
        assert body["StreamViewType"] == view_type
        assert body.get("NewImage") == new_image
        assert body.get("OldImage") == old_image
        assert body["SizeBytes"] > 0
        assert abs(body["ApproximateCreationDateTime"].timestamp() - time.time()) < 3600
    numbers = [int(record["dynamodb"]["SequenceNumber"]) for record in records]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3
    assert all(len(record["dynamodb"]["SequenceNumber"]) >= 21 for record in records)


def test_batch_and_transaction_writes_appear_once_each(client, streams):
    name, arn = create_streamed(client, "KEYS_ONLY")
    client.batch_write_item(RequestItems={name: [{"PutRequest": {"Item": {"pk": {"S": f"b{i}"}}}} for i in range(5)]})
    client.transact_write_items(TransactItems=[
        {"Put": {"TableName": name, "Item": {"pk": {"S": "t1"}}}},
        {"Delete": {"TableName": name, "Key": {"pk": {"S": "b0"}}}},
    ])
    records = read_stream(streams, arn)
    assert sorted((record["eventName"], record["dynamodb"]["Keys"]["pk"]["S"]) for record in records) == sorted(
        [("INSERT", f"b{i}") for i in range(5)] + [("INSERT", "t1"), ("REMOVE", "b0")])


def test_iterators_start_where_their_type_says(client, streams):
    name, arn = create_streamed(client, "KEYS_ONLY")
    for index in range(3):
        client.put_item(TableName=name, Item={"pk": {"S": f"k{index}"}})
    shard = only_shard(streams, arn)
    everything = read_shard(streams, arn, shard)
    numbers = [record["dynamodb"]["SequenceNumber"] for record in everything]
    assert [r["dynamodb"]["SequenceNumber"] for r in read_shard(
        streams, arn, shard, "AT_SEQUENCE_NUMBER", SequenceNumber=numbers[1])] == numbers[1:]
    assert [r["dynamodb"]["SequenceNumber"] for r in read_shard(
        streams, arn, shard, "AFTER_SEQUENCE_NUMBER", SequenceNumber=numbers[1])] == numbers[2:]
    latest = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
    page = streams.get_records(ShardIterator=latest)
    assert page["Records"] == [] and page["NextShardIterator"]
    client.put_item(TableName=name, Item={"pk": {"S": "after-latest"}})
    later = streams.get_records(ShardIterator=page["NextShardIterator"])["Records"]
    assert [record["dynamodb"]["Keys"]["pk"]["S"] for record in later] == ["after-latest"]


def test_get_records_pages_by_limit(client, streams):
    name, arn = create_streamed(client, "KEYS_ONLY")
    for index in range(7):
        client.put_item(TableName=name, Item={"pk": {"S": f"k{index}"}})
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=only_shard(streams, arn),
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    sizes = []
    for _ in range(4):
        page = streams.get_records(ShardIterator=iterator, Limit=3)
        sizes.append(len(page["Records"]))
        iterator = page["NextShardIterator"]
    assert sizes == [3, 3, 1, 0]


def test_list_streams_pages(client, streams):
    name = unique_name()
    arns = []
    for view_type in ("KEYS_ONLY", "NEW_IMAGE"):
        if arns:
            client.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
            time.sleep(0.01)
            arns.append(client.update_table(TableName=name, StreamSpecification={
                "StreamEnabled": True, "StreamViewType": view_type})["TableDescription"]["LatestStreamArn"])
        else:
            arns.append(create_streamed(client, view_type, name=name)[1])
    first = streams.list_streams(TableName=name, Limit=1)
    assert len(first["Streams"]) == 1 and first["LastEvaluatedStreamArn"] == first["Streams"][0]["StreamArn"]
    second = streams.list_streams(TableName=name, Limit=1, ExclusiveStartStreamArn=first["LastEvaluatedStreamArn"])
    assert "LastEvaluatedStreamArn" not in second
    assert {first["Streams"][0]["StreamArn"], second["Streams"][0]["StreamArn"]} == set(arns)


def test_streams_errors_use_dynamodb_types_and_messages(client, streams, endpoint):
    name, arn = create_streamed(client, "KEYS_ONLY")
    missing = arn.replace(name, unique_name())
    assert error_of(streams.describe_stream, StreamArn=missing) == (
        "ResourceNotFoundException", f"Requested resource not found: Stream: {missing} not found")
    assert error_of(streams.get_shard_iterator, StreamArn=missing, ShardId="shardId-" + "0" * 20 + "-00000000",
                    ShardIteratorType="LATEST")[0] == "ResourceNotFoundException"
    unchecked = make_client(endpoint, service="dynamodbstreams", validate=False)
    code, message = error_of(unchecked.get_records, ShardIterator="x" * 30, Limit=1001)
    assert code == "ValidationException" and "Member must have value less than or equal to 1000" in message
    assert error_of(streams.get_records, ShardIterator="not-an-iterator")[0] == "ValidationException"
    code, message = error_of(unchecked.get_shard_iterator, StreamArn=arn, ShardId=only_shard(streams, arn),
                             ShardIteratorType="SOMEWHERE")
    assert code == "ValidationException" and "Member must satisfy enum value set" in message


# Rollover, retention, expiry


def test_reading_across_shard_rollovers_by_lineage_returns_every_record_once(server_process, tmp_path):
    _, client, streams = configured_server(server_process, tmp_path, shard_rollover_seconds=0.5)
    name, arn = create_streamed(client, "KEYS_ONLY")
    written = []
    for batch in range(3):
        for index in range(4):
            key = f"b{batch}-{index}"
            client.put_item(TableName=name, Item={"pk": {"S": key}})
            written.append(key)
        time.sleep(0.6)  # longer than the rollover period: the next write opens a child shard
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    assert len(shards) >= 3
    assert all(shard.get("ParentShardId") for shard in shards[1:])
    assert all("EndingSequenceNumber" in shard["SequenceNumberRange"] for shard in shards[:-1])
    records = read_stream(streams, arn)
    assert [record["dynamodb"]["Keys"]["pk"]["S"] for record in records] == written
    children = streams.describe_stream(StreamArn=arn, ShardFilter={"Type": "CHILD_SHARDS",
                                                                   "ShardId": shards[0]["ShardId"]})
    assert [shard["ShardId"] for shard in children["StreamDescription"]["Shards"]] == [shards[1]["ShardId"]]
    # A closed shard read to its end gives no next iterator.
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shards[0]["ShardId"],
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    assert "NextShardIterator" not in streams.get_records(ShardIterator=iterator, Limit=1000)


def test_iterators_expire(server_process, tmp_path):
    _, client, streams = configured_server(server_process, tmp_path, iterator_lifetime_seconds=0.5)
    name, arn = create_streamed(client, "KEYS_ONLY")
    client.put_item(TableName=name, Item={"pk": {"S": "a"}})
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=only_shard(streams, arn),
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    time.sleep(0.7)
    code, _ = error_of(streams.get_records, ShardIterator=iterator)
    assert code == "ExpiredIteratorException"


def test_records_past_the_retention_are_trimmed(server_process, tmp_path):
    _, client, streams = configured_server(server_process, tmp_path, retention_seconds=2)
    name, arn = create_streamed(client, "KEYS_ONLY")
    client.put_item(TableName=name, Item={"pk": {"S": "old"}})
    shard = only_shard(streams, arn)
    first = read_shard(streams, arn, shard)[0]["dynamodb"]["SequenceNumber"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER",
                                          SequenceNumber=first)["ShardIterator"]
    time.sleep(2.2)
    client.put_item(TableName=name, Item={"pk": {"S": "new"}})
    assert error_of(streams.get_records, ShardIterator=iterator) == (
        "TrimmedDataAccessException", "The data you are trying to access has been trimmed")
    assert error_of(streams.get_shard_iterator, StreamArn=arn, ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER",
                    SequenceNumber=first)[0] == "TrimmedDataAccessException"
    assert [record["dynamodb"]["Keys"]["pk"]["S"] for record in read_shard(streams, arn, shard)] == ["new"]


# Durability


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGKILL])
def test_stream_records_survive_a_restart(server_process, tmp_path, stop_signal):
    data = str(tmp_path / "data")
    first, client, streams = configured_server(server_process, tmp_path, in_memory=False, data=data,
                                               shard_rollover_seconds=14400)
    name, arn = create_streamed(client, "NEW_AND_OLD_IMAGES")
    client.put_item(TableName=name, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    client.update_item(TableName=name, Key={"pk": {"S": "a"}}, UpdateExpression="SET v = :v",
                       ExpressionAttributeValues={":v": {"N": "2"}})
    client.delete_item(TableName=name, Key={"pk": {"S": "a"}})
    before = read_stream(streams, arn)
    first.stop(stop_signal)

    _, client, streams = configured_server(server_process, tmp_path, in_memory=False, data=data)
    assert client.describe_table(TableName=name)["Table"]["LatestStreamArn"] == arn
    after = read_stream(streams, arn)
    assert after == before
    client.put_item(TableName=name, Item={"pk": {"S": "b"}})
    latest = read_stream(streams, arn)
    assert latest[:3] == before and len(latest) == 4
    assert int(latest[3]["dynamodb"]["SequenceNumber"]) > int(before[2]["dynamodb"]["SequenceNumber"])
