"""Point-in-time recovery: UpdateContinuousBackups, DescribeContinuousBackups, RestoreTableToPointInTime.

The restore proofs write a stream of puts, updates and deletes from several clients, each recording when it sent
every write and when the write was acknowledged, and choose an instant in the middle of the stream. The restored
table must hold exactly what the writes acknowledged before that instant left; a key whose write was in flight
at that instant may show the state before or after that one write.
"""
import datetime
import math
import random
import threading
import time

from conftest import error_of, make_client, unique_name
from recovery_helpers import delete_quietly, scan_all, wait_until_active

WRITERS = 4
KEYS_PER_WRITER = 250


def enable(client, table, **extra):
    spec = {"PointInTimeRecoveryEnabled": True, **extra}
    return client.update_continuous_backups(TableName=table, PointInTimeRecoverySpecification=spec)


def create_table(client, name):
    client.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")


class Stream:
    """Writes `total` changes from several clients and remembers every write's send and acknowledgement time."""

    def __init__(self, endpoint, table, total):
        self.endpoint, self.table, self.total = endpoint, table, total
        self.logs = [[] for _ in range(WRITERS)]  # per writer: (sent, acknowledged, key, value or None)
        self.done = 0
        self.lock = threading.Lock()

    def write(self, writer, count, seed):
        client = make_client(self.endpoint)
        rng = random.Random(seed)
        for _ in range(count):
            key = f"w{writer}k{rng.randrange(KEYS_PER_WRITER)}"
            action = rng.random()
            sent = time.time()
            if action < 0.6:
                value = rng.randrange(1_000_000)
                client.put_item(TableName=self.table, Item={"pk": {"S": key}, "v": {"N": str(value)}})
            elif action < 0.85:
                value = rng.randrange(1_000_000)
                client.update_item(TableName=self.table, Key={"pk": {"S": key}}, UpdateExpression="SET v = :v",
                                   ExpressionAttributeValues={":v": {"N": str(value)}})
            else:
                value = None
                client.delete_item(TableName=self.table, Key={"pk": {"S": key}})
            self.logs[writer].append((sent, time.time(), key, value))
            with self.lock:
                self.done += 1

    def run(self, seed, midway):
        """Runs the writers; calls `midway()` once about half of the writes are acknowledged."""
        per_writer = self.total // WRITERS
        threads = [threading.Thread(target=self.write, args=(w, per_writer, seed * 100 + w)) for w in range(WRITERS)]
        for thread in threads:
            thread.start()
        while self.done < self.total // 2:
            time.sleep(0.01)
        midway()
        for thread in threads:
            thread.join()

    def check(self, restored, instant):
        """Asserts `restored` ({key: value}) is what the writes acknowledged before `instant` left."""
        for log in self.logs:
            state, uncertain = {}, {}
            for sent, acknowledged, key, value in log:
                if acknowledged < instant:
                    state[key] = value
                elif sent <= instant:
                    uncertain[key] = (state.get(key), value)
            keys = {key for _, _, key, _ in log}
            for key in keys:
                got = restored.get(key)
                if key in uncertain:
                    assert got in uncertain[key], (key, got, uncertain[key])
                else:
                    assert got == state.get(key), (key, got, state.get(key))


def values(client, table):
    return {key: int(item["v"]["N"]) for key, item in scan_all(client, table).items()}


def midway_instant():
    """Waits into the next whole second and returns it: SDKs send RestoreDateTime in whole seconds."""
    instant = math.floor(time.time()) + 1
    while time.time() <= instant + 0.05:
        time.sleep(0.01)
    return instant


def restore_at(client, source, instant):
    target = unique_name()
    restored = client.restore_table_to_point_in_time(
        SourceTableName=source, TargetTableName=target,
        RestoreDateTime=datetime.datetime.fromtimestamp(instant, datetime.timezone.utc))["TableDescription"]
    assert restored["RestoreSummary"]["SourceTableArn"].endswith(f":table/{source}")
    assert restored["RestoreSummary"]["RestoreInProgress"] is True
    wait_until_active(client, target)
    return target


def test_describe_continuous_backups_reports_the_window_and_period(client, make_table):
    name = make_table()
    described = client.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    assert described == {"ContinuousBackupsStatus": "ENABLED",
                         "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}}
    enabled = enable(client, name)["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert enabled["PointInTimeRecoveryStatus"] == "ENABLED" and enabled["RecoveryPeriodInDays"] == 35
    assert enabled["EarliestRestorableDateTime"] <= enabled["LatestRestorableDateTime"]
    changed = enable(client, name, RecoveryPeriodInDays=7)["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert changed["RecoveryPeriodInDays"] == 7
    assert changed["EarliestRestorableDateTime"] == enabled["EarliestRestorableDateTime"]
    client.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
    described = client.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    assert described["PointInTimeRecoveryDescription"] == {"PointInTimeRecoveryStatus": "DISABLED"}


def test_restore_to_an_instant_mid_stream_equals_the_writes_acknowledged_before_it(client, endpoint, make_table):
    source = make_table()
    for i in range(100):
        client.put_item(TableName=source, Item={"pk": {"S": f"w0k{i}"}, "v": {"N": "-1"}})
    enable(client, source)
    stream = Stream(endpoint, source, 10_000)
    stream.logs[0].extend((0, 0, f"w0k{i}", -1) for i in range(100))
    chosen = []
    stream.run(seed=1, midway=lambda: chosen.append(midway_instant()))
    target = restore_at(client, source, chosen[0])
    try:
        stream.check(values(client, target), chosen[0])
        latest = unique_name()
        client.restore_table_to_point_in_time(SourceTableName=source, TargetTableName=latest, UseLatestRestorableTime=True)
        wait_until_active(client, latest)
        assert values(client, latest) == values(client, source)
        delete_quietly(client, latest)
    finally:
        delete_quietly(client, target)


def test_restore_to_an_instant_survives_a_crash_and_checkpoints(server_process, tmp_path):
    data = str(tmp_path / "data")
    config = tmp_path / "small-checkpoints.yaml"
    # Checkpoints every 256 KiB: the log the history also relies on is truncated several times meanwhile.
    config.write_text("storage:\n  checkpoint_after_bytes: 262144\n")
    first = server_process("--data-dir", data, "--config", str(config), in_memory=False)
    client = make_client(first.endpoint)
    create_table(client, "history")
    enable(client, "history")
    stream = Stream(first.endpoint, "history", 10_000)
    chosen = []
    stream.run(seed=2, midway=lambda: chosen.append(midway_instant()))
    window = client.describe_continuous_backups(TableName="history")["ContinuousBackupsDescription"]
    first.stop(__import__("signal").SIGKILL)

    second = server_process("--data-dir", data, "--config", str(config), in_memory=False)
    client = make_client(second.endpoint)
    after = client.describe_continuous_backups(TableName="history")["ContinuousBackupsDescription"]
    assert (after["PointInTimeRecoveryDescription"]["EarliestRestorableDateTime"]
            == window["PointInTimeRecoveryDescription"]["EarliestRestorableDateTime"])
    target = restore_at(client, "history", chosen[0])
    stream.check(values(client, target), chosen[0])
    # Writes after the restart extend the same history.
    client.put_item(TableName="history", Item={"pk": {"S": "after-restart"}, "v": {"N": "1"}})
    latest = unique_name()
    client.restore_table_to_point_in_time(SourceTableName="history", TargetTableName=latest, UseLatestRestorableTime=True)
    wait_until_active(client, latest)
    assert values(client, latest) == values(client, "history")
    second.stop()


def test_restore_errors_use_dynamodb_types(client, make_table):
    source = make_table()
    missing = unique_name()
    assert error_of(client.restore_table_to_point_in_time, SourceTableName=missing, TargetTableName=unique_name(),
                    UseLatestRestorableTime=True)[0] == "TableNotFoundException"
    code, _ = error_of(client.restore_table_to_point_in_time, SourceTableName=source, TargetTableName=unique_name(),
                       UseLatestRestorableTime=True)
    assert code == "PointInTimeRecoveryUnavailableException"
    enable(client, source)
    assert error_of(client.restore_table_to_point_in_time, SourceTableName=source, TargetTableName=source,
                    UseLatestRestorableTime=True) == ("TableAlreadyExistsException", f"Table already exists: {source}")
    code, _ = error_of(client.restore_table_to_point_in_time, SourceTableName=source, TargetTableName=unique_name(),
                       RestoreDateTime=datetime.datetime(2001, 1, 1, tzinfo=datetime.timezone.utc))
    assert code == "InvalidRestoreTimeException"
    assert error_of(client.update_continuous_backups, TableName=missing,
                    PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}) == (
        "TableNotFoundException", f"Table not found: {missing}")
    code, message = error_of(client.update_continuous_backups, TableName=source,
                             PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 36})
    assert code == "ValidationException" and "recoveryPeriodInDays" in message
