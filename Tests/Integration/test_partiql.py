"""PartiQL: ExecuteStatement, BatchExecuteStatement and ExecuteTransaction against a table with global indexes,
checked against the same requests made through the JSON API."""
import base64

import pytest

from conftest import error_of


@pytest.fixture
def orders(client, make_table):
    """Customers' orders: pk = customer, sk = order number; indexes by status (ALL) and by colour (KEYS_ONLY)."""
    name = make_table_with_indexes(make_table)
    for customer in range(3):
        for number in range(1, 6):
            client.put_item(TableName=name, Item={
                "pk": {"S": f"c{customer}"}, "sk": {"N": str(number)},
                "status": {"S": "open" if number % 2 else "closed"},
                "colour": {"S": ["red", "green", "blue"][number % 3]},
                "amount": {"N": str(customer * 10 + number)},
                "tags": {"SS": [f"t{number}", "all"]},
                "lines": {"L": [{"M": {"sku": {"S": f"s{number}"}, "qty": {"N": str(number)}}}]},
                "note": {"S": f"order {number} of c{customer}"},
            })
    return name


def make_table_with_indexes(make_table):
    name = make_table(
        hash_key=("pk", "S"), range_key=("sk", "N"),
        GlobalSecondaryIndexes=[
            {"IndexName": "byStatus", "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"},
                                                    {"AttributeName": "sk", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "ALL"}},
            {"IndexName": "byColour", "KeySchema": [{"AttributeName": "colour", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "KEYS_ONLY"}},
        ])
    return name


@pytest.fixture
def make_table(client):
    """Like conftest's make_table, with attribute definitions for index keys."""
    import uuid
    created = []

    def create(hash_key=("pk", "S"), range_key=None, **extra):
        name = f"pq_{uuid.uuid4().hex[:12]}"
        key_schema = [{"AttributeName": hash_key[0], "KeyType": "HASH"}]
        definitions = {hash_key[0]: hash_key[1]}
        if range_key:
            key_schema.append({"AttributeName": range_key[0], "KeyType": "RANGE"})
            definitions[range_key[0]] = range_key[1]
        for index in extra.get("GlobalSecondaryIndexes", []):
            for element in index["KeySchema"]:
                definitions.setdefault(element["AttributeName"], "S")
        client.create_table(TableName=name, KeySchema=key_schema, BillingMode="PAY_PER_REQUEST",
                            AttributeDefinitions=[{"AttributeName": k, "AttributeType": v} for k, v in definitions.items()],
                            **extra)
        created.append(name)
        return name

    yield create
    for name in created:
        try:
            client.delete_table(TableName=name)
        except Exception:
            pass


def run(client, statement, **arguments):
    return client.execute_statement(Statement=statement, **arguments)


def select_all(client, statement, **arguments):
    """Every item of a SELECT, following NextToken."""
    items, token = [], None
    while True:
        page = run(client, statement, **arguments, **({"NextToken": token} if token else {}))
        items.extend(page["Items"])
        token = page.get("NextToken")
        if not token:
            return items


def by_key(items):
    return sorted(items, key=lambda item: (item["pk"]["S"], float(item["sk"]["N"])))


# ── SELECT: results equal the JSON API's ─────────────────────────────────────────


def test_select_by_partition_key_equals_query(client, orders):
    via_partiql = run(client, f'SELECT * FROM "{orders}" WHERE pk = \'c1\'', ConsistentRead=True)["Items"]
    via_query = client.query(TableName=orders, KeyConditionExpression="pk = :p",
                             ExpressionAttributeValues={":p": {"S": "c1"}}, ConsistentRead=True)["Items"]
    assert via_partiql == via_query
    assert len(via_partiql) == 5


def test_select_with_sort_key_range_equals_query(client, orders):
    via_partiql = run(client, f'SELECT * FROM "{orders}" WHERE pk = \'c2\' AND sk BETWEEN 2 AND 4')["Items"]
    via_query = client.query(TableName=orders, KeyConditionExpression="pk = :p AND sk BETWEEN :a AND :b",
                             ExpressionAttributeValues={":p": {"S": "c2"}, ":a": {"N": "2"}, ":b": {"N": "4"}})["Items"]
    assert via_partiql == via_query
    assert [item["sk"]["N"] for item in via_partiql] == ["2", "3", "4"]


def test_select_order_by_sort_key_descending_equals_reverse_query(client, orders):
    via_partiql = run(client, f'SELECT * FROM "{orders}" WHERE pk = \'c0\' AND sk > 1 ORDER BY sk DESC')["Items"]
    via_query = client.query(TableName=orders, KeyConditionExpression="pk = :p AND sk > :one", ScanIndexForward=False,
                             ExpressionAttributeValues={":p": {"S": "c0"}, ":one": {"N": "1"}})["Items"]
    assert via_partiql == via_query
    assert [item["sk"]["N"] for item in via_partiql] == ["5", "4", "3", "2"]


def test_select_in_on_the_partition_key_reads_each_partition(client, orders):
    items = run(client, f'SELECT pk, sk FROM "{orders}" WHERE pk IN [\'c0\', \'c2\', \'nobody\'] AND sk <= 2')["Items"]
    assert by_key(items) == by_key([{"pk": {"S": c}, "sk": {"N": n}} for c in ("c0", "c2") for n in ("1", "2")])


def test_select_projection_with_nested_paths_equals_projection_expression(client, orders):
    via_partiql = run(client, f'SELECT sk, lines[0].sku, "status" FROM "{orders}" WHERE pk = \'c1\'')["Items"]
    via_query = client.query(TableName=orders, KeyConditionExpression="pk = :p", ProjectionExpression="sk, #l[0].sku, #s",
                             ExpressionAttributeNames={"#s": "status", "#l": "lines"},
                             ExpressionAttributeValues={":p": {"S": "c1"}})["Items"]
    assert via_partiql == via_query
    assert via_partiql[0] == {"sk": {"N": "1"}, "lines": {"L": [{"M": {"sku": {"S": "s1"}}}]}, "status": {"S": "open"}}


def test_select_without_the_partition_key_scans_with_the_where_as_filter(client, orders):
    via_partiql = select_all(client, f'SELECT * FROM "{orders}" WHERE "status" = \'open\' AND amount > 12')
    via_scan = client.scan(TableName=orders, FilterExpression="#s = :o AND amount > :a",
                           ExpressionAttributeNames={"#s": "status"},
                           ExpressionAttributeValues={":o": {"S": "open"}, ":a": {"N": "12"}})["Items"]
    assert by_key(via_partiql) == by_key(via_scan)
    assert len(via_partiql) == 5


@pytest.mark.parametrize("where, expression", [
    ("begins_with(note, 'order 3')", "begins_with(note, :v)"),
    ("contains(tags, 't2')", "contains(tags, :v)"),
    ("attribute_type(amount, 'N') AND NOT contains(note, 'c1')", "attribute_type(amount, :n) AND NOT contains(note, :c)"),
    ("size(tags) = 2 AND sk <> 3", "size(tags) = :two AND sk <> :three"),
    ("missing_attribute IS MISSING AND colour IS NOT MISSING AND amount >= 20", "attribute_not_exists(missing_attribute) AND attribute_exists(colour) AND amount >= :twenty"),
    ("colour = 'red' OR colour = 'blue'", "colour = :red OR colour = :blue"),
    ("colour IN ['red', 'green'] AND lines[0].qty < 3", "colour IN (:red, :green) AND lines[0].qty < :three"),
])
def test_where_functions_and_operators_equal_filter_expressions(client, orders, where, expression):
    values = {":v": {"S": "order 3"}, ":n": {"S": "N"}, ":c": {"S": "c1"}, ":two": {"N": "2"}, ":three": {"N": "3"},
              ":twenty": {"N": "20"}, ":red": {"S": "red"}, ":blue": {"S": "blue"}, ":green": {"S": "green"}}
    if ":v" not in expression:
        values.pop(":v")
    values = {key: value for key, value in values.items() if key in expression}
    if where.startswith("contains(tags"):
        values = {":v": {"S": "t2"}}
    via_partiql = select_all(client, f'SELECT * FROM "{orders}" WHERE {where}')
    expression = expression.replace("lines", "#l")
    names = {"#l": "lines"} if "#l" in expression else {}
    via_scan = client.scan(TableName=orders, FilterExpression=expression, ExpressionAttributeValues=values,
                           **({"ExpressionAttributeNames": names} if names else {}))["Items"]
    assert by_key(via_partiql) == by_key(via_scan)
    assert via_partiql


def test_select_from_a_global_index_equals_index_query(client, orders):
    via_partiql = run(client, f'SELECT * FROM "{orders}"."byStatus" WHERE "status" = \'closed\' AND sk >= 4')["Items"]
    via_query = client.query(TableName=orders, IndexName="byStatus", KeyConditionExpression="#s = :c AND sk >= :four",
                             ExpressionAttributeNames={"#s": "status"},
                             ExpressionAttributeValues={":c": {"S": "closed"}, ":four": {"N": "4"}})["Items"]
    assert via_partiql == via_query
    assert len(via_partiql) == 3


def test_select_from_a_keys_only_index_refuses_unprojected_columns(client, orders):
    assert error_of(run, client, f'SELECT note, amount, sk FROM "{orders}"."byColour" WHERE colour = \'red\'') == (
        "ValidationException",
        "One or more parameter values were invalid: Global secondary index byColour does not project [note, amount]")
    items = run(client, f'SELECT * FROM "{orders}"."byColour" WHERE colour = \'red\'')["Items"]
    assert all(set(item) == {"pk", "sk", "colour"} for item in items) and len(items) == 3


def test_consistent_read_on_a_global_index_is_refused(client, orders):
    assert error_of(run, client, f'SELECT * FROM "{orders}"."byStatus" WHERE "status" = \'open\'', ConsistentRead=True) == (
        "ValidationException", "Strongly consistent read is not supported on Global Secondary Indexes")


# ── Paging ───────────────────────────────────────────────────────────────────────


def test_limit_pages_follow_next_token_to_the_full_result(client, make_table):
    table = make_table(range_key=("sk", "N"))
    for number in range(23):
        client.put_item(TableName=table, Item={"pk": {"S": "p"}, "sk": {"N": str(number)}})
    pages, items, token = 0, [], None
    while True:
        page = run(client, f'SELECT * FROM "{table}" WHERE pk = \'p\'', Limit=5, **({"NextToken": token} if token else {}))
        pages += 1
        assert len(page["Items"]) <= 5
        items.extend(page["Items"])
        token = page.get("NextToken")
        if not token:
            break
    assert [item["sk"]["N"] for item in items] == [str(n) for n in range(23)]
    assert pages == 5


def test_scans_stop_at_one_megabyte_and_resume(client, make_table):
    table = make_table()
    for number in range(25):
        client.put_item(TableName=table, Item={"pk": {"S": f"k{number}"}, "blob": {"S": "x" * 100_000}})
    first = run(client, f'SELECT pk FROM "{table}"')
    assert 0 < len(first["Items"]) < 25 and "NextToken" in first
    assert sorted(item["pk"]["S"] for item in select_all(client, f'SELECT pk FROM "{table}"')) == sorted(f"k{n}" for n in range(25))


def test_a_next_token_resumes_only_its_own_statement(client, orders):
    token = run(client, f'SELECT * FROM "{orders}" WHERE pk = \'c0\'', Limit=1)["NextToken"]
    assert error_of(run, client, f'SELECT * FROM "{orders}" WHERE pk = \'c1\'', NextToken=token) == (
        "ValidationException", "NextToken does not match request")
    assert error_of(run, client, f'SELECT * FROM "{orders}"', NextToken="not-a-token") == (
        "ValidationException", "Invalid NextToken")


# ── INSERT, UPDATE, DELETE ───────────────────────────────────────────────────────


def test_insert_stores_literals_of_every_type(client, make_table):
    table = make_table()
    response = run(client, f"""INSERT INTO "{table}" VALUE {{'pk': 'all', 's': 'it''s', 'n': -12.5e1, 'yes': true,
        'no': false, 'nothing': NULL, 'ss': <<'a', 'b'>>, 'ns': <<1, 2.5>>, 'l': [1, 'two', [3]],
        'm': {{'inner': {{'deep': 1}}}}}}""")
    assert response["Items"] == []
    item = client.get_item(TableName=table, Key={"pk": {"S": "all"}})["Item"]
    assert item == {"pk": {"S": "all"}, "s": {"S": "it's"}, "n": {"N": "-125"}, "yes": {"BOOL": True},
                    "no": {"BOOL": False}, "nothing": {"NULL": True}, "ss": {"SS": ["a", "b"]},
                    "ns": {"NS": ["1", "2.5"]}, "l": {"L": [{"N": "1"}, {"S": "two"}, {"L": [{"N": "3"}]}]},
                    "m": {"M": {"inner": {"M": {"deep": {"N": "1"}}}}}}


def test_insert_of_an_existing_key_is_a_duplicate_item(client, make_table):
    table = make_table()
    run(client, f"INSERT INTO \"{table}\" VALUE {{'pk': 'x', 'v': 1}}")
    assert error_of(run, client, f"INSERT INTO \"{table}\" VALUE {{'pk': 'x', 'v': 2}}") == (
        "DuplicateItemException", "Duplicate primary key exists in table")
    assert client.get_item(TableName=table, Key={"pk": {"S": "x"}})["Item"]["v"] == {"N": "1"}


def test_update_set_remove_and_functions_match_update_item(client, make_table):
    table = make_table()
    seed = {"pk": {"S": "u"}, "n": {"N": "5"}, "l": {"L": [{"N": "1"}]}, "ss": {"SS": ["a", "b"]}, "gone": {"S": "x"}}
    client.put_item(TableName=table, Item=seed)
    client.put_item(TableName=table, Item={**seed, "pk": {"S": "v"}})
    run(client, f"""UPDATE "{table}" SET n = n + 2 SET l = list_append(l, [2]) SET ss = set_add(ss, <<'c'>>)
        SET fresh = 'v' REMOVE gone WHERE pk = 'u'""")
    run(client, f"UPDATE \"{table}\" SET ss = set_delete(ss, <<'a'>>) WHERE pk = 'u'")
    client.update_item(TableName=table, Key={"pk": {"S": "v"}},
                       UpdateExpression="SET n = n + :two, l = list_append(l, :l), fresh = :v REMOVE gone ADD ss :c",
                       ExpressionAttributeValues={":two": {"N": "2"}, ":l": {"L": [{"N": "2"}]}, ":v": {"S": "v"},
                                                  ":c": {"SS": ["c"]}})
    client.update_item(TableName=table, Key={"pk": {"S": "v"}}, UpdateExpression="DELETE ss :a",
                       ExpressionAttributeValues={":a": {"SS": ["a"]}})
    via_partiql = client.get_item(TableName=table, Key={"pk": {"S": "u"}})["Item"]
    via_update = client.get_item(TableName=table, Key={"pk": {"S": "v"}})["Item"]
    via_update["pk"] = {"S": "u"}
    assert via_partiql == via_update
    assert sorted(via_partiql["ss"]["SS"]) == ["b", "c"]


def test_update_returning_clauses(client, make_table):
    table = make_table()
    client.put_item(TableName=table, Item={"pk": {"S": "r"}, "a": {"N": "1"}, "b": {"S": "keep"}})
    new = run(client, f"UPDATE \"{table}\" SET a = 2 WHERE pk = 'r' RETURNING ALL NEW *")["Items"]
    assert new == [{"pk": {"S": "r"}, "a": {"N": "2"}, "b": {"S": "keep"}}]
    old = run(client, f"UPDATE \"{table}\" SET a = 3 WHERE pk = 'r' RETURNING MODIFIED OLD *")["Items"]
    assert old == [{"a": {"N": "2"}}]


def test_update_of_a_missing_item_or_a_failing_condition_is_a_conditional_check_failure(client, make_table):
    table = make_table()
    client.put_item(TableName=table, Item={"pk": {"S": "here"}, "a": {"N": "1"}})
    assert error_of(run, client, f"UPDATE \"{table}\" SET a = 2 WHERE pk = 'absent'") == (
        "ConditionalCheckFailedException", "The conditional request failed")
    assert "Item" not in client.get_item(TableName=table, Key={"pk": {"S": "absent"}})
    try:
        run(client, f"UPDATE \"{table}\" SET a = 2 WHERE pk = 'here' AND a = 5",
            ReturnValuesOnConditionCheckFailure="ALL_OLD")
    except client.exceptions.ConditionalCheckFailedException as error:
        assert error.response["Item"] == {"pk": {"S": "here"}, "a": {"N": "1"}}
    else:
        raise AssertionError("the update should have failed its condition")
    run(client, f"UPDATE \"{table}\" SET a = 2 WHERE pk = 'here' AND a = 1 AND attribute_exists(a)")
    assert client.get_item(TableName=table, Key={"pk": {"S": "here"}})["Item"]["a"] == {"N": "2"}


def test_update_and_delete_must_name_the_full_key(client, orders):
    message = ("ValidationException", "Where clause does not contain a mandatory equality on all key attributes")
    assert error_of(run, client, f"UPDATE \"{orders}\" SET a = 1 WHERE pk = 'c0'") == message
    assert error_of(run, client, f"DELETE FROM \"{orders}\" WHERE pk = 'c0' AND sk > 1") == message
    assert error_of(run, client, f"DELETE FROM \"{orders}\"") == message


def test_delete_returns_the_old_item_when_asked_and_ignores_missing_items(client, make_table):
    table = make_table()
    client.put_item(TableName=table, Item={"pk": {"S": "d"}, "a": {"N": "1"}})
    assert run(client, f"DELETE FROM \"{table}\" WHERE pk = 'd' RETURNING ALL OLD *")["Items"] == [
        {"pk": {"S": "d"}, "a": {"N": "1"}}]
    assert "Item" not in client.get_item(TableName=table, Key={"pk": {"S": "d"}})
    assert run(client, f"DELETE FROM \"{table}\" WHERE pk = 'd'")["Items"] == []


def test_write_consumed_capacity_is_reported(client, make_table):
    table = make_table()
    response = run(client, f"INSERT INTO \"{table}\" VALUE {{'pk': 'c'}}", ReturnConsumedCapacity="TOTAL")
    # The same shape as PutItem on DynamoDB: the aggregate alone (only transactions split reads and writes).
    assert response["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0}


# ── Parameters ───────────────────────────────────────────────────────────────────

EVERY_TYPE = [
    {"S": "text"}, {"N": "12.5"}, {"B": base64.b64decode("AAEC")}, {"BOOL": True}, {"NULL": True},
    {"L": [{"S": "a"}, {"N": "1"}]}, {"M": {"x": {"N": "1"}, "y": {"L": []}}}, {"SS": ["a", "b"]},
    {"NS": ["1", "2"]}, {"BS": [b"\x01", b"\x02"]},
]


@pytest.mark.parametrize("value", EVERY_TYPE, ids=[next(iter(v)) for v in EVERY_TYPE])
def test_parameters_of_every_type_are_stored_and_matched(client, make_table, value):
    table = make_table()
    run(client, f"INSERT INTO \"{table}\" VALUE {{'pk': ?, 'v': ?}}", Parameters=[{"S": "p"}, value])
    assert client.get_item(TableName=table, Key={"pk": {"S": "p"}})["Item"]["v"] == value
    assert len(run(client, f"SELECT * FROM \"{table}\" WHERE pk = ? AND v = ?", Parameters=[{"S": "p"}, value])["Items"]) == 1
    assert run(client, f"SELECT * FROM \"{table}\" WHERE pk = ? AND v <> ?", Parameters=[{"S": "p"}, value])["Items"] == []


def test_parameter_count_must_match(client, orders):
    assert error_of(run, client, f"SELECT * FROM \"{orders}\" WHERE pk = ? AND sk = ?", Parameters=[{"S": "c0"}]) == (
        "ValidationException", "Number of parameters in request and statement don't match.")


# ── Statements DynamoDB refuses ──────────────────────────────────────────────────


@pytest.mark.parametrize("statement, message", [
    ('SELECT * FROM "{t}" WHERE pk = \'x\' foo', "Statement wasn't well formed, can't be processed: Unexpected token after expression"),
    ('DELETE FROM "{t}" WHERE pk = \'x\' ORDER BY pk', "Statement wasn't well formed, can't be processed: Unexpected token after expression"),
    ('SELECT * FROM "{t}" WHERE pk = \'x\' # note', "Statement wasn't well formed, can't be processed: "),
    ('SELECT * FROM "{t}" AS t WHERE pk = \'x\'', "Aliasing is not supported"),
    ("SELECT * FROM \"{t}\" WHERE pk = 1e126", "Number overflow. Attempting to store a number with magnitude larger than supported range under root"),
    ("SELECT * FROM \"{t}\" WHERE pk = 'x' AND EXISTS(sk)", "Unrecognized function: exists at 1:{column}:6"),
    ("UPDATE \"{t}\" SET a = set_add(b, <<'x'>>) WHERE pk = 'x'", "The first argument to SET_ADD must equal the assignment value at 1:{column}:7"),
    ("SELECT * FROM \"{t}\" WHERE pk = 'x' AND attribute_exists('a')", "Operator or function requires a document path; operator or function: attribute_exists"),
])
def test_malformed_statements_get_dynamodbs_messages(client, orders, statement, message):
    text = statement.format(t=orders)
    token = "EXISTS" if "EXISTS" in text else "set_add"
    expected = message.format(column=text.find(token) + 1)
    assert error_of(run, client, text) == ("ValidationException", expected)


def test_a_missing_table_is_resource_not_found(client):
    assert error_of(run, client, 'SELECT * FROM "no_such_table"') == ("ResourceNotFoundException", "Requested resource not found")


# ── BatchExecuteStatement ────────────────────────────────────────────────────────


def test_batch_of_writes_reports_each_statement(client, make_table):
    table = make_table()
    client.put_item(TableName=table, Item={"pk": {"S": "taken"}, "a": {"N": "1"}})
    responses = client.batch_execute_statement(Statements=[
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'new'}}"},
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'taken'}}"},
        {"Statement": f"UPDATE \"{table}\" SET a = 2 WHERE pk = 'taken' AND a = 9"},
        {"Statement": f"UPDATE \"{table}\" SET a = ? WHERE pk = 'taken'", "Parameters": [{"N": "3"}]},
        {"Statement": "DELETE FROM \"no_such_table\" WHERE pk = 'x'"},
        {"Statement": f"DELETE FROM \"{table}\" WHERE pk = 'x' bogus"},
    ])["Responses"]
    assert responses == [
        {"TableName": table},
        {"TableName": table, "Error": {"Code": "DuplicateItem", "Message": "Duplicate primary key exists in table"}},
        {"TableName": table, "Error": {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}},
        {"TableName": table},
        {"Error": {"Code": "ResourceNotFound", "Message": "Requested resource not found"}},
        {"Error": {"Code": "ValidationError",
                   "Message": "Statement wasn't well formed, can't be processed: Unexpected token after expression"}},
    ]
    assert client.get_item(TableName=table, Key={"pk": {"S": "new"}})["Item"] == {"pk": {"S": "new"}}
    assert client.get_item(TableName=table, Key={"pk": {"S": "taken"}})["Item"]["a"] == {"N": "3"}


def test_batch_of_reads_needs_the_full_key(client, orders):
    responses = client.batch_execute_statement(Statements=[
        {"Statement": f"SELECT pk, amount FROM \"{orders}\" WHERE pk = 'c1' AND sk = 2"},
        {"Statement": f"SELECT * FROM \"{orders}\" WHERE pk = 'c1' AND sk = 99"},
        {"Statement": f"SELECT * FROM \"{orders}\" WHERE pk = 'c1'"},
        {"Statement": f"SELECT * FROM \"{orders}\".\"byStatus\" WHERE \"status\" = 'open'"},
    ])["Responses"]
    refusal = {"Code": "ValidationError",
               "Message": "Select statements within BatchExecuteStatement must specify the primary key in the where clause."}
    assert responses[0] == {"TableName": orders, "Item": {"pk": {"S": "c1"}, "amount": {"N": "12"}}}
    assert responses[1] == {"TableName": orders}
    assert responses[2] == {"TableName": orders, "Error": refusal} and responses[3] == {"TableName": orders, "Error": refusal}


def test_batch_cannot_mix_reads_and_writes(client, make_table):
    table = make_table()
    code, _ = error_of(client.batch_execute_statement, Statements=[
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'a'"},
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'a'}}"},
    ])
    assert code == "ValidationException"
    assert "Item" not in client.get_item(TableName=table, Key={"pk": {"S": "a"}})


def test_batch_is_limited_to_25_statements(unchecked_client, make_table):
    table = make_table()
    statements = [{"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'k{n}'}}"} for n in range(26)]
    assert error_of(unchecked_client.batch_execute_statement, Statements=statements) == (
        "ValidationException",
        "1 validation error detected: Value at 'statements' failed to satisfy constraint: Member must have length less than or equal to 25")


# ── ExecuteTransaction ───────────────────────────────────────────────────────────


def test_a_transaction_applies_every_write(client, make_table):
    table = make_table()
    client.put_item(TableName=table, Item={"pk": {"S": "gone"}})
    client.put_item(TableName=table, Item={"pk": {"S": "count"}, "n": {"N": "1"}})
    response = client.execute_transaction(TransactStatements=[
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'new'}}"},
        {"Statement": f"DELETE FROM \"{table}\" WHERE pk = 'gone'"},
        {"Statement": f"UPDATE \"{table}\" SET n = n + ? WHERE pk = 'count'", "Parameters": [{"N": "1"}]},
    ])
    assert response["Responses"] == []
    assert "Item" in client.get_item(TableName=table, Key={"pk": {"S": "new"}})
    assert "Item" not in client.get_item(TableName=table, Key={"pk": {"S": "gone"}})
    assert client.get_item(TableName=table, Key={"pk": {"S": "count"}})["Item"]["n"] == {"N": "2"}


def test_a_failing_condition_cancels_the_transaction_with_reasons(client, make_table):
    table = make_table()
    client.put_item(TableName=table, Item={"pk": {"S": "guard"}, "v": {"N": "1"}})
    client.put_item(TableName=table, Item={"pk": {"S": "dup"}})
    client.put_item(TableName=table, Item={"pk": {"S": "checked"}, "v": {"N": "1"}})
    try:
        client.execute_transaction(TransactStatements=[
            {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'fresh'}}"},
            {"Statement": f"UPDATE \"{table}\" SET v = 2 WHERE pk = 'guard' AND v = 5",
             "ReturnValuesOnConditionCheckFailure": "ALL_OLD"},
            {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'dup'}}"},
            {"Statement": f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'checked' AND v = 1)"},
        ])
    except client.exceptions.TransactionCanceledException as error:
        assert error.response["Error"]["Message"] == ("Transaction cancelled, please refer cancellation reasons for "
                                                      "specific reasons [None, ConditionalCheckFailed, DuplicateItem, None]")
        reasons = error.response["CancellationReasons"]
        assert reasons[0] == {"Code": "None"}
        assert reasons[1] == {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed",
                              "Item": {"pk": {"S": "guard"}, "v": {"N": "1"}}}
        assert reasons[2] == {"Code": "DuplicateItem", "Message": "Duplicate primary key exists in table"}
    else:
        raise AssertionError("the transaction should have been cancelled")
    assert "Item" not in client.get_item(TableName=table, Key={"pk": {"S": "fresh"}})
    assert client.get_item(TableName=table, Key={"pk": {"S": "guard"}})["Item"]["v"] == {"N": "1"}


def test_a_read_transaction_answers_each_statement(client, orders):
    responses = client.execute_transaction(TransactStatements=[
        {"Statement": f"SELECT sk, amount FROM \"{orders}\" WHERE pk = 'c2' AND sk = 3"},
        {"Statement": f"SELECT * FROM \"{orders}\" WHERE pk = 'c2' AND sk = 42"},
    ])["Responses"]
    assert responses == [{"Item": {"sk": {"N": "3"}, "amount": {"N": "23"}}}, {}]
    assert error_of(client.execute_transaction, TransactStatements=[
        {"Statement": f"SELECT * FROM \"{orders}\" WHERE pk = 'c2'"}]) == (
        "ValidationException", "Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction "
                               "must specify the primary key in the where clause.")


def test_a_client_request_token_applies_a_transaction_once(client, make_table):
    table = make_table()
    client.put_item(TableName=table, Item={"pk": {"S": "count"}, "n": {"N": "0"}})
    statements = [{"Statement": f"UPDATE \"{table}\" SET n = n + 1 WHERE pk = 'count'"}]
    token = f"partiql-{table}"[:36]
    client.execute_transaction(TransactStatements=statements, ClientRequestToken=token)
    client.execute_transaction(TransactStatements=statements, ClientRequestToken=token)
    assert client.get_item(TableName=table, Key={"pk": {"S": "count"}})["Item"]["n"] == {"N": "1"}


# ── set_add, set_delete, FROM-first UPDATE, conditions on writes ────────────────


def test_set_add_and_set_delete_follow_add_and_delete_semantics(client, make_table):
    table = make_table()
    client.put_item(TableName=table, Item={"pk": {"S": "s"}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1"]}, "s": {"S": "x"}})
    run(client, f"UPDATE \"{table}\" SET ss = SET_ADD(ss, <<'a', 'z'>>) SET fresh = set_add(fresh, <<'n'>>) WHERE pk = 's'")
    run(client, f"UPDATE \"{table}\" SET ns = set_delete(ns, <<1>>) SET nothing = set_delete(nothing, <<'q'>>) WHERE pk = 's'")
    item = client.get_item(TableName=table, Key={"pk": {"S": "s"}})["Item"]
    assert sorted(item["ss"]["SS"]) == ["a", "b", "z"] and item["fresh"] == {"SS": ["n"]}
    assert "ns" not in item and "nothing" not in item
    assert error_of(run, client, f"UPDATE \"{table}\" SET s = set_add(s, <<'x'>>) WHERE pk = 's'") == (
        "ValidationException", "An operand in the update expression has an incorrect data type")
    statement = f"UPDATE \"{table}\" SET ss = set_add(ss, 'x') WHERE pk = 's'"
    column = statement.index("set_add(") + len("set_add(") + 1
    assert error_of(run, client, statement) == (
        "ValidationException", f"The second argument to SET_ADD must be a value with type SET at 1:{column}:2")
    statement = f"UPDATE \"{table}\" SET ss = set_add(ss) WHERE pk = 's'"
    assert error_of(run, client, statement) == (
        "ValidationException", f"SET_ADD must have exactly two arguments at 1:{statement.index('set_add') + 1}:7")
    assert error_of(run, client, f"UPDATE \"{table}\" SET ss = set_add(ss, <<>>) WHERE pk = 's'") == (
        "ValidationException", "Empty bags are not supported")


def test_from_first_update_with_parameters_and_conditions(client, make_table):
    table = make_table()
    client.put_item(TableName=table, Item={"pk": {"S": "f"}, "a": {"N": "1"}, "b": {"S": "bee"}})
    response = run(client, f"FROM \"{table}\" WHERE pk = ? AND a = 1 SET c = ? REMOVE b RETURNING ALL NEW *",
                   Parameters=[{"S": "f"}, {"N": "7"}])
    assert response["Items"] == [{"pk": {"S": "f"}, "a": {"N": "1"}, "c": {"N": "7"}}]
    assert error_of(run, client, f"from \"{table}\" where pk = 'f' and a = 2 set c = 5")[0] == "ConditionalCheckFailedException"


def test_delete_with_a_failing_condition_keeps_the_item(client, make_table):
    table = make_table()
    client.put_item(TableName=table, Item={"pk": {"S": "k"}, "a": {"N": "1"}})
    assert error_of(run, client, f"DELETE FROM \"{table}\" WHERE pk = 'k' AND attribute_exists(nope)") == (
        "ConditionalCheckFailedException", "The conditional request failed")
    assert "Item" in client.get_item(TableName=table, Key={"pk": {"S": "k"}})
    run(client, f"DELETE FROM \"{table}\" WHERE pk = 'k' AND attribute_not_exists(nope)")
    assert "Item" not in client.get_item(TableName=table, Key={"pk": {"S": "k"}})


@pytest.mark.parametrize("statement, message", [
    ("INSERT INTO \"{t}\" VALUE {{'pk': 'n', 'v': 1e126}}",
     "Number overflow. Attempting to store a number with magnitude larger than supported range under root"),
    ("INSERT INTO \"{t}\" VALUE {{'pk': 'n', 'm': {{'x': 1e126}}}}",
     "Number overflow. Attempting to store a number with magnitude larger than supported range under root.x"),
    ("INSERT INTO \"{t}\" VALUE {{'pk': 'n', 'l': [1, 1e126]}}",
     "Number overflow. Attempting to store a number with magnitude larger than supported range under root[1]"),
    ("UPDATE \"{t}\" SET a = 1e-131 WHERE pk = 'n'",
     "Number underflow. Attempting to store a number with magnitude smaller than supported range under root"),
])
def test_number_literals_name_their_place_in_the_value(client, make_table, statement, message):
    table = make_table()
    assert error_of(run, client, statement.format(t=table)) == ("ValidationException", message)


def test_a_function_in_an_insert_value_is_refused(client, make_table):
    table = make_table()
    statement = f"INSERT INTO \"{table}\" VALUE {{'pk': 'f', 'ss': set_add(<<'a'>>, <<'b'>>)}}"
    assert error_of(run, client, statement) == (
        "ValidationException", f"Unsupported data type: set_add under key root at 1:{statement.index('set_add') + 1}:7")


def test_insert_takes_a_whole_item_parameter_and_checks_its_key(client, make_table):
    table = make_table()
    run(client, f"INSERT INTO \"{table}\" VALUE ?", Parameters=[{"M": {"pk": {"S": "whole"}, "n": {"N": "1"}}}])
    assert client.get_item(TableName=table, Key={"pk": {"S": "whole"}})["Item"] == {"pk": {"S": "whole"}, "n": {"N": "1"}}
    assert error_of(run, client, f"INSERT INTO \"{table}\" VALUE 'text'") == (
        "ValidationException",
        "Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.")


def test_exists_is_only_for_transactions(client, orders):
    assert error_of(run, client, f"EXISTS(SELECT * FROM \"{orders}\" WHERE pk = 'c0' AND sk = 1 AND amount = 1)") == (
        "ValidationException", "EXISTS can only be used in ExecuteTransaction write requests.")
    assert error_of(client.execute_transaction, TransactStatements=[
        {"Statement": f"EXISTS(SELECT * FROM \"{orders}\" WHERE pk = 'c0' AND sk = 1)"},
        {"Statement": f"UPDATE \"{orders}\" SET z = 1 WHERE pk = 'c0' AND sk = 2"},
    ]) == ("ValidationException", "Validation failed in TransactStatements[0]: EXISTS() must contain a single item read "
                                  "with additional condition")


def test_order_by_rules(client, orders):
    assert error_of(run, client, f"SELECT * FROM \"{orders}\" ORDER BY sk") == (
        "ValidationException", "Must have WHERE clause in the statement when using ORDER BY clause.")
    assert error_of(run, client, f"SELECT * FROM \"{orders}\" WHERE amount > 1 ORDER BY sk") == (
        "ValidationException", "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.")
    assert error_of(run, client, f"SELECT * FROM \"{orders}\" WHERE pk = 'c0' ORDER BY amount") == (
        "ValidationException", "Variable reference amount in ORDER BY clause must be part of the primary key")
    items = run(client, f"SELECT pk, sk FROM \"{orders}\" WHERE pk IN ['c0', 'c1'] AND sk < 3 ORDER BY pk DESC, sk DESC")["Items"]
    assert [(item["pk"]["S"], item["sk"]["N"]) for item in items] == [("c1", "2"), ("c1", "1"), ("c0", "2"), ("c0", "1")]


def test_or_branches_overlapping_on_the_sort_key_are_refused(client, orders):
    assert error_of(run, client, f"SELECT * FROM \"{orders}\" WHERE pk = 'c0' AND amount = 1 OR pk = 'c0' AND sk = 2") == (
        "ValidationException", "Overlapping conditions with range keys are not supported in where clause")
    items = run(client, f"SELECT sk FROM \"{orders}\" WHERE pk = 'c0' AND NOT sk = 1 OR pk = 'c0' AND sk = 2")["Items"]
    assert sorted(item["sk"]["N"] for item in items) == ["2", "3", "4", "5"]


def test_transaction_statement_errors_name_the_statement(client, orders):
    assert error_of(client.execute_transaction, TransactStatements=[
        {"Statement": f"UPDATE \"{orders}\" SET z = 1 WHERE pk = 'c0' AND sk = 1"},
        {"Statement": f"SELECT * FROM \"{orders}\" WHERE"},
    ]) == ("ValidationException",
           "Validation failed in TransactStatements[1]: Statement wasn't well formed, can't be processed: Unexpected term")
    assert error_of(client.execute_transaction, TransactStatements=[
        {"Statement": f"UPDATE \"{orders}\" SET z = ? WHERE pk = 'c0' AND sk = 1", "Parameters": [{"N": "1e99999999999"}]},
    ]) == ("ValidationException", "The parameter cannot be converted to a numeric value: 1e99999999999")


@pytest.mark.parametrize("number, message", [
    ("1e99999999999", "The parameter cannot be converted to a numeric value: 1e99999999999"),
    ("-1e2147483648", "The parameter cannot be converted to a numeric value: -1e2147483648"),
    ("abc", "The parameter cannot be converted to a numeric value: abc"),
    ("", "The parameter cannot be converted to a numeric value"),
    ("1e2147483647", "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
])
def test_number_parameters_are_read_as_dynamodb_reads_them(unchecked_client, orders, number, message):
    assert error_of(run, unchecked_client, f"SELECT * FROM \"{orders}\" WHERE pk = 'c0' AND n = ?",
                    Parameters=[{"N": number}]) == ("ValidationException", message)


def test_parameters_report_the_first_problem_in_document_order(unchecked_client, orders):
    deep = {"S": "leaf"}
    for _ in range(40):
        deep = {"M": {"n": deep}}
    statement = f"SELECT * FROM \"{orders}\" WHERE pk = 'c0' AND x = ? AND y = ?"
    nesting = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
    assert error_of(run, unchecked_client, statement, Parameters=[deep, {"N": "abc"}]) == ("ValidationException", nesting)
    assert error_of(run, unchecked_client, statement, Parameters=[{"N": "abc"}, deep]) == (
        "ValidationException", "The parameter cannot be converted to a numeric value: abc")


def test_local_index_reads_reach_unprojected_attributes(client, make_table):
    name = f"pq_lsi_{base64.b16encode(__import__('os').urandom(4)).decode().lower()}"
    client.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "rank")],
        LocalSecondaryIndexes=[{"IndexName": "byRank", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                     {"AttributeName": "rank", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    try:
        for sk, rank in (("a", "3"), ("b", "1"), ("c", "2")):
            client.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"S": sk}, "rank": {"S": rank}, "data": {"S": sk * 2}})
        items = run(client, f"SELECT data, rank FROM \"{name}\".\"byRank\" WHERE pk = 'p' AND rank >= '2'",
                    ConsistentRead=True)["Items"]
        assert items == [{"data": {"S": "cc"}, "rank": {"S": "2"}}, {"data": {"S": "aa"}, "rank": {"S": "3"}}]
    finally:
        client.delete_table(TableName=name)


def test_read_capacity_matches_the_equivalent_query(client, orders):
    via_partiql = run(client, f"SELECT * FROM \"{orders}\" WHERE pk = 'c1'", ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]
    via_query = client.query(TableName=orders, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "c1"}},
                             ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]
    assert via_partiql == via_query


def test_batch_reports_consumed_capacity_per_table(client, orders):
    response = client.batch_execute_statement(Statements=[
        {"Statement": f"SELECT * FROM \"{orders}\" WHERE pk = 'c1' AND sk = 1"},
        {"Statement": f"SELECT * FROM \"{orders}\" WHERE pk = 'c1' AND sk = 2", "ConsistentRead": True},
    ], ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"] == [{"TableName": orders, "CapacityUnits": 1.5}]
