"""Durability through the real server: data survives restarts and SIGKILL, the directory lock, encryption at rest."""
import os
import signal

import pytest

from conftest import ServerDidNotStart, make_client

KEY_SCHEMA = [{"AttributeName": "pk", "KeyType": "HASH"}]
DEFINITIONS = [{"AttributeName": "pk", "AttributeType": "S"}]


def create(client, name="durable"):
    client.create_table(TableName=name, KeySchema=KEY_SCHEMA, AttributeDefinitions=DEFINITIONS,
                        BillingMode="PAY_PER_REQUEST")


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGKILL])
def test_tables_and_items_survive_a_restart(server_process, tmp_path, stop_signal):
    data = str(tmp_path / "data")
    first = server_process("--data-dir", data, in_memory=False)
    client = make_client(first.endpoint)
    create(client)
    for i in range(200):
        client.put_item(TableName="durable", Item={"pk": {"S": f"k{i}"}, "n": {"N": str(i)}})
    client.update_item(TableName="durable", Key={"pk": {"S": "k1"}}, UpdateExpression="SET n = :v",
                       ExpressionAttributeValues={":v": {"N": "100"}})
    client.delete_item(TableName="durable", Key={"pk": {"S": "k2"}})
    client.update_table(TableName="durable", DeletionProtectionEnabled=True)
    first.stop(stop_signal)

    second = server_process("--data-dir", data, in_memory=False)
    client = make_client(second.endpoint)
    table = client.describe_table(TableName="durable")["Table"]
    assert table["ItemCount"] == 199
    assert table["DeletionProtectionEnabled"] is True
    assert client.get_item(TableName="durable", Key={"pk": {"S": "k1"}})["Item"]["n"] == {"N": "100"}
    assert "Item" not in client.get_item(TableName="durable", Key={"pk": {"S": "k2"}})
    with open(second.log_path) as log:
        assert "recovered 1 tables and 199 items" in log.read()


def test_a_deleted_table_stays_deleted_after_a_restart(server_process, tmp_path):
    data = str(tmp_path / "data")
    first = server_process("--data-dir", data, in_memory=False)
    client = make_client(first.endpoint)
    create(client, "gone")
    client.delete_table(TableName="gone")
    first.stop(signal.SIGKILL)
    second = server_process("--data-dir", data, in_memory=False)
    assert "gone" not in make_client(second.endpoint).list_tables()["TableNames"]


def test_a_second_server_on_the_same_directory_is_refused(server_process, tmp_path):
    data = str(tmp_path / "data")
    server_process("--data-dir", data, in_memory=False)
    with pytest.raises(ServerDidNotStart) as refused:
        server_process("--data-dir", data, in_memory=False)
    assert "another swiftdynamo process is using the data directory" in str(refused.value)


def test_encryption_at_rest_hides_data_and_needs_the_key(server_process, tmp_path):
    data = str(tmp_path / "data")
    key = "11" * 32
    first = server_process("--data-dir", data, in_memory=False, environment={"SWIFTDYNAMO_ENCRYPTION_KEY": key})
    client = make_client(first.endpoint)
    create(client)
    client.put_item(TableName="durable", Item={"pk": {"S": "plaintext-marker-9137"}})
    assert client.describe_table(TableName="durable")["Table"]["SSEDescription"] == {"Status": "ENABLED", "SSEType": "AES256"}
    first.stop(signal.SIGKILL)
    for root, _, files in os.walk(data):
        for name in files:
            with open(os.path.join(root, name), "rb") as handle:
                assert b"plaintext-marker-9137" not in handle.read()
    with pytest.raises(ServerDidNotStart) as wrong:
        server_process("--data-dir", data, in_memory=False, environment={"SWIFTDYNAMO_ENCRYPTION_KEY": "22" * 32})
    assert "different key" in str(wrong.value)
    again = server_process("--data-dir", data, in_memory=False, environment={"SWIFTDYNAMO_ENCRYPTION_KEY": key})
    assert "Item" in make_client(again.endpoint).get_item(TableName="durable", Key={"pk": {"S": "plaintext-marker-9137"}})


@pytest.mark.parametrize("policy", ["fsync", "batch", "none"])
def test_every_durability_policy_serves_writes(server_process, tmp_path, policy):
    server = server_process("--data-dir", str(tmp_path / "data"), "--durability", policy, in_memory=False)
    client = make_client(server.endpoint)
    create(client)
    client.put_item(TableName="durable", Item={"pk": {"S": "a"}})
    assert client.get_item(TableName="durable", Key={"pk": {"S": "a"}})["Item"] == {"pk": {"S": "a"}}
