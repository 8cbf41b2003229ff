"""Item rules on every write path: a secondary-index key attribute of the wrong type, empty, or over DynamoDB's key
size limits refuses the write (PutItem, UpdateItem, BatchWriteItem, TransactWriteItems, PartiQL) and nothing is
stored; an item without the attribute is simply left out of the index. Also UpdateItem's rule that an update of a
missing item which only removes creates nothing."""
import pytest

from conftest import error_of, unique_name

MISMATCH = ("One or more parameter values were invalid: Type mismatch for Index Key {name} Expected: {expected} "
            "Actual: {actual} IndexName: {index}")
EMPTY_ITEM = ("One or more parameter values are not valid. A value specified for a secondary index key is not "
              "supported. The AttributeValue for a key attribute cannot contain an empty {kind} value. "
              "IndexName: {index}, IndexKey: {name}")
EMPTY_UPDATE = ("One or more parameter values are not valid. The update expression attempted to update a secondary "
                "index key to a value that is not supported. The AttributeValue for a key attribute cannot contain "
                "an empty {kind} value.")
HASH_TOO_LARGE = ("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit "
                  "of2048 bytes")
RANGE_TOO_LARGE = ("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the "
                   "size limit of 1024 bytes")


@pytest.fixture
def indexed_table(client):
    """pk (S) / sk (S); global index `byTag` on tag (S), global index `byScore` on owner (S) + score (N), local
    index `byWhen` on when (B)."""
    name = unique_name()
    client.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": t} for a, t in
                              [("pk", "S"), ("sk", "S"), ("tag", "S"), ("owner", "S"), ("score", "N"), ("when", "B")]],
        GlobalSecondaryIndexes=[
            {"IndexName": "byTag", "KeySchema": [{"AttributeName": "tag", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "ALL"}},
            {"IndexName": "byScore", "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"},
                                                   {"AttributeName": "score", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "KEYS_ONLY"}},
        ],
        LocalSecondaryIndexes=[
            {"IndexName": "byWhen", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                  {"AttributeName": "when", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "ALL"}},
        ])
    yield name
    client.delete_table(TableName=name)


def stored(client, table, pk="p", sk="s"):
    return client.get_item(TableName=table, Key={"pk": {"S": pk}, "sk": {"S": sk}}, ConsistentRead=True).get("Item")


def test_put_item_rejects_global_index_key_of_wrong_type(client, indexed_table):
    code, message = error_of(client.put_item, TableName=indexed_table,
                             Item={"pk": {"S": "p"}, "sk": {"S": "s"}, "tag": {"N": "3"}})
    assert code == "ValidationException"
    assert message == MISMATCH.format(name="tag", expected="S", actual="N", index="byTag")
    assert stored(client, indexed_table) is None


def test_put_item_rejects_local_index_key_of_wrong_type(client, indexed_table):
    code, message = error_of(client.put_item, TableName=indexed_table,
                             Item={"pk": {"S": "p"}, "sk": {"S": "s"}, "when": {"S": "today"}})
    assert (code, message) == ("ValidationException", MISMATCH.format(name="when", expected="B", actual="S",
                                                                      index="byWhen"))


def test_put_item_rejects_non_scalar_and_null_index_keys(client, indexed_table):
    for value, actual in [({"L": []}, "L"), ({"M": {}}, "M"), ({"NULL": True}, "NULL"), ({"SS": ["a"]}, "SS")]:
        code, message = error_of(client.put_item, TableName=indexed_table,
                                 Item={"pk": {"S": "p"}, "sk": {"S": "s"}, "tag": value})
        assert message == MISMATCH.format(name="tag", expected="S", actual=actual, index="byTag")


def test_index_key_errors_name_the_alphabetically_first_index(client):
    name = unique_name()
    client.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "x", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": index, "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}} for index in ("zeta", "alpha")])
    try:
        _, message = error_of(client.put_item, TableName=name, Item={"pk": {"S": "p"}, "x": {"N": "1"}})
        assert message.endswith("IndexName: alpha")
    finally:
        client.delete_table(TableName=name)


def test_put_item_rejects_empty_index_keys(client, indexed_table):
    _, message = error_of(client.put_item, TableName=indexed_table,
                          Item={"pk": {"S": "p"}, "sk": {"S": "s"}, "tag": {"S": ""}})
    assert message == EMPTY_ITEM.format(kind="string", index="byTag", name="tag")
    _, message = error_of(client.put_item, TableName=indexed_table,
                          Item={"pk": {"S": "p"}, "sk": {"S": "s"}, "when": {"B": b""}})
    assert message == EMPTY_ITEM.format(kind="binary", index="byWhen", name="when")
    assert stored(client, indexed_table) is None


def test_index_keys_have_the_table_key_size_limits(client, indexed_table):
    client.put_item(TableName=indexed_table, Item={"pk": {"S": "p"}, "sk": {"S": "s"}, "tag": {"S": "t" * 2048},
                                                 "owner": {"S": "o"}, "score": {"N": "1"}})
    _, message = error_of(client.put_item, TableName=indexed_table,
                          Item={"pk": {"S": "p2"}, "sk": {"S": "s"}, "tag": {"S": "t" * 2049}})
    assert message == HASH_TOO_LARGE
    client.put_item(TableName=indexed_table, Item={"pk": {"S": "p3"}, "sk": {"S": "s"}, "when": {"B": b"w" * 1024}})
    _, message = error_of(client.put_item, TableName=indexed_table,
                          Item={"pk": {"S": "p4"}, "sk": {"S": "s"}, "when": {"B": b"w" * 1025}})
    assert message == RANGE_TOO_LARGE
    assert stored(client, indexed_table, pk="p2") is None and stored(client, indexed_table, pk="p4") is None


def test_item_without_the_index_key_is_stored_but_not_indexed(client, indexed_table):
    client.put_item(TableName=indexed_table, Item={"pk": {"S": "p"}, "sk": {"S": "s"}, "owner": {"S": "o"}})
    assert stored(client, indexed_table)["owner"] == {"S": "o"}
    assert client.scan(TableName=indexed_table, IndexName="byScore")["Count"] == 0


def test_update_item_rejects_index_key_of_wrong_type_and_keeps_the_item(client, indexed_table):
    client.put_item(TableName=indexed_table, Item={"pk": {"S": "p"}, "sk": {"S": "s"}, "tag": {"S": "old"}})
    _, message = error_of(client.update_item, TableName=indexed_table, Key={"pk": {"S": "p"}, "sk": {"S": "s"}},
                          UpdateExpression="SET score = :v, #o = :o", ExpressionAttributeNames={"#o": "owner"},
                          ExpressionAttributeValues={":v": {"S": "high"}, ":o": {"S": "me"}})
    assert message == MISMATCH.format(name="score", expected="N", actual="S", index="byScore")
    _, message = error_of(client.update_item, TableName=indexed_table, Key={"pk": {"S": "p"}, "sk": {"S": "s"}},
                          AttributeUpdates={"tag": {"Value": {"N": "5"}, "Action": "PUT"}})
    assert message == MISMATCH.format(name="tag", expected="S", actual="N", index="byTag")
    assert stored(client, indexed_table) == {"pk": {"S": "p"}, "sk": {"S": "s"}, "tag": {"S": "old"}}


def test_update_item_rejects_an_empty_index_key_with_the_update_wording(client, indexed_table):
    _, message = error_of(client.update_item, TableName=indexed_table, Key={"pk": {"S": "p"}, "sk": {"S": "s"}},
                          UpdateExpression="SET tag = :empty", ExpressionAttributeValues={":empty": {"S": ""}})
    assert message == EMPTY_UPDATE.format(kind="string")
    assert stored(client, indexed_table) is None


def test_update_item_rejects_index_key_made_into_a_map_by_a_nested_set(client, indexed_table):
    # A nested path below an index key can only exist if the key were a map, which the rule forbids: the item
    # cannot get there, and SET on a path inside a string attribute is refused by the update itself.
    client.put_item(TableName=indexed_table, Item={"pk": {"S": "p"}, "sk": {"S": "s"}, "tag": {"S": "t"}})
    code, _ = error_of(client.update_item, TableName=indexed_table, Key={"pk": {"S": "p"}, "sk": {"S": "s"}},
                       UpdateExpression="SET tag.inner = :v", ExpressionAttributeValues={":v": {"N": "1"}})
    assert code == "ValidationException"
    assert stored(client, indexed_table)["tag"] == {"S": "t"}


def test_batch_write_with_one_bad_index_key_writes_nothing(client, indexed_table):
    requests = [{"PutRequest": {"Item": {"pk": {"S": f"p{i}"}, "sk": {"S": "s"}, "tag": {"S": f"t{i}"}}}}
                for i in range(3)]
    requests[1]["PutRequest"]["Item"]["tag"] = {"N": "1"}
    _, message = error_of(client.batch_write_item, RequestItems={indexed_table: requests})
    assert message == MISMATCH.format(name="tag", expected="S", actual="N", index="byTag")
    assert all(stored(client, indexed_table, pk=f"p{i}") is None for i in range(3))
    requests[1]["PutRequest"]["Item"]["tag"] = {"S": ""}
    _, message = error_of(client.batch_write_item, RequestItems={indexed_table: requests})
    assert message == EMPTY_ITEM.format(kind="string", index="byTag", name="tag")


def test_transaction_cancels_an_action_whose_index_key_has_the_wrong_type(client, indexed_table):
    good = {"Put": {"TableName": indexed_table, "Item": {"pk": {"S": "a"}, "sk": {"S": "s"}}}}
    bad = {"Put": {"TableName": indexed_table, "Item": {"pk": {"S": "b"}, "sk": {"S": "s"}, "tag": {"N": "1"}}}}
    with pytest.raises(client.exceptions.TransactionCanceledException) as caught:
        client.transact_write_items(TransactItems=[good, bad])
    reasons = caught.value.response["CancellationReasons"]
    assert reasons[0] == {"Code": "None"}
    assert reasons[1]["Code"] == "ValidationError"
    assert reasons[1]["Message"] == MISMATCH.format(name="tag", expected="S", actual="N", index="byTag")
    assert stored(client, indexed_table, pk="a") is None


def test_transaction_with_an_empty_index_key_is_refused_whole(client, indexed_table):
    bad = {"Put": {"TableName": indexed_table, "Item": {"pk": {"S": "b"}, "sk": {"S": "s"}, "tag": {"S": ""}}}}
    code, message = error_of(client.transact_write_items, TransactItems=[bad])
    assert (code, message) == ("ValidationException", EMPTY_ITEM.format(kind="string", index="byTag", name="tag"))


def test_transaction_update_cannot_set_a_wrong_index_key_type(client, indexed_table):
    update = {"Update": {"TableName": indexed_table, "Key": {"pk": {"S": "u"}, "sk": {"S": "s"}},
                         "UpdateExpression": "SET tag = :n", "ExpressionAttributeValues": {":n": {"N": "1"}}}}
    with pytest.raises(client.exceptions.TransactionCanceledException) as caught:
        client.transact_write_items(TransactItems=[update])
    assert caught.value.response["CancellationReasons"][0]["Code"] == "ValidationError"
    assert stored(client, indexed_table, pk="u") is None


def test_transaction_stops_validating_actions_after_the_first_invalid_one(client, indexed_table):
    condition_fails = {"Put": {"TableName": indexed_table, "Item": {"pk": {"S": "c"}, "sk": {"S": "s"}},
                               "ConditionExpression": "attribute_exists(pk)"}}
    wrong_key = {"Put": {"TableName": indexed_table, "Item": {"pk": {"N": "1"}, "sk": {"S": "s"}}}}
    also_wrong = {"Put": {"TableName": indexed_table, "Item": {"pk": {"N": "2"}, "sk": {"S": "s"}}}}
    with pytest.raises(client.exceptions.TransactionCanceledException) as caught:
        client.transact_write_items(TransactItems=[condition_fails, wrong_key, also_wrong])
    reasons = caught.value.response["CancellationReasons"]
    assert [reason["Code"] for reason in reasons] == ["None", "ValidationError", "None"]
    assert "Message" not in reasons[0] and "Message" not in reasons[2]


def test_partiql_insert_and_update_obey_index_key_rules(client, indexed_table):
    code, message = error_of(client.execute_statement,
                             Statement=f"INSERT INTO \"{indexed_table}\" VALUE {{'pk': 'p', 'sk': 's', 'tag': 5}}")
    assert message == MISMATCH.format(name="tag", expected="S", actual="N", index="byTag")
    client.execute_statement(Statement=f"INSERT INTO \"{indexed_table}\" VALUE {{'pk': 'p', 'sk': 's', 'tag': 't'}}")
    _, message = error_of(client.execute_statement,
                          Statement=f"UPDATE \"{indexed_table}\" SET tag = 7 WHERE pk = 'p' AND sk = 's'")
    assert message == MISMATCH.format(name="tag", expected="S", actual="N", index="byTag")
    assert stored(client, indexed_table)["tag"] == {"S": "t"}


def test_update_of_a_missing_item_that_only_removes_creates_nothing(client, make_table):
    table = make_table()
    for update in [{"UpdateExpression": "REMOVE a"},
                   {"UpdateExpression": "DELETE s :v", "ExpressionAttributeValues": {":v": {"SS": ["x"]}}},
                   {"AttributeUpdates": {"a": {"Action": "DELETE"}}}]:
        response = client.update_item(TableName=table, Key={"pk": {"S": "gone"}}, ReturnValues="ALL_NEW", **update)
        assert "Attributes" not in response
        assert "Item" not in client.get_item(TableName=table, Key={"pk": {"S": "gone"}}, ConsistentRead=True)


def test_update_of_a_missing_item_that_sets_or_does_nothing_creates_it(client, make_table):
    table = make_table()
    client.update_item(TableName=table, Key={"pk": {"S": "empty"}}, AttributeUpdates={})
    assert client.get_item(TableName=table, Key={"pk": {"S": "empty"}})["Item"] == {"pk": {"S": "empty"}}
    response = client.update_item(TableName=table, Key={"pk": {"S": "set"}}, UpdateExpression="REMOVE a SET b = :v",
                                  ExpressionAttributeValues={":v": {"N": "1"}}, ReturnValues="ALL_NEW")
    assert response["Attributes"] == {"pk": {"S": "set"}, "b": {"N": "1"}}


def test_removing_update_of_a_missing_item_writes_no_stream_record(client, make_table, endpoint):
    from conftest import make_client
    table = make_table(StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    client.update_item(TableName=table, Key={"pk": {"S": "gone"}}, UpdateExpression="REMOVE a")
    client.put_item(TableName=table, Item={"pk": {"S": "here"}})
    streams = make_client(endpoint, service="dynamodbstreams")
    arn = client.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    records = streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]
    assert [record["dynamodb"]["Keys"]["pk"]["S"] for record in records] == ["here"]
