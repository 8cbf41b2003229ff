"""Helpers shared by the backup, point-in-time recovery and export/import tests."""
import time


def scan_all(client, table):
    """Every item of a table, keyed by its `pk` string value."""
    items, start = {}, None
    while True:
        page = client.scan(TableName=table, **({"ExclusiveStartKey": start} if start else {}))
        for item in page["Items"]:
            items[item["pk"]["S"]] = item
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def wait_until_active(client, table, deadline_seconds=120):
    """Polls DescribeTable until the table is ACTIVE (restores finish in the background)."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        description = client.describe_table(TableName=table)["Table"]
        if description["TableStatus"] == "ACTIVE":
            return description
        time.sleep(0.05)
    raise AssertionError(f"{table} did not become ACTIVE")


def delete_quietly(client, *tables):
    for table in tables:
        try:
            client.delete_table(TableName=table)
        except Exception:
            pass
