"""Export to and import from the local S3 stand-in: ExportTableToPointInTime, DescribeExport, ListExports,
ImportTable, DescribeImport, ListImports."""
import datetime
import gzip
import json
import math
import time

import pytest

from conftest import error_of, make_client
from recovery_helpers import scan_all, wait_until_active

ALL_TYPES = {
    "pk": {"S": "all-types"},
    "s": {"S": "text with \"quotes\", commas and ünïcödé"},
    "n": {"N": "-12345.678901234567890123456789"},
    "b": {"B": b"\x00\x01binary\xff"},
    "bool": {"BOOL": True},
    "null": {"NULL": True},
    "l": {"L": [{"S": "a"}, {"N": "1"}, {"L": [{"BOOL": False}]}]},
    "m": {"M": {"nested": {"M": {"deep": {"SS": ["x", "y"]}}}, "n": {"N": "1E+100"}}},
    "ss": {"SS": ["one", "two", "three"]},
    "ns": {"NS": ["1", "2.5", "-3"]},
    "bs": {"BS": [b"\x01", b"\x02\x03"]},
}


@pytest.fixture
def s3_server(server_process, tmp_path):
    root = tmp_path / "s3"
    config = tmp_path / "exports.yaml"
    config.write_text(f"recovery:\n  exports_dir: {root}\n")
    server = server_process("--config", str(config))
    return server, make_client(server.endpoint), root


def create(client, name, **extra):
    client.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                        BillingMode="PAY_PER_REQUEST", **extra)
    client.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    return client.describe_table(TableName=name)["Table"]["TableArn"]


def wait_for(describe, status_key, deadline_seconds=120):
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        description = describe()
        if description[status_key] != "IN_PROGRESS":
            return description
        time.sleep(0.05)
    raise AssertionError("the transfer did not finish")


def export(client, arn, **extra):
    started = client.export_table_to_point_in_time(TableArn=arn, S3Bucket="bucket", **extra)["ExportDescription"]
    assert started["ExportStatus"] == "IN_PROGRESS"
    return wait_for(lambda: client.describe_export(ExportArn=started["ExportArn"])["ExportDescription"], "ExportStatus")


def import_table(client, name, prefix, input_format="DYNAMODB_JSON", compression="GZIP", bucket="bucket", **extra):
    started = client.import_table(
        S3BucketSource={"S3Bucket": bucket, "S3KeyPrefix": prefix}, InputFormat=input_format,
        InputCompressionType=compression, **extra,
        TableCreationParameters={"TableName": name, "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                                 "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                                 "BillingMode": "PAY_PER_REQUEST"})["ImportTableDescription"]
    assert started["ImportStatus"] == "IN_PROGRESS"
    finished = wait_for(lambda: client.describe_import(ImportArn=started["ImportArn"])["ImportTableDescription"], "ImportStatus")
    wait_until_active(client, name)
    return finished


def whole_second_boundary():
    """Waits into the next whole second and returns it: SDKs send timestamps in whole seconds."""
    instant = math.floor(time.time()) + 1
    while time.time() <= instant + 0.05:
        time.sleep(0.01)
    return instant


def test_an_export_then_an_import_round_trips_all_ten_types_exactly(s3_server):
    _, client, root = s3_server
    arn = create(client, "source")
    client.put_item(TableName="source", Item=ALL_TYPES)
    for i in range(2500):
        client.put_item(TableName="source", Item={"pk": {"S": f"k{i}"}, "n": {"N": str(i)}, "s": {"S": "x" * (i % 50)}})
    finished = export(client, arn, S3Prefix="exports/run1")
    assert finished["ExportStatus"] == "COMPLETED" and finished["ItemCount"] == 2501
    assert finished["ExportFormat"] == "DYNAMODB_JSON" and finished["ExportType"] == "FULL_EXPORT"

    export_id = finished["ExportArn"].rsplit("/", 1)[1]
    folder = root / "bucket" / "exports" / "run1" / "AWSDynamoDB" / export_id
    assert (folder / "_started").exists()
    summary = json.loads((folder / "manifest-summary.json").read_text())
    assert summary["version"] == "2020-06-30" and summary["exportArn"] == finished["ExportArn"]
    assert summary["itemCount"] == 2501 and summary["outputFormat"] == "DYNAMODB_JSON"
    assert summary["exportType"] == "FULL_EXPORT" and summary["s3Bucket"] == "bucket" and summary["s3Prefix"] == "exports/run1"
    assert summary["manifestFilesS3Key"] == f"exports/run1/AWSDynamoDB/{export_id}/manifest-files.json"
    assert finished["ExportManifest"] == f"exports/run1/AWSDynamoDB/{export_id}/manifest-summary.json"
    files = [json.loads(line) for line in (folder / "manifest-files.json").read_text().splitlines()]
    assert sum(entry["itemCount"] for entry in files) == 2501
    lines = []
    for entry in files:
        assert entry["dataFileS3Key"].startswith(f"exports/run1/AWSDynamoDB/{export_id}/data/")
        assert entry["dataFileS3Key"].endswith(".json.gz")
        lines += gzip.decompress((root / "bucket" / entry["dataFileS3Key"]).read_bytes()).decode().splitlines()
    assert len(lines) == 2501 and all(set(json.loads(line)) == {"Item"} for line in lines)

    imported = import_table(client, "copy", f"exports/run1/AWSDynamoDB/{export_id}/data/")
    assert imported["ImportStatus"] == "COMPLETED"
    assert imported["ErrorCount"] == 0 and imported["ImportedItemCount"] == 2501
    assert scan_all(client, "copy") == scan_all(client, "source")
    original = client.get_item(TableName="source", Key={"pk": {"S": "all-types"}})["Item"]
    assert set(original) == set(ALL_TYPES)
    assert client.get_item(TableName="copy", Key={"pk": {"S": "all-types"}})["Item"] == original


def test_an_export_shows_the_table_at_the_export_time(s3_server):
    _, client, _ = s3_server
    arn = create(client, "timed")
    for i in range(20):
        client.put_item(TableName="timed", Item={"pk": {"S": f"k{i}"}})
    instant = whole_second_boundary()
    for i in range(20, 40):
        client.put_item(TableName="timed", Item={"pk": {"S": f"k{i}"}})
    finished = export(client, arn, S3Prefix="timed", ExportTime=datetime.datetime.fromtimestamp(instant, datetime.timezone.utc))
    assert finished["ItemCount"] == 20


def test_an_import_reports_corrupt_lines_and_imports_the_rest(s3_server):
    _, client, root = s3_server
    folder = root / "incoming" / "batch"
    folder.mkdir(parents=True)
    good = [json.dumps({"Item": {"pk": {"S": f"good{i}"}, "v": {"N": str(i)}}}) for i in range(100)]
    bad = [
        "{this is not json",
        json.dumps({"Item": {"other": {"S": "no key"}}}),
        json.dumps({"Item": {"pk": {"N": "1"}}}),
        json.dumps({"NotItem": {}}),
        json.dumps({"Item": {"pk": {"S": "bad-type"}, "v": {"XX": "1"}}}),
    ]
    lines = good[:50] + bad[:3] + good[50:] + bad[3:]
    (folder / "part-1.json").write_text("\n".join(lines) + "\n")
    (folder / "part-2.json").write_bytes(b"\xff\xfe not even utf-8 json\n" + json.dumps(
        {"Item": {"pk": {"S": "after-garbage"}}}).encode() + b"\n")
    finished = import_table(client, "imported", "batch/", compression="NONE", bucket="incoming")
    assert finished["ImportStatus"] == "COMPLETED"
    assert finished["ErrorCount"] == 6
    assert finished["ImportedItemCount"] == 101
    assert finished["ProcessedItemCount"] == 107
    items = scan_all(client, "imported")
    assert set(items) == {f"good{i}" for i in range(100)} | {"after-garbage"}
    log = (root / "_logs" / "aws-dynamodb" / "imports" / (finished["ImportArn"].rsplit("/", 1)[1] + ".log")).read_text()
    assert len(log.splitlines()) == 6
    assert "s3://incoming/batch/part-1.json line 51" in log
    assert "Missing the key pk" in log


def test_a_csv_import_types_keys_by_their_definitions(s3_server):
    _, client, root = s3_server
    folder = root / "csv" / "in"
    folder.mkdir(parents=True)
    (folder / "data.csv.gz").write_bytes(gzip.compress(b'pk,sk,note\na,1,"hello, world"\nb,2,\nc,x,bad number\n'))
    started = client.import_table(
        S3BucketSource={"S3Bucket": "csv", "S3KeyPrefix": "in/"}, InputFormat="CSV", InputCompressionType="GZIP",
        TableCreationParameters={"TableName": "from_csv",
                                 "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                                 "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                                          {"AttributeName": "sk", "AttributeType": "N"}],
                                 "BillingMode": "PAY_PER_REQUEST"})["ImportTableDescription"]
    finished = wait_for(lambda: client.describe_import(ImportArn=started["ImportArn"])["ImportTableDescription"], "ImportStatus")
    wait_until_active(client, "from_csv")
    assert finished["ImportedItemCount"] == 2 and finished["ErrorCount"] == 1
    item = client.get_item(TableName="from_csv", Key={"pk": {"S": "a"}, "sk": {"N": "1"}})["Item"]
    assert item["note"] == {"S": "hello, world"}
    assert "note" not in client.get_item(TableName="from_csv", Key={"pk": {"S": "b"}, "sk": {"N": "2"}})["Item"]


def test_an_ion_export_writes_ion_lines(s3_server):
    _, client, root = s3_server
    arn = create(client, "ion")
    client.put_item(TableName="ion", Item=ALL_TYPES)
    finished = export(client, arn, S3Prefix="ion", ExportFormat="ION")
    folder = root / "bucket" / "ion" / "AWSDynamoDB" / finished["ExportArn"].rsplit("/", 1)[1]
    entry = json.loads((folder / "manifest-files.json").read_text().splitlines()[0])
    assert entry["dataFileS3Key"].endswith(".ion.gz")
    line = gzip.decompress((root / "bucket" / entry["dataFileS3Key"]).read_bytes()).decode().strip()
    assert line.startswith("$ion_1_0 {Item:{")
    assert 'ss:$dynamodb_SS::["one","two","three"]' in line
    assert "n:-12345678901234567890123456789d-24" in line
    assert "bool:true" in line and '"null":null' in line  # a keyword as a field name is written as a string


def test_an_ion_export_imports_back_exactly(s3_server):
    _, client, _ = s3_server
    arn = create(client, "ion_source")
    client.put_item(TableName="ion_source", Item=ALL_TYPES)
    for i in range(100):
        client.put_item(TableName="ion_source", Item={"pk": {"S": f"k{i}"}, "n": {"N": f"{i}.{i}"}})
    finished = export(client, arn, S3Prefix="ion-round-trip", ExportFormat="ION")
    export_id = finished["ExportArn"].rsplit("/", 1)[1]
    imported = import_table(client, "ion_copy", f"ion-round-trip/AWSDynamoDB/{export_id}/data/", input_format="ION")
    assert imported["ErrorCount"] == 0 and imported["ImportedItemCount"] == 101
    assert scan_all(client, "ion_copy") == scan_all(client, "ion_source")


def test_an_incremental_export_holds_the_changes_between_two_instants(s3_server):
    _, client, root = s3_server
    arn = create(client, "changes")
    for key in ("kept", "changed", "deleted"):
        client.put_item(TableName="changes", Item={"pk": {"S": key}, "v": {"N": "1"}})
    start = whole_second_boundary()
    client.put_item(TableName="changes", Item={"pk": {"S": "changed"}, "v": {"N": "2"}})
    client.delete_item(TableName="changes", Key={"pk": {"S": "deleted"}})
    client.put_item(TableName="changes", Item={"pk": {"S": "added"}, "v": {"N": "3"}})
    end = whole_second_boundary()
    client.put_item(TableName="changes", Item={"pk": {"S": "too-late"}})
    when = lambda seconds: datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    finished = export(client, arn, S3Prefix="inc", ExportType="INCREMENTAL_EXPORT",
                      IncrementalExportSpecification={"ExportFromTime": when(start), "ExportToTime": when(end),
                                                      "ExportViewType": "NEW_AND_OLD_IMAGES"})
    assert finished["ExportType"] == "INCREMENTAL_EXPORT" and finished["ItemCount"] == 3
    folder = root / "bucket" / "inc" / "AWSDynamoDB" / finished["ExportArn"].rsplit("/", 1)[1]
    entry = json.loads((folder / "manifest-files.json").read_text().splitlines()[0])
    records = [json.loads(line) for line in gzip.decompress((root / "bucket" / entry["dataFileS3Key"]).read_bytes()).decode().splitlines()]
    by_key = {record["Keys"]["pk"]["S"]: record for record in records}
    assert set(by_key) == {"changed", "deleted", "added"}
    assert by_key["changed"]["NewImage"]["v"] == {"N": "2"} and by_key["changed"]["OldImage"]["v"] == {"N": "1"}
    assert "NewImage" not in by_key["deleted"] and by_key["deleted"]["OldImage"]["v"] == {"N": "1"}
    assert "OldImage" not in by_key["added"]
    assert all("WriteTimestampMicros" in record["Metadata"] for record in records)


def test_list_exports_and_imports_page_through_everything(s3_server):
    _, client, root = s3_server
    arn = create(client, "listed")
    arns = [export(client, arn, S3Prefix=f"list{n}")["ExportArn"] for n in range(3)]
    page = client.list_exports(TableArn=arn, MaxResults=2)
    assert [e["ExportArn"] for e in page["ExportSummaries"]] == arns[:2]
    rest = client.list_exports(TableArn=arn, MaxResults=2, NextToken=page["NextToken"])
    assert [e["ExportArn"] for e in rest["ExportSummaries"]] == arns[2:] and "NextToken" not in rest
    assert all(e["ExportStatus"] == "COMPLETED" for e in rest["ExportSummaries"])
    (root / "few").mkdir()
    (root / "few" / "one.json").write_text(json.dumps({"Item": {"pk": {"S": "a"}}}) + "\n")
    imports = [import_table(client, f"imported{n}", "", compression="NONE", bucket="few")["ImportArn"] for n in range(2)]
    page = client.list_imports(PageSize=1)
    assert [i["ImportArn"] for i in page["ImportSummaryList"]] == imports[:1]
    rest = client.list_imports(PageSize=1, NextToken=page["NextToken"])
    assert [i["ImportArn"] for i in rest["ImportSummaryList"]] == imports[1:]


def test_export_and_import_errors(s3_server):
    _, client, _ = s3_server
    client.create_table(TableName="no_pitr", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    arn = client.describe_table(TableName="no_pitr")["Table"]["TableArn"]
    assert error_of(client.export_table_to_point_in_time, TableArn=arn, S3Bucket="bucket")[0] == \
        "PointInTimeRecoveryUnavailableException"
    missing = arn.replace("no_pitr", "missing")
    assert error_of(client.export_table_to_point_in_time, TableArn=missing, S3Bucket="bucket")[0] == "TableNotFoundException"
    code, _ = error_of(client.describe_export, ExportArn=arn + "/export/01234567890123-abcdef01")
    assert code == "ExportNotFoundException"
    code, _ = error_of(client.describe_import, ImportArn=arn + "/import/01234567890123-abcdef01")
    assert code == "ImportNotFoundException"
    failed = import_table(client, "from_nowhere", "", compression="NONE", bucket="no-such-bucket")
    assert failed["ImportStatus"] == "FAILED" and failed["FailureCode"] == "S3NoSuchBucket"
    assert error_of(import_table, client, "no_pitr", "", bucket="bucket")[0] == "ResourceInUseException"
    escaping = import_table(client, "from_outside", "", compression="NONE", bucket="..")
    assert escaping["ImportStatus"] == "FAILED" and escaping["FailureCode"] == "S3NoSuchBucket"
    client.update_continuous_backups(TableName="no_pitr", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    outside = export(client, arn, S3Prefix="../../outside")
    assert outside["ExportStatus"] == "FAILED"


def test_the_shell_commands_export_and_import_a_stopped_servers_tables(server_process, tmp_path):
    import subprocess
    from conftest import server_binary
    data, out = str(tmp_path / "data"), str(tmp_path / "out")
    first = server_process("--data-dir", data, in_memory=False)
    client = make_client(first.endpoint)
    client.create_table(TableName="shell", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    client.put_item(TableName="shell", Item=ALL_TYPES)
    for i in range(300):
        client.put_item(TableName="shell", Item={"pk": {"S": f"k{i}"}, "n": {"N": str(i)}})
    expected = scan_all(client, "shell")
    first.stop()

    exported = subprocess.run([server_binary(), "export", "shell", out, "--data-dir", data], capture_output=True, text=True)
    assert exported.returncode == 0, exported.stderr
    assert "exported 301 items" in exported.stdout and "301/301 items" in exported.stderr
    (folder,) = (tmp_path / "out" / "AWSDynamoDB").iterdir()
    assert json.loads((folder / "manifest-summary.json").read_text())["itemCount"] == 301
    imported = subprocess.run([server_binary(), "import", str(folder / "data"), "copied", "--key", "pk:S",
                               "--data-dir", data, "--account-id", "123456789012"], capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    assert "imported 301 items into copied; 0 errors" in imported.stdout

    second = server_process("--data-dir", data, in_memory=False)
    client = make_client(second.endpoint)
    assert scan_all(client, "copied") == expected
    second.stop()
