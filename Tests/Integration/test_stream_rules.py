"""The DynamoDB Streams API's request rules: Limit bounds, malformed stream ARNs, paging from a start that names
nothing, ShardFilter members, and the sequence numbers GetShardIterator accepts."""
import base64

import pytest

from conftest import error_of, make_client, unique_name

KEY = {"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
       "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}
INVALID_ARN = ("ValidationException", "Invalid StreamArn")


@pytest.fixture(scope="module")
def streams(endpoint):
    return make_client(endpoint, service="dynamodbstreams")


@pytest.fixture(scope="module")
def unchecked_streams(endpoint):
    return make_client(endpoint, service="dynamodbstreams", validate=False)


@pytest.fixture
def streamed(client):
    """A KEYS_ONLY stream of a new table: (table name, stream ARN, its one shard)."""
    name = unique_name()
    arn = client.create_table(TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
                              **KEY)["TableDescription"]["LatestStreamArn"]
    streams = make_client(client.meta.endpoint_url, service="dynamodbstreams")
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    yield name, arn, shard
    client.delete_table(TableName=name)


def missing_stream_arn(arn, name):
    """A well-formed ARN for a stream that does not exist: the same shape with another table name."""
    return arn.replace(f":table/{name}/", f":table/{name}_gone/")


# Limit: 1 to 100 on ListStreams and DescribeStream


@pytest.mark.parametrize("operation", ["list_streams", "describe_stream"])
def test_limit_above_100_is_refused(unchecked_streams, streamed, operation):
    _, arn, _ = streamed
    arguments = {"StreamArn": arn} if operation == "describe_stream" else {}
    call = getattr(unchecked_streams, operation)
    assert error_of(call, Limit=101, **arguments) == (
        "ValidationException", "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: "
        "Member must have value less than or equal to 100")
    call(Limit=100, **arguments)


# Malformed stream ARNs are ValidationException; well-formed ones naming nothing are ResourceNotFoundException


def test_a_malformed_stream_arn_is_a_validation_error_everywhere(streams, streamed):
    _, arn, shard = streamed
    bogus = "sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf"
    assert error_of(streams.describe_stream, StreamArn=bogus) == INVALID_ARN
    assert error_of(streams.get_shard_iterator, StreamArn=bogus, ShardId=shard["ShardId"],
                    ShardIteratorType="LATEST") == INVALID_ARN
    assert error_of(streams.list_streams, ExclusiveStartStreamArn=bogus) == INVALID_ARN
    # The table's own ARN is not a stream ARN either.
    assert error_of(streams.describe_stream, StreamArn=arn.split("/stream/")[0]) == INVALID_ARN


def test_a_well_formed_arn_of_no_stream_is_not_found(streams, streamed):
    name, arn, shard = streamed
    missing = missing_stream_arn(arn, name)
    assert error_of(streams.describe_stream, StreamArn=missing)[0] == "ResourceNotFoundException"
    assert error_of(streams.get_shard_iterator, StreamArn=missing, ShardId=shard["ShardId"],
                    ShardIteratorType="LATEST")[0] == "ResourceNotFoundException"


def test_an_iterator_naming_no_stream_arn_is_invalid(streams):
    forged = "not-a-stream-arn-but-long-enough-to-pass|1|" + base64.b64encode(b"shardId-x|1|1").decode()
    assert error_of(streams.get_records, ShardIterator=forged) == ("ValidationException", "Invalid ShardIterator")


# Paging from a start that names nothing resumes where it would have been


def test_list_streams_resumes_after_a_start_arn_whose_stream_is_gone(streams, streamed):
    name, arn, _ = streamed
    after_everything = arn.replace(f":table/{name}/", ":table/zzzzzzzz/")
    assert streams.list_streams(TableName=name, ExclusiveStartStreamArn=after_everything)["Streams"] == []
    before_it = arn.replace(f":table/{name}/", f":table/{name[:-1]}/")
    listed = streams.list_streams(TableName=name, ExclusiveStartStreamArn=before_it)["Streams"]
    assert [stream["StreamArn"] for stream in listed] == [arn]
    assert streams.list_streams(TableName=name, ExclusiveStartStreamArn=arn)["Streams"] == []


def test_describe_stream_resumes_after_a_start_shard_that_does_not_exist(streams, streamed):
    _, arn, shard = streamed
    after = streams.describe_stream(StreamArn=arn, ExclusiveStartShardId="z" * 56)["StreamDescription"]
    assert after["Shards"] == [] and "LastEvaluatedShardId" not in after
    before = streams.describe_stream(StreamArn=arn, ExclusiveStartShardId="shardId-" + "0" * 20 + "-00000000")
    assert [listed["ShardId"] for listed in before["StreamDescription"]["Shards"]] == [shard["ShardId"]]


# ShardFilter: both members are needed


def test_a_shard_filter_needs_a_type_and_a_shard(unchecked_streams, streamed):
    _, arn, shard = streamed
    code, message = error_of(unchecked_streams.describe_stream, StreamArn=arn, ShardFilter={"ShardId": shard["ShardId"]})
    assert code == "ValidationException" and "'shardFilter.type'" in message
    code, message = error_of(unchecked_streams.describe_stream, StreamArn=arn, ShardFilter={"Type": "CHILD_SHARDS"})
    assert code == "ValidationException" and "'shardFilter.shardId'" in message
    children = unchecked_streams.describe_stream(StreamArn=arn, ShardFilter={"Type": "CHILD_SHARDS",
                                                                              "ShardId": shard["ShardId"]})
    assert children["StreamDescription"]["Shards"] == []


# Sequence numbers GetShardIterator accepts


def test_an_empty_open_shard_accepts_its_starting_sequence_number(client, streams, streamed):
    name, arn, shard = streamed
    start = shard["SequenceNumberRange"]["StartingSequenceNumber"]
    at = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="AT_SEQUENCE_NUMBER",
                                    SequenceNumber=start)["ShardIterator"]
    streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                               SequenceNumber=start)
    client.put_item(TableName=name, Item={"pk": {"S": "first"}})
    records = streams.get_records(ShardIterator=at)["Records"]
    assert [record["dynamodb"]["Keys"]["pk"]["S"] for record in records] == ["first"]
    assert records[0]["dynamodb"]["SequenceNumber"] == start


def test_a_sequence_number_before_the_shard_is_refused(streams, streamed):
    _, arn, shard = streamed
    start = int(shard["SequenceNumberRange"]["StartingSequenceNumber"])
    earlier = str(start - 1).rjust(21, "1")
    code, _ = error_of(streams.get_shard_iterator, StreamArn=arn, ShardId=shard["ShardId"],
                       ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=earlier)
    assert code == "ValidationException"


@pytest.mark.parametrize("iterator_type", ["TRIM_HORIZON", "LATEST"])
def test_a_sequence_number_with_trim_horizon_or_latest_is_refused(streams, streamed, iterator_type):
    _, arn, shard = streamed
    code, _ = error_of(streams.get_shard_iterator, StreamArn=arn, ShardId=shard["ShardId"],
                       ShardIteratorType=iterator_type,
                       SequenceNumber=shard["SequenceNumberRange"]["StartingSequenceNumber"])
    assert code == "ValidationException"
