"""Triggers: a table's stream delivered as Lambda's DynamoDB event JSON to a local command or an HTTP URL, at least
once and in order, with retries, an on-failure file and a durable position."""
import http.server
import json
import os
import signal
import subprocess
import threading
import time

from conftest import make_client, server_binary, unique_name

KEY = {"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
       "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
       "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}}


def yaml_string(text):
    return json.dumps(text)  # a JSON string is a YAML string


def write_config(tmp_path, triggers):
    lines = ["triggers:"]
    for trigger in triggers:
        first = True
        for key, value in trigger.items():
            rendered = yaml_string(value) if isinstance(value, str) else value
            lines.append(f"  {'- ' if first else '  '}{key}: {rendered}")
            first = False
    config = tmp_path / f"triggers-{unique_name()}.yaml"
    config.write_text("\n".join(lines) + "\n")
    return str(config)


def appending_command(path):
    """A command that appends each event to `path`, one JSON document per line."""
    return f"cat >> {path}; echo >> {path}"


def delivered(path):
    if not os.path.exists(path):
        return []
    with open(path) as handle:
        return [record for line in handle if line.strip() for record in json.loads(line)["Records"]]


def wait_until(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def start(server_process, tmp_path, triggers, data=None):
    config = write_config(tmp_path, triggers)
    arguments = ["--config", config] + (["--data-dir", data] if data else [])
    server = server_process(*arguments, in_memory=data is None)
    return server, make_client(server.endpoint)


def test_a_command_receives_every_write_once_in_order(server_process, tmp_path):
    out = str(tmp_path / "events.jsonl")
    table = unique_name()
    _, client = start(server_process, tmp_path, [{"name": "audit", "table": table, "command": appending_command(out),
                                                  "batch_size": 3, "starting_position": "TRIM_HORIZON"}])
    client.create_table(TableName=table, **KEY)
    for index in range(10):
        client.put_item(TableName=table, Item={"pk": {"S": f"k{index}"}, "n": {"N": str(index)}})
    client.delete_item(TableName=table, Key={"pk": {"S": "k0"}})
    assert wait_until(lambda: len(delivered(out)) >= 11)
    time.sleep(0.3)  # nothing more may arrive
    records = delivered(out)
    assert [record["eventName"] for record in records] == ["INSERT"] * 10 + ["REMOVE"]
    assert [record["dynamodb"]["Keys"]["pk"]["S"] for record in records] == [f"k{i}" for i in range(10)] + ["k0"]
    first = records[0]
    assert first["eventSource"] == "aws:dynamodb" and first["eventVersion"] == "1.1"
    assert first["eventSourceARN"] == client.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    assert first["dynamodb"]["NewImage"] == {"pk": {"S": "k0"}, "n": {"N": "0"}}
    with open(out) as handle:
        assert all(len(json.loads(line)["Records"]) <= 3 for line in handle if line.strip())


def test_a_failing_batch_is_retried_until_it_succeeds(server_process, tmp_path):
    out = str(tmp_path / "events.jsonl")
    counter = str(tmp_path / "attempts")
    command = (f"n=$(cat {counter} 2>/dev/null || echo 0); echo $((n + 1)) > {counter}; "
               f"[ $n -ge 2 ] || exit 1; {appending_command(out)}")
    table = unique_name()
    _, client = start(server_process, tmp_path, [{"name": "flaky", "table": table, "command": command,
                                                  "starting_position": "TRIM_HORIZON", "max_retries": 5,
                                                  "retry_backoff": 0.05}])
    client.create_table(TableName=table, **KEY)
    client.put_item(TableName=table, Item={"pk": {"S": "only"}})
    assert wait_until(lambda: len(delivered(out)) == 1)
    with open(counter) as handle:
        assert handle.read().strip() == "3"
    assert [record["dynamodb"]["Keys"]["pk"]["S"] for record in delivered(out)] == ["only"]


def test_a_batch_that_always_fails_lands_in_the_on_failure_file_and_delivery_moves_on(server_process, tmp_path):
    out = str(tmp_path / "events.jsonl")
    failures = str(tmp_path / "failures.jsonl")
    # Fails for the item "poison", succeeds for everything else.
    command = f"input=$(cat); case \"$input\" in *poison*) exit 3;; esac; printf '%s\\n' \"$input\" >> {out}"
    table = unique_name()
    _, client = start(server_process, tmp_path, [{"name": "strict", "table": table, "command": command,
                                                  "batch_size": 1, "starting_position": "TRIM_HORIZON",
                                                  "max_retries": 2, "retry_backoff": 0.05,
                                                  "on_failure_file": failures}])
    client.create_table(TableName=table, **KEY)
    for key in ("before", "poison", "after"):
        client.put_item(TableName=table, Item={"pk": {"S": key}})
    assert wait_until(lambda: len(delivered(out)) == 2)
    assert [record["dynamodb"]["Keys"]["pk"]["S"] for record in delivered(out)] == ["before", "after"]
    with open(failures) as handle:
        lines = [json.loads(line) for line in handle if line.strip()]
    assert len(lines) == 1
    info = lines[0]["DDBStreamBatchInfo"]
    assert info["batchSize"] == 1 and info["startSequenceNumber"] == info["endSequenceNumber"]
    assert info["streamArn"] == client.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    assert lines[0]["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert lines[0]["requestContext"]["approximateInvokeCount"] == 3
    assert [record["dynamodb"]["Keys"]["pk"]["S"] for record in lines[0]["Records"]] == ["poison"]


def test_a_restart_replays_nothing_already_delivered(server_process, tmp_path):
    out = str(tmp_path / "events.jsonl")
    data = str(tmp_path / "data")
    table = unique_name()
    trigger = [{"name": "durable", "table": table, "command": appending_command(out), "starting_position": "TRIM_HORIZON"}]
    first, client = start(server_process, tmp_path, trigger, data=data)
    client.create_table(TableName=table, **KEY)
    for index in range(5):
        client.put_item(TableName=table, Item={"pk": {"S": f"a{index}"}})
    assert wait_until(lambda: len(delivered(out)) == 5)
    first.stop(signal.SIGTERM)

    _, client = start(server_process, tmp_path, trigger, data=data)
    for index in range(3):
        client.put_item(TableName=table, Item={"pk": {"S": f"b{index}"}})
    assert wait_until(lambda: len(delivered(out)) >= 8)
    time.sleep(0.3)
    assert [record["dynamodb"]["Keys"]["pk"]["S"] for record in delivered(out)] == (
        [f"a{i}" for i in range(5)] + [f"b{i}" for i in range(3)])


def test_an_http_url_receives_posted_batches(server_process, tmp_path):
    received = []
    attempts = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            attempts.append(self.path)
            # The first POST fails: the batch must come again.
            status = 500 if len(attempts) == 1 else 200
            if status == 200:
                received.extend(json.loads(body)["Records"])
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    listener = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=listener.serve_forever, daemon=True)
    thread.start()
    try:
        table = unique_name()
        url = f"http://127.0.0.1:{listener.server_address[1]}/hook"
        _, client = start(server_process, tmp_path, [{"name": "web", "table": table, "url": url,
                                                      "starting_position": "TRIM_HORIZON", "retry_backoff": 0.05}])
        client.create_table(TableName=table, **KEY)
        client.put_item(TableName=table, Item={"pk": {"S": "x"}})
        client.update_item(TableName=table, Key={"pk": {"S": "x"}}, UpdateExpression="SET v = :v",
                           ExpressionAttributeValues={":v": {"N": "1"}})
        assert wait_until(lambda: len(received) >= 2)
        assert [record["eventName"] for record in received] == ["INSERT", "MODIFY"]
        assert attempts[0] == "/hook" and len(attempts) >= 2
    finally:
        listener.shutdown()


def test_swiftdynamo_triggers_lists_the_configured_triggers(tmp_path):
    config = write_config(tmp_path, [{"name": "audit", "table": "Music", "command": "cat", "batch_size": 10}])
    output = subprocess.run([server_binary(), "triggers", "--config", config], capture_output=True, text=True,
                            timeout=30)
    assert output.returncode == 0
    assert output.stdout.startswith("audit\ttable Music\tcommand: cat\tbatch_size 10")
