"""DynamoDB's tag rules, the same on TagResource, UntagResource and CreateTable: lengths counted in characters, the
characters allowed, the reserved aws: prefix, missing members, the 50-tag limit, and which ARNs name a taggable
resource. Messages are DynamoDB's (tagging restrictions in the developer guide; its answers to each case)."""
import pytest

from conftest import error_of, unique_name

KEY = {"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
       "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}


@pytest.fixture
def table_arn(client, make_table):
    return client.describe_table(TableName=make_table())["Table"]["TableArn"]


def tags_of(client, arn):
    return {tag["Key"]: tag["Value"] for tag in client.list_tags_of_resource(ResourceArn=arn)["Tags"]}


# Lengths are characters, not UTF-8 bytes


@pytest.mark.parametrize("letter", ["x", "א", "表"])
def test_a_key_of_128_characters_and_a_value_of_256_are_accepted(client, table_arn, letter):
    key, value = letter * 128, letter * 256
    client.tag_resource(ResourceArn=table_arn, Tags=[{"Key": key, "Value": value}])
    assert tags_of(client, table_arn) == {key: value}


@pytest.mark.parametrize("letter", ["x", "א"])
def test_one_character_more_is_refused(client, table_arn, letter):
    key = letter * 129
    assert error_of(client.tag_resource, ResourceArn=table_arn, Tags=[{"Key": key, "Value": "v"}]) == (
        "ValidationException", f"The Tag Key provided is invalid, Key: {key}")
    value = letter * 257
    assert error_of(client.tag_resource, ResourceArn=table_arn, Tags=[{"Key": "k", "Value": value}]) == (
        "ValidationException", f"The Tag Value provided is invalid, Value: {value}")


# Characters: letters, numbers and spaces of any script, and + - = . _ : / @


def test_letters_of_any_script_spaces_and_the_allowed_punctuation_are_accepted(client, table_arn):
    tags = {"законные буквы": "ѮѮ Ѯ", "café": "表 2", "a b": "a+b-c=d.e_f:g/h@i", "\u00a0lead": ""}
    client.tag_resource(ResourceArn=table_arn, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])
    assert tags_of(client, table_arn) == tags


@pytest.mark.parametrize("text", ["hi!", "d%g", '"q"', "a,b", "a#b", "a&b", "<a>", "~a", "a;b", "🔑"])
def test_other_characters_are_refused_in_keys_and_values(client, table_arn, text):
    assert error_of(client.tag_resource, ResourceArn=table_arn, Tags=[{"Key": text, "Value": "v"}]) == (
        "ValidationException", f"The Tag Key provided is invalid, Key: {text}")
    assert error_of(client.tag_resource, ResourceArn=table_arn, Tags=[{"Key": "k", "Value": text}]) == (
        "ValidationException", f"The Tag Value provided is invalid, Value: {text}")
    assert tags_of(client, table_arn) == {}


# The reserved prefix, missing members, repeated keys, empty lists


@pytest.mark.parametrize("key", ["aws:owner", "AWS:owner", "Aws:x"])
def test_keys_starting_with_aws_colon_in_any_case_are_reserved(client, table_arn, key):
    expected = ("ValidationException", f"Tag Key cannot be prefixed with aws:, Key: {key}")
    assert error_of(client.tag_resource, ResourceArn=table_arn, Tags=[{"Key": key, "Value": "v"}]) == expected
    assert error_of(client.untag_resource, ResourceArn=table_arn, TagKeys=[key]) == expected
    client.tag_resource(ResourceArn=table_arn, Tags=[{"Key": "myaws:owner", "Value": "v"}])


def test_a_missing_value_is_refused_but_an_empty_one_is_kept(unchecked_client, table_arn):
    assert error_of(unchecked_client.tag_resource, ResourceArn=table_arn, Tags=[{"Key": "dog"}]) == (
        "ValidationException", "The Tag Value provided is invalid, Value: null")
    assert error_of(unchecked_client.tag_resource, ResourceArn=table_arn, Tags=[{"Value": "v"}]) == (
        "ValidationException", "The Tag Key provided is invalid, Key: null")
    assert error_of(unchecked_client.tag_resource, ResourceArn=table_arn, Tags=[{"Key": "", "Value": "v"}]) == (
        "ValidationException", "The Tag Key provided is invalid, Key: ")
    unchecked_client.tag_resource(ResourceArn=table_arn, Tags=[{"Key": "dog", "Value": ""}])
    assert tags_of(unchecked_client, table_arn) == {"dog": ""}


def test_a_key_given_twice_and_empty_lists_are_refused(client, table_arn):
    assert error_of(client.tag_resource, ResourceArn=table_arn,
                    Tags=[{"Key": "dup", "Value": "1"}, {"Key": "dup", "Value": "2"}]) == (
        "ValidationException", "Duplicate Tag Keys provided as input: Duplicate Tag Key found dup")
    assert error_of(client.tag_resource, ResourceArn=table_arn, Tags=[]) == (
        "ValidationException", "Atleast one Tag needs to be provided as Input.")
    assert error_of(client.untag_resource, ResourceArn=table_arn, TagKeys=[]) == (
        "ValidationException", "Atleast one Tag Key needs to be provided as Input.")


def test_one_bad_tag_fails_the_whole_request(client, table_arn):
    code, _ = error_of(client.tag_resource, ResourceArn=table_arn,
                       Tags=[{"Key": "good", "Value": "v"}, {"Key": "aws:bad", "Value": "v"}])
    assert code == "ValidationException"
    assert tags_of(client, table_arn) == {}


def test_untagging_checks_each_key_and_ignores_absent_ones(client, table_arn):
    client.tag_resource(ResourceArn=table_arn, Tags=[{"Key": "keep", "Value": "1"}, {"Key": "drop", "Value": "2"}])
    client.untag_resource(ResourceArn=table_arn, TagKeys=["drop", "never-set"])
    assert tags_of(client, table_arn) == {"keep": "1"}
    assert error_of(client.untag_resource, ResourceArn=table_arn, TagKeys=["k" * 129]) == (
        "ValidationException", f"The Tag Key provided is invalid, Key: {'k' * 129}")
    assert error_of(client.untag_resource, ResourceArn=table_arn, TagKeys=[f"k{i}" for i in range(51)]) == (
        "ValidationException", "Number of Tags exceed the current limit for the provided ResourceArn")


# At most 50 tags after the change


def test_the_limit_counts_the_tags_the_table_would_have(client, table_arn):
    client.tag_resource(ResourceArn=table_arn, Tags=[{"Key": f"k{i:02}", "Value": "v"} for i in range(50)])
    assert error_of(client.tag_resource, ResourceArn=table_arn, Tags=[{"Key": "k50", "Value": "v"}]) == (
        "ValidationException", "Number of Tags exceed the current limit for the provided ResourceArn")
    client.tag_resource(ResourceArn=table_arn, Tags=[{"Key": f"k{i:02}", "Value": "new"} for i in range(50)])
    assert set(tags_of(client, table_arn).values()) == {"new"}


# CreateTable's Tags: the same rules, and a refused table is not created


@pytest.mark.parametrize("tags, message", [
    ([{"Key": str(i), "Value": str(i)} for i in range(51)],
     "Number of Tags exceed the current limit for the provided ResourceArn"),
    ([{"Key": "aws:foo", "Value": "v"}], "Tag Key cannot be prefixed with aws:, Key: aws:foo"),
    ([{"Key": "bad#char", "Value": "v"}], "The Tag Key provided is invalid, Key: bad#char"),
    ([{"Key": "k", "Value": "v"}, {"Key": "k", "Value": "w"}],
     "Duplicate Tag Keys provided as input: Duplicate Tag Key found k"),
])
def test_create_table_refuses_bad_tags_and_creates_nothing(client, tags, message):
    name = unique_name()
    assert error_of(client.create_table, TableName=name, Tags=tags, **KEY) == ("ValidationException", message)
    assert error_of(client.describe_table, TableName=name)[0] == "ResourceNotFoundException"


def test_create_table_takes_an_empty_tag_list_and_fifty_tags(client, make_table):
    assert client.list_tags_of_resource(
        ResourceArn=client.describe_table(TableName=make_table(Tags=[]))["Table"]["TableArn"])["Tags"] == []
    name = make_table(Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    assert len(tags_of(client, client.describe_table(TableName=name)["Table"]["TableArn"])) == 50


def test_create_table_refuses_a_tag_without_a_value(unchecked_client):
    name = unique_name()
    assert error_of(unchecked_client.create_table, TableName=name, Tags=[{"Key": "k"}], **KEY) == (
        "ValidationException", "The Tag Value provided is invalid, Value: null")


# Which ARNs name a taggable resource


def test_an_arn_that_does_not_start_with_arn_is_refused(client, make_table):
    name = make_table()
    expected = ("ValidationException", f"One or more parameter values were invalid: ARNs must start with 'arn:': {name}")
    assert error_of(client.list_tags_of_resource, ResourceArn=name) == expected
    assert error_of(client.tag_resource, ResourceArn=name, Tags=[{"Key": "k", "Value": "v"}]) == expected
    assert error_of(client.untag_resource, ResourceArn=name, TagKeys=["k"]) == expected


def test_index_arns_are_not_taggable(client):
    name = unique_name()
    client.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"},
                              {"AttributeName": "x", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        LocalSecondaryIndexes=[{"IndexName": "lsi", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                  {"AttributeName": "x", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    try:
        table = client.describe_table(TableName=name)["Table"]
        for arn in (table["GlobalSecondaryIndexes"][0]["IndexArn"], table["LocalSecondaryIndexes"][0]["IndexArn"]):
            expected = ("ValidationException", "One or more parameter values were invalid: Invalid resource arn "
                        f"provided, only table or stream is accepted. Provided resource arn: {arn}")
            assert error_of(client.list_tags_of_resource, ResourceArn=arn) == expected
            assert error_of(client.tag_resource, ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}]) == expected
    finally:
        client.delete_table(TableName=name)


def test_other_arns_are_refused_as_dynamodb_refuses_them(client, table_arn):
    region_and_account = table_arn.split(":table/")[0]
    backup = f"{table_arn}/backup/01700000000000-abcdef12"
    assert error_of(client.list_tags_of_resource, ResourceArn=backup) == (
        "ValidationException", f"One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: {backup}")
    other_region = table_arn.replace(":us-east-1:", ":eu-west-1:")
    assert error_of(client.list_tags_of_resource, ResourceArn=other_region) == (
        "ValidationException", f"Invalid TableArn: Invalid ResourceArn provided as input {other_region}")
    other_account = table_arn.replace(region_and_account.split(":")[4], "999999999999")
    assert error_of(client.list_tags_of_resource, ResourceArn=other_account) == (
        "AccessDeniedException", "Access is denied")
    for arn in ("arn:aws:sqs:us-east-1:123456789012:queue", "arn:not/a/good/format"):
        assert error_of(client.list_tags_of_resource, ResourceArn=arn) == ("AccessDeniedException", "Access is denied")
    missing = f"{region_and_account}:table/{unique_name()}"
    assert error_of(client.list_tags_of_resource, ResourceArn=missing) == (
        "ResourceNotFoundException", f"Requested resource not found: ResourceArn: {missing} not found")
