"""Tags on tables: TagResource, UntagResource, ListTagsOfResource, and tags given at creation."""
from conftest import error_of, unique_name


def test_tags_are_added_listed_overwritten_and_removed(client, make_table):
    name = make_table(Tags=[{"Key": "team", "Value": "data"}])
    arn = client.describe_table(TableName=name)["Table"]["TableArn"]
    assert client.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "data"}]
    client.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "test"}, {"Key": "team", "Value": "ops"}])
    tags = {tag["Key"]: tag["Value"] for tag in client.list_tags_of_resource(ResourceArn=arn)["Tags"]}
    assert tags == {"team": "ops", "env": "test"}
    client.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert client.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "env", "Value": "test"}]


def test_tagging_a_missing_table_is_resource_not_found(client):
    arn = f"arn:aws:dynamodb:us-east-1:123456789012:table/{unique_name()}"
    assert error_of(client.tag_resource, ResourceArn=arn, Tags=[{"Key": "a", "Value": "b"}]) == (
        "ResourceNotFoundException", f"Requested resource not found: ResourceArn: {arn} not found")


def test_tag_limits_are_enforced(client, make_table):
    name = make_table()
    arn = client.describe_table(TableName=name)["Table"]["TableArn"]
    code, message = error_of(client.tag_resource, ResourceArn=arn, Tags=[{"Key": "k" * 129, "Value": "v"}])
    assert (code, message) == ("ValidationException", f"The Tag Key provided is invalid, Key: {'k' * 129}")
    code, _ = error_of(client.tag_resource, ResourceArn=arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)])
    assert code == "ValidationException"
