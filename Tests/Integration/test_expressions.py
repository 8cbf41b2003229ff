"""Expressions through real requests: UpdateItem's clauses and ReturnValues, conditional writes, projections,
the legacy parameters, and atomic conditional increments under concurrency."""
import threading

import pytest

from conftest import error_of, make_client

KEY = {"pk": {"S": "k"}}


@pytest.fixture
def table(client, make_table):
    name = make_table()
    client.put_item(TableName=name, Item={"pk": {"S": "k"}, "n": {"N": "5"}, "s": {"S": "hello"},
                                          "l": {"L": [{"S": "a"}, {"S": "b"}]}, "m": {"M": {"x": {"N": "1"}}},
                                          "ss": {"SS": ["a", "b"]}})
    return name


def get(client, table):
    return client.get_item(TableName=table, Key=KEY, ConsistentRead=True)["Item"]


def test_update_set_with_arithmetic_functions_and_nested_paths(client, table):
    client.update_item(TableName=table, Key=KEY,
                       UpdateExpression="SET n = n + :one, c = if_not_exists(c, :zero) - :one, "
                                        "l = list_append(l, :more), m.y = :one",
                       ExpressionAttributeValues={":one": {"N": "1"}, ":zero": {"N": "0"}, ":more": {"L": [{"S": "c"}]},
                       })
    client.update_item(TableName=table, Key=KEY, UpdateExpression="SET l[0] = :z", ExpressionAttributeValues={":z": {"S": "z"}})
    item = get(client, table)
    assert item["n"] == {"N": "6"}
    assert item["c"] == {"N": "-1"}
    assert item["l"] == {"L": [{"S": "z"}, {"S": "b"}, {"S": "c"}]}
    assert item["m"] == {"M": {"x": {"N": "1"}, "y": {"N": "1"}}}


def test_update_remove_add_and_delete(client, table):
    client.update_item(TableName=table, Key=KEY, UpdateExpression="REMOVE s, l[0] ADD n :two, fresh :two DELETE ss :a",
                       ExpressionAttributeValues={":two": {"N": "2"}, ":a": {"SS": ["a"]}})
    item = get(client, table)
    assert "s" not in item
    assert item["l"] == {"L": [{"S": "b"}]}
    assert item["n"] == {"N": "7"} and item["fresh"] == {"N": "2"}
    assert item["ss"] == {"SS": ["b"]}
    client.update_item(TableName=table, Key=KEY, UpdateExpression="DELETE ss :b", ExpressionAttributeValues={":b": {"SS": ["b"]}})
    assert "ss" not in get(client, table)


def test_update_creates_a_missing_item(client, table):
    client.update_item(TableName=table, Key={"pk": {"S": "new"}}, UpdateExpression="SET a = :v",
                       ExpressionAttributeValues={":v": {"S": "x"}})
    assert client.get_item(TableName=table, Key={"pk": {"S": "new"}})["Item"] == {"pk": {"S": "new"}, "a": {"S": "x"}}
    client.update_item(TableName=table, Key={"pk": {"S": "bare"}})
    assert client.get_item(TableName=table, Key={"pk": {"S": "bare"}})["Item"] == {"pk": {"S": "bare"}}


@pytest.mark.parametrize("return_values,expected", [
    ("NONE", None),
    ("ALL_OLD", {"pk": {"S": "k"}, "n": {"N": "5"}, "s": {"S": "hello"}, "l": {"L": [{"S": "a"}, {"S": "b"}]},
                 "m": {"M": {"x": {"N": "1"}}}, "ss": {"SS": ["a", "b"]}}),
    ("UPDATED_OLD", {"n": {"N": "5"}, "m": {"M": {"x": {"N": "1"}}}}),
    ("ALL_NEW", {"pk": {"S": "k"}, "n": {"N": "6"}, "s": {"S": "hello"}, "l": {"L": [{"S": "a"}, {"S": "b"}]},
                 "m": {"M": {"x": {"N": "2"}}}, "ss": {"SS": ["a", "b"]}, "t": {"S": "new"}}),
    ("UPDATED_NEW", {"n": {"N": "6"}, "m": {"M": {"x": {"N": "2"}}}, "t": {"S": "new"}}),
])
def test_update_return_values(client, table, return_values, expected):
    response = client.update_item(TableName=table, Key=KEY, UpdateExpression="SET n = n + :one, m.x = :two, t = :t",
                                  ExpressionAttributeValues={":one": {"N": "1"}, ":two": {"N": "2"}, ":t": {"S": "new"}},
                                  ReturnValues=return_values)
    assert response.get("Attributes") == expected


def test_conditional_put_and_delete(client, table):
    code, message = error_of(client.put_item, TableName=table, Item=KEY, ConditionExpression="attribute_not_exists(pk)")
    assert (code, message) == ("ConditionalCheckFailedException", "The conditional request failed")
    client.put_item(TableName=table, Item={"pk": {"S": "other"}}, ConditionExpression="attribute_not_exists(pk)")
    code, _ = error_of(client.delete_item, TableName=table, Key=KEY, ConditionExpression="n > :ten",
                       ExpressionAttributeValues={":ten": {"N": "10"}})
    assert code == "ConditionalCheckFailedException"
    client.delete_item(TableName=table, Key=KEY, ConditionExpression="n < :ten", ExpressionAttributeValues={":ten": {"N": "10"}})
    assert "Item" not in client.get_item(TableName=table, Key=KEY)


def test_a_failed_condition_returns_the_item_when_asked(client, table):
    try:
        client.update_item(TableName=table, Key=KEY, UpdateExpression="SET n = :v", ConditionExpression="n = :v",
                           ExpressionAttributeValues={":v": {"N": "100"}}, ReturnValuesOnConditionCheckFailure="ALL_OLD")
    except client.exceptions.ConditionalCheckFailedException as error:
        assert error.response["Item"]["n"] == {"N": "5"}
    else:
        raise AssertionError("the condition should have failed")


def test_a_failed_condition_changes_nothing(client, table):
    before = get(client, table)
    error_of(client.update_item, TableName=table, Key=KEY, UpdateExpression="SET n = :v", ConditionExpression="s = :v",
             ExpressionAttributeValues={":v": {"N": "1"}})
    assert get(client, table) == before


def test_get_item_projects_nested_paths_and_list_elements(client, table):
    item = client.get_item(TableName=table, Key=KEY, ProjectionExpression="m.x, l[1], #s",
                           ExpressionAttributeNames={"#s": "s"})["Item"]
    assert item == {"m": {"M": {"x": {"N": "1"}}}, "l": {"L": [{"S": "b"}]}, "s": {"S": "hello"}}


@pytest.mark.parametrize("expression,values,code,message", [
    ("SET pk = :v", {":v": {"S": "x"}}, "ValidationException",
     "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"),
    ("SET n = s + :v", {":v": {"N": "1"}}, "ValidationException",
     "An operand in the update expression has an incorrect data type"),
    ("SET x.y = :v", {":v": {"N": "1"}}, "ValidationException",
     "The document path provided in the update expression is invalid for update"),
    ("SET n = nope", None, "ValidationException",
     "The provided expression refers to an attribute that does not exist in the item"),
    ("SET n = :v, n = :v", {":v": {"N": "1"}}, "ValidationException",
     "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; "
     "path one: [n], path two: [n]"),
    ("INVALID SYNTAX HERE", {":v": {"N": "1"}}, "ValidationException",
     'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"'),
    ("SET a = :v", {":v": {"N": "1"}, ":unused": {"N": "2"}}, "ValidationException",
     "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}"),
    ("SET a = :v", None, "ValidationException",
     "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v"),
    ("ADD ss :v", {":v": {"N": "1"}}, "ValidationException", "An operand in the update expression has an incorrect data type"),
])
def test_update_errors(client, table, expression, values, code, message):
    arguments = {"ExpressionAttributeValues": values} if values else {}
    assert error_of(client.update_item, TableName=table, Key=KEY, UpdateExpression=expression, **arguments) == (code, message)


def test_expression_and_legacy_parameters_cannot_be_mixed(client, table):
    code, message = error_of(client.update_item, TableName=table, Key=KEY, UpdateExpression="SET a = :v",
                             ExpressionAttributeValues={":v": {"S": "x"}},
                             AttributeUpdates={"a": {"Value": {"S": "y"}, "Action": "PUT"}})
    assert code == "ValidationException"
    assert message == ("Can not use both expression and non-expression parameters in the same request: "
                       "Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}")


def test_expression_attribute_values_need_an_expression(client, table):
    code, message = error_of(client.put_item, TableName=table, Item=KEY, ExpressionAttributeValues={":v": {"S": "x"}})
    assert (code, message) == ("ValidationException",
                               "1 validation error detected: ExpressionAttributeValues can only be specified when using expressions")


def test_legacy_parameters_behave_like_expressions(client, make_table):
    legacy, modern = make_table(), make_table()
    for name in (legacy, modern):
        client.put_item(TableName=name, Item={"pk": {"S": "k"}, "n": {"N": "1"}, "ss": {"SS": ["a", "b"]}})
    client.update_item(TableName=legacy, Key=KEY,
                       AttributeUpdates={"n": {"Action": "ADD", "Value": {"N": "2"}}, "ss": {"Action": "DELETE", "Value": {"SS": ["a"]}},
                                         "t": {"Action": "PUT", "Value": {"S": "x"}}},
                       Expected={"n": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]}})
    client.update_item(TableName=modern, Key=KEY, UpdateExpression="ADD n :two DELETE ss :a SET t = :x",
                       ConditionExpression="n = :one",
                       ExpressionAttributeValues={":two": {"N": "2"}, ":a": {"SS": ["a"]}, ":x": {"S": "x"}, ":one": {"N": "1"}})
    assert get(client, legacy) == get(client, modern)
    code, _ = error_of(client.put_item, TableName=legacy, Item=KEY, Expected={"pk": {"Exists": False}})
    assert code == "ConditionalCheckFailedException"
    client.put_item(TableName=legacy, Item={"pk": {"S": "fresh"}}, Expected={"pk": {"Exists": False}})


def test_sixteen_threads_of_conditional_increments_lose_no_update(endpoint, make_table):
    name = make_table()
    setup = make_client(endpoint)
    setup.put_item(TableName=name, Item={"pk": {"S": "counter"}, "n": {"N": "0"}})
    increments_per_thread = 25
    failures = []

    def worker():
        client = make_client(endpoint)
        done = 0
        while done < increments_per_thread:
            current = client.get_item(TableName=name, Key={"pk": {"S": "counter"}}, ConsistentRead=True)["Item"]["n"]
            try:
                client.update_item(TableName=name, Key={"pk": {"S": "counter"}}, UpdateExpression="SET n = n + :one",
                                   ConditionExpression="n = :old",
                                   ExpressionAttributeValues={":one": {"N": "1"}, ":old": current})
                done += 1
            except client.exceptions.ConditionalCheckFailedException:
                continue
            except Exception as error:  # noqa: BLE001 - recorded and asserted below
                failures.append(error)
                return

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures
    final = setup.get_item(TableName=name, Key={"pk": {"S": "counter"}}, ConsistentRead=True)["Item"]["n"]
    assert final == {"N": str(16 * increments_per_thread)}
