"""On-demand backups: CreateBackup, DescribeBackup, ListBackups, DeleteBackup, RestoreTableFromBackup."""
import threading

from conftest import error_of, make_client, unique_name
from recovery_helpers import delete_quietly, scan_all, wait_until_active


def put(client, table, key, value):
    client.put_item(TableName=table, Item={"pk": {"S": key}, "v": {"N": str(value)}})


def test_a_restore_equals_the_table_at_backup_time_despite_later_writes(client, make_table):
    source = make_table()
    for i in range(300):
        put(client, source, f"k{i}", i)
    expected = scan_all(client, source)
    backup = client.create_backup(TableName=source, BackupName="before-changes")["BackupDetails"]
    assert backup["BackupStatus"] == "AVAILABLE" and backup["BackupType"] == "USER"
    assert backup["BackupArn"].startswith(client.describe_table(TableName=source)["Table"]["TableArn"] + "/backup/")
    for i in range(0, 300, 3):
        client.delete_item(TableName=source, Key={"pk": {"S": f"k{i}"}})
    for i in range(300, 350):
        put(client, source, f"k{i}", i)

    target = unique_name()
    try:
        restored = client.restore_table_from_backup(TargetTableName=target, BackupArn=backup["BackupArn"])
        description = restored["TableDescription"]
        assert description["TableName"] == target
        assert description["RestoreSummary"]["SourceBackupArn"] == backup["BackupArn"]
        assert description["RestoreSummary"]["RestoreInProgress"] is True
        assert description["TableStatus"] == "CREATING"
        final = wait_until_active(client, target)
        assert final["RestoreSummary"]["RestoreInProgress"] is False
        assert final["ItemCount"] == 300
        assert scan_all(client, target) == expected
    finally:
        delete_quietly(client, target)


def test_a_backup_taken_under_concurrent_writes_is_a_consistent_snapshot(client, endpoint, make_table):
    # Writers keep two items equal (a transaction writes both); a consistent snapshot never sees them differ.
    source = make_table()
    client.transact_write_items(TransactItems=[
        {"Put": {"TableName": source, "Item": {"pk": {"S": key}, "v": {"N": "0"}}}} for key in ("a", "b")])
    for i in range(500):
        put(client, source, f"filler{i}", i)
    stop = threading.Event()

    def writer():
        writer_client = make_client(endpoint)
        value = 0
        while not stop.is_set():
            value += 1
            writer_client.transact_write_items(TransactItems=[
                {"Put": {"TableName": source, "Item": {"pk": {"S": key}, "v": {"N": str(value)}}}} for key in ("a", "b")])

    thread = threading.Thread(target=writer)
    thread.start()
    targets = []
    try:
        arns = [client.create_backup(TableName=source, BackupName=f"backup{n}")["BackupDetails"]["BackupArn"] for n in range(3)]
    finally:
        stop.set()
        thread.join()
    try:
        for arn in arns:
            target = unique_name()
            targets.append(target)
            client.restore_table_from_backup(TargetTableName=target, BackupArn=arn)
            wait_until_active(client, target)
            items = scan_all(client, target)
            assert items["a"]["v"] == items["b"]["v"]
            assert len(items) == 502
    finally:
        delete_quietly(client, *targets)


def test_describe_backup_reports_the_source_table_and_its_features(client):
    name = unique_name()
    client.create_table(
        TableName=name, BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 6},
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"},
                                 "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}],
        LocalSecondaryIndexes=[{"IndexName": "by_g_local", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                         {"AttributeName": "g", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    try:
        client.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"N": "1"}, "g": {"S": "x"}})
        arn = client.create_backup(TableName=name, BackupName="described")["BackupDetails"]["BackupArn"]
        description = client.describe_backup(BackupArn=arn)["BackupDescription"]
        details = description["BackupDetails"]
        assert details["BackupName"] == "described" and details["BackupStatus"] == "AVAILABLE"
        source_details = description["SourceTableDetails"]
        assert source_details["TableName"] == name and source_details["ItemCount"] == 1
        assert source_details["BillingMode"] == "PROVISIONED"
        assert source_details["ProvisionedThroughput"] == {"ReadCapacityUnits": 5, "WriteCapacityUnits": 6}
        assert [k["AttributeName"] for k in source_details["KeySchema"]] == ["pk", "sk"]
        features = description["SourceTableFeatureDetails"]
        assert [i["IndexName"] for i in features["GlobalSecondaryIndexes"]] == ["by_g"]
        assert [i["IndexName"] for i in features["LocalSecondaryIndexes"]] == ["by_g_local"]
        client.delete_backup(BackupArn=arn)
    finally:
        delete_quietly(client, name)


def test_list_backups_filters_by_table_and_time_and_pages(client, make_table):
    first, second = make_table(), make_table()
    arns = [client.create_backup(TableName=first, BackupName=f"first{n}")["BackupDetails"]["BackupArn"] for n in range(3)]
    other = client.create_backup(TableName=second, BackupName="second")["BackupDetails"]
    listed = client.list_backups(TableName=first)["BackupSummaries"]
    assert [b["BackupArn"] for b in listed] == arns
    assert all(b["TableName"] == first and b["BackupType"] == "USER" for b in listed)

    page = client.list_backups(TableName=first, Limit=2)
    assert [b["BackupArn"] for b in page["BackupSummaries"]] == arns[:2]
    assert page["LastEvaluatedBackupArn"] == arns[1]
    rest = client.list_backups(TableName=first, Limit=2, ExclusiveStartBackupArn=page["LastEvaluatedBackupArn"])
    assert [b["BackupArn"] for b in rest["BackupSummaries"]] == arns[2:]
    assert "LastEvaluatedBackupArn" not in rest

    created = other["BackupCreationDateTime"]
    in_range = client.list_backups(TimeRangeLowerBound=created, BackupType="ALL")["BackupSummaries"]
    assert other["BackupArn"] in [b["BackupArn"] for b in in_range]
    before = client.list_backups(TimeRangeUpperBound=created)["BackupSummaries"]
    assert other["BackupArn"] not in [b["BackupArn"] for b in before]
    assert client.list_backups(TableName=first, BackupType="SYSTEM")["BackupSummaries"] == []
    for arn in arns + [other["BackupArn"]]:
        client.delete_backup(BackupArn=arn)


def test_delete_backup_reports_deleted_and_forgets_it(client, make_table):
    source = make_table()
    arn = client.create_backup(TableName=source, BackupName="gone")["BackupDetails"]["BackupArn"]
    deleted = client.delete_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]
    assert deleted["BackupStatus"] == "DELETED"
    assert error_of(client.describe_backup, BackupArn=arn) == ("BackupNotFoundException", f"Backup not found: {arn}")
    assert error_of(client.delete_backup, BackupArn=arn) == ("BackupNotFoundException", f"Backup not found: {arn}")


def test_restore_overrides_billing_indexes_and_sse(client, make_table):
    name = unique_name()
    client.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}])
    target = unique_name()
    try:
        client.put_item(TableName=name, Item={"pk": {"S": "a"}, "g": {"S": "x"}})
        arn = client.create_backup(TableName=name, BackupName="overrides")["BackupDetails"]["BackupArn"]
        client.restore_table_from_backup(
            TargetTableName=target, BackupArn=arn, BillingModeOverride="PROVISIONED",
            ProvisionedThroughputOverride={"ReadCapacityUnits": 3, "WriteCapacityUnits": 4},
            GlobalSecondaryIndexOverride=[], SSESpecificationOverride={"Enabled": True, "SSEType": "KMS"})
        table = wait_until_active(client, target)
        assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 3
        assert table["ProvisionedThroughput"]["WriteCapacityUnits"] == 4
        assert "GlobalSecondaryIndexes" not in table
        assert table["SSEDescription"]["Status"] == "ENABLED"
        assert [d["AttributeName"] for d in table["AttributeDefinitions"]] == ["pk"]
        assert scan_all(client, target)["a"]["g"] == {"S": "x"}
    finally:
        delete_quietly(client, name, target)


def test_restored_table_keeps_the_source_indexes(client):
    name, target = unique_name(), unique_name()
    client.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}])
    try:
        for i in range(10):
            client.put_item(TableName=name, Item={"pk": {"S": f"k{i}"}, "g": {"S": "even" if i % 2 == 0 else "odd"}})
        arn = client.create_backup(TableName=name, BackupName="indexes")["BackupDetails"]["BackupArn"]
        client.restore_table_from_backup(TargetTableName=target, BackupArn=arn)
        table = wait_until_active(client, target)
        assert table["GlobalSecondaryIndexes"][0]["IndexArn"] == table["TableArn"] + "/index/by_g"
        found = client.query(TableName=target, IndexName="by_g", KeyConditionExpression="g = :g",
                             ExpressionAttributeValues={":g": {"S": "even"}})["Items"]
        assert sorted(item["pk"]["S"] for item in found) == ["k0", "k2", "k4", "k6", "k8"]
    finally:
        delete_quietly(client, name, target)


def test_backup_errors_use_dynamodb_types(client, make_table):
    missing = unique_name()
    assert error_of(client.create_backup, TableName=missing, BackupName="x1x") == (
        "TableNotFoundException", f"Table not found: {missing}")
    source = make_table()
    code, message = error_of(client.create_backup, TableName=source, BackupName="a b")
    assert code == "ValidationException" and "backupName" in message
    arn = client.create_backup(TableName=source, BackupName="exists")["BackupDetails"]["BackupArn"]
    assert error_of(client.restore_table_from_backup, TargetTableName=source, BackupArn=arn) == (
        "TableAlreadyExistsException", f"Table already exists: {source}")
    unknown = arn[:-8] + "00000000"
    assert error_of(client.restore_table_from_backup, TargetTableName=unique_name(), BackupArn=unknown) == (
        "BackupNotFoundException", f"Backup not found: {unknown}")
    client.delete_backup(BackupArn=arn)


def test_backups_survive_a_restart(server_process, tmp_path):
    data = str(tmp_path / "data")
    first = server_process("--data-dir", data, in_memory=False)
    client = make_client(first.endpoint)
    client.create_table(TableName="kept", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    for i in range(50):
        put(client, "kept", f"k{i}", i)
    expected = scan_all(client, "kept")
    arn = client.create_backup(TableName="kept", BackupName="durable")["BackupDetails"]["BackupArn"]
    first.stop()

    second = server_process("--data-dir", data, in_memory=False)
    client = make_client(second.endpoint)
    assert client.describe_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]["BackupName"] == "durable"
    client.restore_table_from_backup(TargetTableName="restored", BackupArn=arn)
    wait_until_active(client, "restored")
    assert scan_all(client, "restored") == expected
    second.stop()

    third = server_process("--data-dir", data, in_memory=False)
    client = make_client(third.endpoint)
    assert scan_all(client, "restored") == expected
    assert client.describe_table(TableName="restored")["Table"]["RestoreSummary"]["RestoreInProgress"] is False
