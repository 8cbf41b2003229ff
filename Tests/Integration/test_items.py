"""Item operations: PutItem, GetItem, DeleteItem; all ten types; numbers; sizes; key and value validation."""
from decimal import Decimal

import pytest
from boto3.dynamodb.types import Binary

from conftest import error_of, unique_name

ALL_TYPES = {
    "pk": {"S": "all-types"},
    "s": {"S": "héllo wörld 😀"},
    "empty_s": {"S": ""},
    "n": {"N": "-12.5"},
    "b": {"B": bytes(range(256))},
    "empty_b": {"B": b""},
    "t": {"BOOL": True},
    "f": {"BOOL": False},
    "nul": {"NULL": True},
    "l": {"L": [{"S": "x"}, {"N": "1"}, {"L": []}, {"M": {}}]},
    "m": {"M": {"inner": {"M": {"deep": {"SS": ["a"]}}}, "list": {"L": [{"NULL": True}]}}},
    "ss": {"SS": ["a", "b", "c"]},
    "ns": {"NS": ["1", "2.5", "-3"]},
    "bs": {"BS": [b"\x00", b"\x01\x02"]},
}


def normalized(item):
    """Sets compare as sets (DynamoDB sets are unordered)."""
    result = {}
    for name, value in item.items():
        (kind, inner), = value.items()
        if kind in ("SS", "NS", "BS"):
            result[name] = {kind: sorted(inner)}
        elif kind == "M":
            result[name] = {kind: normalized(inner)}
        elif kind == "L":
            result[name] = {kind: [list(normalized({"x": element}).values())[0] for element in inner]}
        else:
            result[name] = value
    return result


def test_all_ten_types_round_trip_exactly(client, make_table):
    name = make_table()
    client.put_item(TableName=name, Item=ALL_TYPES)
    item = client.get_item(TableName=name, Key={"pk": {"S": "all-types"}}, ConsistentRead=True)["Item"]
    assert normalized(item) == normalized(ALL_TYPES)


def test_the_resource_api_round_trips_python_types(resource, make_table):
    table = resource.Table(make_table())
    item = {"pk": "py", "number": Decimal("3.14159"), "big": Decimal("12345678901234567890123456789012345678"),
            "binary": Binary(b"\x00\xff"), "flag": True, "nothing": None, "strings": {"a", "b"},
            "numbers": {Decimal(1), Decimal(2)}, "nested": {"list": [1, "two", {"three": 3}]}}
    table.put_item(Item=item)
    assert table.get_item(Key={"pk": "py"})["Item"] == item


@pytest.mark.parametrize("given,canonical", [
    ("1.50", "1.5"), ("-0", "0"), ("0.0", "0"), ("1E+2", "100"), ("1e2", "100"), ("0.000001", "0.000001"),
    ("1e-5", "0.00001"), ("-1.0e3", "-1000"), ("00012", "12"), ("123.4500", "123.45"), (".5", "0.5"),
    ("12345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
    ("1234567890123456789012345678901234567800000", "1234567890123456789012345678901234567800000"),
    ("9.9999999999999999999999999999999999999E+125", "99999999999999999999999999999999999999" + "0" * 88),
    ("1E-130", "0." + "0" * 129 + "1"),
    ("-1E-130", "-0." + "0" * 129 + "1"),
])
def test_numbers_come_back_in_canonical_form(client, make_table, given, canonical):
    name = make_table()
    client.put_item(TableName=name, Item={"pk": {"S": "n"}, "v": {"N": given}})
    assert client.get_item(TableName=name, Key={"pk": {"S": "n"}})["Item"]["v"] == {"N": canonical}


@pytest.mark.parametrize("given,message", [
    ("123456789012345678901234567890123456789", "Attempting to store more than 38 significant digits in a Number"),
    ("1E+126", "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ("1E-131", "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
])
def test_numbers_beyond_dynamodbs_limits_are_rejected(client, make_table, given, message):
    name = make_table()
    code, actual = error_of(client.put_item, TableName=name, Item={"pk": {"S": "n"}, "v": {"N": given}})
    assert code == "ValidationException"
    assert actual == message


@pytest.mark.parametrize("given", ["abc", "1.2.3", "", "1e", "--1", "0x10"])
def test_text_that_is_not_a_number_is_rejected(client, make_table, given):
    name = make_table()
    code, message = error_of(client.put_item, TableName=name, Item={"pk": {"S": "n"}, "v": {"N": given}})
    assert code == "ValidationException"
    assert message.startswith("The parameter cannot be converted to a numeric value")


def test_number_keys_are_canonical_so_equal_numbers_are_one_key(client, make_table):
    name = make_table(hash_key=("pk", "N"))
    client.put_item(TableName=name, Item={"pk": {"N": "1.50"}, "v": {"S": "first"}})
    client.put_item(TableName=name, Item={"pk": {"N": "15E-1"}, "v": {"S": "second"}})
    assert client.get_item(TableName=name, Key={"pk": {"N": "1.5"}})["Item"]["v"] == {"S": "second"}
    assert client.describe_table(TableName=name)["Table"]["ItemCount"] == 1


def test_put_item_return_values_all_old(client, make_table):
    name = make_table()
    assert "Attributes" not in client.put_item(TableName=name, Item={"pk": {"S": "k"}, "v": {"N": "1"}},
                                               ReturnValues="ALL_OLD")
    old = client.put_item(TableName=name, Item={"pk": {"S": "k"}, "v": {"N": "2"}}, ReturnValues="ALL_OLD")
    assert old["Attributes"] == {"pk": {"S": "k"}, "v": {"N": "1"}}
    assert "Attributes" not in client.put_item(TableName=name, Item={"pk": {"S": "k"}}, ReturnValues="NONE")


def test_put_item_refuses_return_values_it_does_not_support(client, make_table):
    code, message = error_of(client.put_item, TableName=make_table(), Item={"pk": {"S": "k"}}, ReturnValues="ALL_NEW")
    assert code == "ValidationException"
    assert message == "ReturnValues can only be ALL_OLD or NONE"


def test_delete_item_returns_the_old_item_and_is_a_no_op_when_absent(client, make_table):
    name = make_table()
    client.put_item(TableName=name, Item={"pk": {"S": "k"}, "v": {"S": "x"}})
    deleted = client.delete_item(TableName=name, Key={"pk": {"S": "k"}}, ReturnValues="ALL_OLD")
    assert deleted["Attributes"] == {"pk": {"S": "k"}, "v": {"S": "x"}}
    assert "Item" not in client.get_item(TableName=name, Key={"pk": {"S": "k"}})
    again = client.delete_item(TableName=name, Key={"pk": {"S": "k"}}, ReturnValues="ALL_OLD")
    assert "Attributes" not in again


def test_get_item_projects_attributes_to_get(client, make_table):
    name = make_table()
    client.put_item(TableName=name, Item={"pk": {"S": "k"}, "a": {"S": "1"}, "b": {"S": "2"}, "c": {"S": "3"}})
    item = client.get_item(TableName=name, Key={"pk": {"S": "k"}}, AttributesToGet=["a", "c", "missing"])["Item"]
    assert item == {"a": {"S": "1"}, "c": {"S": "3"}}


def test_get_item_projects_a_projection_expression_with_names(client, make_table):
    name = make_table()
    client.put_item(TableName=name, Item={"pk": {"S": "k"}, "a": {"S": "1"}, "Date": {"S": "2"}, "c": {"S": "3"}})
    item = client.get_item(TableName=name, Key={"pk": {"S": "k"}}, ProjectionExpression="a, #d",
                           ExpressionAttributeNames={"#d": "Date"})["Item"]
    assert item == {"a": {"S": "1"}, "Date": {"S": "2"}}


def test_get_item_refuses_unused_expression_attribute_names(client, make_table):
    code, message = error_of(client.get_item, TableName=make_table(), Key={"pk": {"S": "k"}}, ProjectionExpression="a",
                             ExpressionAttributeNames={"#unused": "x"})
    assert code == "ValidationException"
    assert message == "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}"


def test_get_item_refuses_an_undefined_expression_attribute_name(client, make_table):
    code, message = error_of(client.get_item, TableName=make_table(), Key={"pk": {"S": "k"}}, ProjectionExpression="#x")
    assert code == "ValidationException"
    assert message == ("Invalid ProjectionExpression: An expression attribute name used in the document path is not "
                       "defined; attribute name: #x")


def test_get_item_refuses_attributes_to_get_with_a_projection_expression(client, make_table):
    code, message = error_of(client.get_item, TableName=make_table(), Key={"pk": {"S": "k"}}, ProjectionExpression="a",
                             AttributesToGet=["a"])
    assert code == "ValidationException"
    assert message == ("Can not use both expression and non-expression parameters in the same request: "
                       "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")


def test_consumed_capacity_is_reported_when_asked(client, make_table):
    name = make_table()
    put = client.put_item(TableName=name, Item={"pk": {"S": "k"}, "v": {"S": "x" * 1500}},
                          ReturnConsumedCapacity="TOTAL")
    assert put["ConsumedCapacity"]["TableName"] == name
    assert put["ConsumedCapacity"]["CapacityUnits"] == 2.0
    get = client.get_item(TableName=name, Key={"pk": {"S": "k"}}, ReturnConsumedCapacity="TOTAL")
    assert get["ConsumedCapacity"]["CapacityUnits"] == 0.5
    strong = client.get_item(TableName=name, Key={"pk": {"S": "k"}}, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
    assert strong["ConsumedCapacity"]["CapacityUnits"] == 1.0


def test_an_item_of_exactly_400_kb_is_accepted_and_one_byte_more_is_not(client, make_table):
    name = make_table()
    # Size = attribute names + values: "pk" (2) + "k" (1) + "data" (4) + payload.
    payload = 400 * 1024 - (2 + 1 + 4)
    client.put_item(TableName=name, Item={"pk": {"S": "k"}, "data": {"S": "x" * payload}})
    assert client.describe_table(TableName=name)["Table"]["TableSizeBytes"] == 400 * 1024
    code, message = error_of(client.put_item, TableName=name,
                             Item={"pk": {"S": "k"}, "data": {"S": "x" * (payload + 1)}})
    assert code == "ValidationException"
    assert message == "Item size has exceeded the maximum allowed size"


def test_describe_table_counts_items_and_their_size(client, make_table):
    name = make_table()
    client.put_item(TableName=name, Item={"pk": {"S": "a"}, "v": {"N": "12"}})
    client.put_item(TableName=name, Item={"pk": {"S": "bb"}, "flag": {"BOOL": True}})
    table = client.describe_table(TableName=name)["Table"]
    assert table["ItemCount"] == 2
    # "pk"+"a" = 3, "v" + N(12) = 1 + 2 = 3; "pk"+"bb" = 4, "flag"+BOOL = 5.
    assert table["TableSizeBytes"] == 3 + 3 + 4 + 5


def test_put_item_reports_a_missing_key(client, make_table):
    name = make_table(range_key=("sk", "N"))
    code, message = error_of(client.put_item, TableName=name, Item={"pk": {"S": "k"}})
    assert code == "ValidationException"
    assert message == "One or more parameter values were invalid: Missing the key sk in the item"


def test_put_item_reports_a_key_type_mismatch(client, make_table):
    code, message = error_of(client.put_item, TableName=make_table(), Item={"pk": {"N": "1"}})
    assert code == "ValidationException"
    assert message == "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"


@pytest.mark.parametrize("key_type,value,kind", [("S", {"S": ""}, "string"), ("B", {"B": b""}, "binary")])
def test_empty_key_values_are_refused(client, make_table, key_type, value, kind):
    name = make_table(hash_key=("pk", key_type))
    expected = ("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain "
                f"an empty {kind} value. Key: pk")
    assert error_of(client.put_item, TableName=name, Item={"pk": value}) == ("ValidationException", expected)
    assert error_of(client.get_item, TableName=name, Key={"pk": value}) == ("ValidationException", expected)


@pytest.mark.parametrize("key", [{"pk": {"S": "k"}, "extra": {"S": "x"}}, {"other": {"S": "k"}}, {"pk": {"N": "1"}}, {}])
def test_a_key_that_does_not_match_the_schema_is_refused(unchecked_client, make_table, key):
    name = make_table()
    for call in (unchecked_client.get_item, unchecked_client.delete_item):
        code, message = error_of(call, TableName=name, Key=key)
        assert (code, message) == ("ValidationException", "The provided key element does not match the schema")


@pytest.mark.parametrize("value,message", [
    ({"SS": []}, "One or more parameter values were invalid: An string set  may not be empty"),
    ({"NS": []}, "One or more parameter values were invalid: An number set  may not be empty"),
    ({"BS": []}, "One or more parameter values were invalid: Binary sets should not be empty"),
    ({"SS": ["a", "a"]}, "One or more parameter values were invalid: Input collection [a, a] contains duplicates."),
    ({"NS": ["1", "1.0"]}, "One or more parameter values were invalid: Input collection [1, 1] contains duplicates."),
    ({}, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
    ({"S": "a", "N": "1"}, "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
                           "supported datatypes"),
    ({"NULL": False}, "One or more parameter values were invalid: Null attribute value types must have the value of true"),
])
def test_invalid_attribute_values_are_refused(unchecked_client, make_table, value, message):
    code, actual = error_of(unchecked_client.put_item, TableName=make_table(), Item={"pk": {"S": "k"}, "bad": value})
    assert code == "ValidationException"
    assert actual == message


def test_a_missing_table_is_requested_resource_not_found(client):
    for call, arguments in ((client.put_item, {"Item": {"pk": {"S": "k"}}}), (client.get_item, {"Key": {"pk": {"S": "k"}}}),
                            (client.delete_item, {"Key": {"pk": {"S": "k"}}})):
        code, message = error_of(call, TableName=unique_name(), **arguments)
        assert (code, message) == ("ResourceNotFoundException", "Requested resource not found")


def test_a_missing_item_parameter_is_a_validation_error(unchecked_client, make_table):
    code, message = error_of(unchecked_client.put_item, TableName=make_table())
    assert code == "ValidationException"
    assert message == "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null"


def test_items_are_addressed_by_table_arn_too(client, make_table):
    name = make_table()
    arn = client.describe_table(TableName=name)["Table"]["TableArn"]
    client.put_item(TableName=arn, Item={"pk": {"S": "k"}})
    assert client.get_item(TableName=name, Key={"pk": {"S": "k"}})["Item"] == {"pk": {"S": "k"}}


def test_keys_beyond_dynamodbs_size_limits_are_refused(client, make_table):
    name = make_table(range_key=("sk", "S"))
    client.put_item(TableName=name, Item={"pk": {"S": "p" * 2048}, "sk": {"S": "s" * 1024}})
    assert error_of(client.put_item, TableName=name, Item={"pk": {"S": "p" * 2049}, "sk": {"S": "s"}}) == (
        "ValidationException",
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes")
    assert error_of(client.get_item, TableName=name, Key={"pk": {"S": "p"}, "sk": {"S": "s" * 1025}}) == (
        "ValidationException",
        "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes")
