"""Contributor insights: UpdateContributorInsights / DescribeContributorInsights / ListContributorInsights with
DynamoDB's states, rule names and errors, and the hot keys they make visible in the usage document and in
`swiftdynamo usage --hot`."""
import json
import subprocess
import urllib.request

import pytest

from conftest import error_of, server_binary, unique_name

ACCOUNT = "123456789012"  # the account of the default test access key


def insights_of(endpoint, name, index=None):
    with urllib.request.urlopen(f"{endpoint}/_swiftdynamo/usage?account={ACCOUNT}") as response:
        document = json.load(response)
    table = next(t for t in document["Accounts"][ACCOUNT]["Tables"] if t["TableName"] == name and not t["Deleted"])
    if index is None:
        return table.get("ContributorInsights")
    return next(i for i in table["Indexes"] if i["IndexName"] == index).get("ContributorInsights")


@pytest.fixture
def make_indexed_table(client):
    """Creates on-demand tables with extra attribute definitions and indexes; deletes them afterwards."""
    created = []

    def create(definitions, key_schema, **indexes):
        name = unique_name()
        client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", KeySchema=key_schema,
                            AttributeDefinitions=[{"AttributeName": attribute, "AttributeType": "S"}
                                                  for attribute in definitions], **indexes)
        created.append(name)
        return name

    yield create
    for name in created:
        client.delete_table(TableName=name)


def test_describe_contributor_insights_of_a_never_configured_table_is_disabled(client, make_table):
    name = make_table()
    assert_response = client.describe_contributor_insights(TableName=name)
    assert assert_response["TableName"] == name
    assert assert_response["ContributorInsightsStatus"] == "DISABLED"
    assert "ContributorInsightsMode" not in assert_response
    assert "LastUpdateDateTime" not in assert_response
    assert client.list_contributor_insights(TableName=name)["ContributorInsightsSummaries"] == []


def test_enable_answers_enabling_then_describe_shows_rules_for_partition_and_sort_keys(client, make_table):
    name = make_table(range_key=("sk", "N"))
    response = client.update_contributor_insights(TableName=name, ContributorInsightsAction="ENABLE")
    assert response["ContributorInsightsStatus"] == "ENABLING"
    assert response["ContributorInsightsMode"] == "ACCESSED_AND_THROTTLED_KEYS"
    described = client.describe_contributor_insights(TableName=name)
    assert described["ContributorInsightsStatus"] == "ENABLED"
    assert described["ContributorInsightsMode"] == "ACCESSED_AND_THROTTLED_KEYS"
    rules = described["ContributorInsightsRuleList"]
    assert [rule.split("-")[1] for rule in rules] == ["PKC", "PKT", "SKC", "SKT"]
    suffix = rules[0].rsplit("-", 1)[1]
    assert all(rule == f"DynamoDBContributorInsights-{code}-{name}-{suffix}"
               for rule, code in zip(rules, ["PKC", "PKT", "SKC", "SKT"]))
    assert described["LastUpdateDateTime"]
    # Enabling again with the same mode changes nothing.
    again = client.update_contributor_insights(TableName=name, ContributorInsightsAction="ENABLE",
                                               ContributorInsightsMode="ACCESSED_AND_THROTTLED_KEYS")
    assert again["ContributorInsightsStatus"] == "ENABLED"


def test_throttled_keys_mode_keeps_only_throttle_rules_and_enable_without_mode_reverts(client, make_table):
    name = make_table()
    client.update_contributor_insights(TableName=name, ContributorInsightsAction="ENABLE")
    first = client.describe_contributor_insights(TableName=name)["ContributorInsightsRuleList"]
    changed = client.update_contributor_insights(TableName=name, ContributorInsightsAction="ENABLE",
                                                 ContributorInsightsMode="THROTTLED_KEYS")
    assert changed["ContributorInsightsStatus"] == "ENABLING"
    rules = client.describe_contributor_insights(TableName=name)["ContributorInsightsRuleList"]
    assert rules == [first[1]]  # the PKT rule, with the same timestamp
    client.update_contributor_insights(TableName=name, ContributorInsightsAction="ENABLE")
    described = client.describe_contributor_insights(TableName=name)
    assert described["ContributorInsightsMode"] == "ACCESSED_AND_THROTTLED_KEYS"


def test_disable_answers_disabling_echoes_the_mode_and_leaves_the_list(client, make_table):
    name = make_table()
    client.update_contributor_insights(TableName=name, ContributorInsightsAction="ENABLE",
                                       ContributorInsightsMode="THROTTLED_KEYS")
    summaries = client.list_contributor_insights(TableName=name)["ContributorInsightsSummaries"]
    assert summaries == [{"TableName": name, "ContributorInsightsStatus": "ENABLED",
                          "ContributorInsightsMode": "THROTTLED_KEYS"}]
    response = client.update_contributor_insights(TableName=name, ContributorInsightsAction="DISABLE",
                                                  ContributorInsightsMode="ACCESSED_AND_THROTTLED_KEYS")
    assert response["ContributorInsightsStatus"] == "DISABLING"
    assert response["ContributorInsightsMode"] == "THROTTLED_KEYS"
    described = client.describe_contributor_insights(TableName=name)
    assert described["ContributorInsightsStatus"] == "DISABLED"
    assert "ContributorInsightsRuleList" not in described
    assert described["ContributorInsightsMode"] == "THROTTLED_KEYS"
    assert client.list_contributor_insights(TableName=name)["ContributorInsightsSummaries"] == []


def test_global_index_insights_are_separate_and_local_or_unknown_indexes_are_not_found(client, make_indexed_table):
    name = make_indexed_table(
        ["pk", "sk", "g"], [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
        LocalSecondaryIndexes=[{"IndexName": "local", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                    {"AttributeName": "g", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    response = client.update_contributor_insights(TableName=name, IndexName="byG", ContributorInsightsAction="ENABLE")
    assert response["IndexName"] == "byG"
    assert client.describe_contributor_insights(TableName=name)["ContributorInsightsStatus"] == "DISABLED"
    rules = client.describe_contributor_insights(TableName=name, IndexName="byG")["ContributorInsightsRuleList"]
    assert [rule.split("-")[1] for rule in rules] == ["PKC", "PKT"]
    assert rules[0].startswith(f"DynamoDBContributorInsights-PKC-{name}-byG-")
    client.update_contributor_insights(TableName=name, ContributorInsightsAction="ENABLE")
    listed = client.list_contributor_insights(TableName=name)["ContributorInsightsSummaries"]
    assert [summary.get("IndexName") for summary in listed] == [None, "byG"]
    for index in ["local", "nope"]:
        assert error_of(client.describe_contributor_insights, TableName=name, IndexName=index) == (
            "ResourceNotFoundException", f"Requested resource not found: Index: {index} not found for table: {name}")


def test_unknown_table_and_bad_input_get_dynamodb_errors(client, unchecked_client, make_table):
    assert error_of(client.describe_contributor_insights, TableName="no_such_table") == (
        "ResourceNotFoundException", "Requested resource not found: Table: no_such_table not found")
    name = make_table()
    code, message = error_of(unchecked_client.update_contributor_insights, TableName=name,
                             ContributorInsightsAction="ON")
    assert code == "ValidationException"
    assert message == ("1 validation error detected: Value 'ON' at 'contributorInsightsAction' failed to satisfy "
                       "constraint: Member must satisfy enum value set: [ENABLE, DISABLE]")
    code, message = error_of(unchecked_client.list_contributor_insights, MaxResults=101)
    assert code == "ValidationException"
    assert "at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100" in message


def test_list_pages_with_max_results(client, make_table):
    names = [make_table() for _ in range(3)]
    for name in names:
        client.update_contributor_insights(TableName=name, ContributorInsightsAction="ENABLE")
    seen = []
    token = None
    while True:
        page = client.list_contributor_insights(MaxResults=1, **({"NextToken": token} if token else {}))
        seen += [summary["TableName"] for summary in page["ContributorInsightsSummaries"]]
        token = page.get("NextToken")
        if not token:
            break
    assert set(names) <= set(seen)
    assert len(seen) == len(set(seen))


def test_contributor_insights_name_the_key_a_test_hammers(client, make_table, endpoint):
    name = make_table(range_key=("sk", "N"))
    client.update_contributor_insights(TableName=name, ContributorInsightsAction="ENABLE")
    for number in range(20):
        client.put_item(TableName=name, Item={"pk": {"S": f"cold{number}"}, "sk": {"N": "1"}})
    for _ in range(50):
        client.get_item(TableName=name, Key={"pk": {"S": "hot"}, "sk": {"N": "7"}})
    client.query(TableName=name, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "hot"}})
    insights = insights_of(endpoint, name)
    assert insights["Mode"] == "ACCESSED_AND_THROTTLED_KEYS"
    top = insights["LastMinute"]["MostAccessedPartitionKeys"][0]
    assert top == {"Key": "hot", "Count": 51}
    assert insights["LastHour"]["MostAccessedItemKeys"][0] == {"Key": "hot | 7", "Count": 50}
    assert insights["LastMinute"]["MostThrottledPartitionKeys"] == []
    printed = subprocess.run([server_binary(), "usage", "--endpoint", endpoint, "--hot"],
                             capture_output=True, text=True, timeout=30)
    assert printed.returncode == 0, printed.stderr
    hot_rows = [line for line in printed.stdout.splitlines()
                if line.startswith(name) and "accessed partition key" in line]
    assert hot_rows and hot_rows[0].split()[-2:] == ["51", "hot"]


def test_throttled_keys_are_counted_on_a_provisioned_table(client, make_table, endpoint):
    name = make_table(ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    client.update_contributor_insights(TableName=name, ContributorInsightsAction="ENABLE",
                                       ContributorInsightsMode="THROTTLED_KEYS")
    big = {"pk": {"S": "heavy"}, "v": {"S": "x" * 200_000}}
    throttled = 0
    for _ in range(10):
        try:
            client.put_item(TableName=name, Item=big)
        except client.exceptions.ProvisionedThroughputExceededException:
            throttled += 1
    assert throttled >= 1
    insights = insights_of(endpoint, name)
    assert insights["LastMinute"]["MostThrottledPartitionKeys"] == [{"Key": "heavy", "Count": throttled}]
    # Only throttles are tracked in this mode.
    assert insights["LastMinute"]["MostAccessedPartitionKeys"] == []


def test_index_queries_count_the_index_partition_key(client, make_indexed_table, endpoint):
    name = make_indexed_table(
        ["pk", "g"], [{"AttributeName": "pk", "KeyType": "HASH"}],
        GlobalSecondaryIndexes=[{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}])
    client.put_item(TableName=name, Item={"pk": {"S": "a"}, "g": {"S": "group1"}})
    client.update_contributor_insights(TableName=name, IndexName="byG", ContributorInsightsAction="ENABLE")
    for _ in range(3):
        client.query(TableName=name, IndexName="byG", KeyConditionExpression="g = :g",
                     ExpressionAttributeValues={":g": {"S": "group1"}})
    insights = insights_of(endpoint, name, index="byG")
    assert insights["LastMinute"]["MostAccessedPartitionKeys"] == [{"Key": "group1", "Count": 3}]
    assert insights_of(endpoint, name) is None


def test_insights_settings_survive_a_restart(server_process, tmp_path):
    from conftest import make_client
    server = server_process("--data-dir", str(tmp_path), in_memory=False)
    client = make_client(server.endpoint)
    client.create_table(TableName="kept", BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    client.update_contributor_insights(TableName="kept", ContributorInsightsAction="ENABLE",
                                       ContributorInsightsMode="THROTTLED_KEYS")
    before = client.describe_contributor_insights(TableName="kept")
    server.stop()
    restarted = server_process("--data-dir", str(tmp_path), in_memory=False)
    after = make_client(restarted.endpoint).describe_contributor_insights(TableName="kept")
    for member in ["ContributorInsightsStatus", "ContributorInsightsMode", "ContributorInsightsRuleList",
                   "LastUpdateDateTime"]:
        assert after[member] == before[member]
