"""TransactWriteItems and TransactGetItems: atomicity, serializability, cancellation reasons, idempotency, limits,
and a bank-transfer test that must keep its total exact through concurrency and a SIGKILL."""
import random
import signal
import threading

import pytest

from conftest import error_of, make_client


def put(table, pk, **attributes):
    return {"Put": {"TableName": table, "Item": {"pk": {"S": pk}, **attributes}}}


def test_a_transaction_applies_every_action(client, make_table):
    first, second = make_table(), make_table()
    client.put_item(TableName=second, Item={"pk": {"S": "gone"}})
    client.put_item(TableName=second, Item={"pk": {"S": "counter"}, "n": {"N": "1"}})
    client.put_item(TableName=second, Item={"pk": {"S": "guard"}, "n": {"N": "1"}})
    client.transact_write_items(TransactItems=[
        put(first, "a", v={"S": "x"}),
        {"Delete": {"TableName": second, "Key": {"pk": {"S": "gone"}}}},
        {"Update": {"TableName": second, "Key": {"pk": {"S": "counter"}}, "UpdateExpression": "SET n = n + :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}}}},
        {"ConditionCheck": {"TableName": second, "Key": {"pk": {"S": "guard"}}, "ConditionExpression": "attribute_exists(n)"}},
    ])
    assert client.get_item(TableName=first, Key={"pk": {"S": "a"}})["Item"]["v"] == {"S": "x"}
    assert "Item" not in client.get_item(TableName=second, Key={"pk": {"S": "gone"}})
    assert client.get_item(TableName=second, Key={"pk": {"S": "counter"}})["Item"]["n"] == {"N": "2"}


def test_a_failed_condition_cancels_everything_with_reasons_in_order(client, make_table):
    table = make_table()
    client.put_item(TableName=table, Item={"pk": {"S": "taken"}, "v": {"S": "old"}})
    try:
        client.transact_write_items(TransactItems=[
            put(table, "fresh"),
            {"Put": {"TableName": table, "Item": {"pk": {"S": "taken"}, "v": {"S": "new"}},
                     "ConditionExpression": "attribute_not_exists(pk)", "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
        ])
    except client.exceptions.TransactionCanceledException as error:
        assert error.response["Error"]["Message"] == (
            "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]")
        reasons = error.response["CancellationReasons"]
        assert [reason["Code"] for reason in reasons] == ["None", "ConditionalCheckFailed"]
        assert reasons[1]["Message"] == "The conditional request failed"
        assert reasons[1]["Item"] == {"pk": {"S": "taken"}, "v": {"S": "old"}}
    else:
        raise AssertionError("the transaction should have been cancelled")
    assert "Item" not in client.get_item(TableName=table, Key={"pk": {"S": "fresh"}})
    assert client.get_item(TableName=table, Key={"pk": {"S": "taken"}})["Item"]["v"] == {"S": "old"}


def test_mistyped_keys_cancel_with_validation_error_reasons(client, make_table):
    table = make_table()
    try:
        client.transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": {"pk": {"N": "5"}}}}])
    except client.exceptions.TransactionCanceledException as error:
        reasons = error.response["CancellationReasons"]
        assert reasons == [{"Code": "ValidationError",
                            "Message": "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"}]
    else:
        raise AssertionError("expected a cancellation")
    code, message = error_of(client.transact_write_items, TransactItems=[{"Put": {"TableName": table, "Item": {"pk": {"S": ""}}}}])
    assert code == "ValidationException"
    assert message.startswith("One or more parameter values are not valid. The AttributeValue for a key attribute cannot")


def test_two_actions_on_one_item_are_refused(client, make_table):
    table = make_table()
    assert error_of(client.transact_write_items, TransactItems=[put(table, "a"), put(table, "a")]) == (
        "ValidationException", "Transaction request cannot include multiple operations on one item")


def test_more_than_100_actions_are_refused(client, make_table):
    table = make_table()
    code, message = error_of(client.transact_write_items, TransactItems=[put(table, f"k{i}") for i in range(101)])
    assert code == "ValidationException"
    assert message == ("1 validation error detected: Value at 'TransactItems' failed to satisfy constraint: "
                       "Member must have length less than or equal to 100")


def test_a_missing_table_is_resource_not_found(client):
    assert error_of(client.transact_write_items, TransactItems=[put("no_such_table", "a")]) == (
        "ResourceNotFoundException", "Requested resource not found")


def test_client_request_tokens_make_transactions_idempotent(client, make_table):
    table = make_table()
    client.put_item(TableName=table, Item={"pk": {"S": "c"}, "n": {"N": "0"}})
    action = {"Update": {"TableName": table, "Key": {"pk": {"S": "c"}}, "UpdateExpression": "ADD n :one",
                         "ExpressionAttributeValues": {":one": {"N": "1"}}}}
    for _ in range(3):
        client.transact_write_items(TransactItems=[action], ClientRequestToken="token-1")
    assert client.get_item(TableName=table, Key={"pk": {"S": "c"}})["Item"]["n"] == {"N": "1"}
    code, _ = error_of(client.transact_write_items, TransactItems=[put(table, "other")], ClientRequestToken="token-1")
    assert code == "IdempotentParameterMismatchException"


def test_transact_get_items_reads_in_order_with_projection(client, make_table):
    table = make_table()
    client.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"N": "1"}, "w": {"N": "2"}})
    response = client.transact_get_items(TransactItems=[
        {"Get": {"TableName": table, "Key": {"pk": {"S": "missing"}}}},
        {"Get": {"TableName": table, "Key": {"pk": {"S": "a"}}, "ProjectionExpression": "w"}},
    ], ReturnConsumedCapacity="TOTAL")
    assert response["Responses"] == [{}, {"Item": {"w": {"N": "2"}}}]
    assert response["ConsumedCapacity"][0]["CapacityUnits"] == 4.0


def test_transactions_consume_double_capacity(client, make_table):
    table = make_table()
    response = client.transact_write_items(TransactItems=[put(table, "a", v={"S": "x" * 1500})], ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 4.0, "WriteCapacityUnits": 4.0}]


ACCOUNTS = 100
START_BALANCE = 1000


def open_accounts(client, table):
    for first in range(0, ACCOUNTS, 25):
        client.batch_write_item(RequestItems={table: [
            {"PutRequest": {"Item": {"pk": {"S": f"acct{i}"}, "balance": {"N": str(START_BALANCE)}}}}
            for i in range(first, min(first + 25, ACCOUNTS))]})


def transfer(client, table, rng):
    source, target = rng.sample(range(ACCOUNTS), 2)
    amount = rng.randint(1, 300)
    try:
        client.transact_write_items(TransactItems=[
            {"Update": {"TableName": table, "Key": {"pk": {"S": f"acct{source}"}}, "UpdateExpression": "SET balance = balance - :a",
                        "ConditionExpression": "balance >= :a", "ExpressionAttributeValues": {":a": {"N": str(amount)}}}},
            {"Update": {"TableName": table, "Key": {"pk": {"S": f"acct{target}"}}, "UpdateExpression": "SET balance = balance + :a",
                        "ExpressionAttributeValues": {":a": {"N": str(amount)}}}},
        ])
        return True
    except client.exceptions.TransactionCanceledException:
        return False


def total_by_scan(client, table):
    items = client.scan(TableName=table, ConsistentRead=True)["Items"]
    assert len(items) == ACCOUNTS
    assert all(int(item["balance"]["N"]) >= 0 for item in items)
    return sum(int(item["balance"]["N"]) for item in items)


def test_bank_transfers_keep_the_total_exact_under_concurrency(endpoint, client, make_table):
    table = make_table()
    open_accounts(client, table)
    problems = []
    stop = threading.Event()

    def mover(seed):
        api, rng = make_client(endpoint), random.Random(seed)
        for _ in range(40):
            transfer(api, table, rng)

    def auditor(seed):
        api, rng = make_client(endpoint), random.Random(seed)
        while not stop.is_set():
            a, b = rng.sample(range(ACCOUNTS), 2)
            pair = api.transact_get_items(TransactItems=[{"Get": {"TableName": table, "Key": {"pk": {"S": f"acct{a}"}}}},
                                                         {"Get": {"TableName": table, "Key": {"pk": {"S": f"acct{b}"}}}}])
            if any(int(r["Item"]["balance"]["N"]) < 0 for r in pair["Responses"]):
                problems.append("negative balance")
            total = total_by_scan(api, table)
            if total != ACCOUNTS * START_BALANCE:
                problems.append(f"scan total {total}")

    movers = [threading.Thread(target=mover, args=(i,)) for i in range(32)]
    auditors = [threading.Thread(target=auditor, args=(100 + i,)) for i in range(3)]
    for thread in movers + auditors:
        thread.start()
    for thread in movers:
        thread.join(timeout=300)
    stop.set()
    for thread in auditors:
        thread.join(timeout=60)
    assert problems == []
    assert total_by_scan(client, table) == ACCOUNTS * START_BALANCE


def test_bank_total_survives_sigkill_and_restart(server_process, tmp_path):
    data = str(tmp_path / "data")
    server = server_process("--data-dir", data, in_memory=False)
    client = make_client(server.endpoint)
    client.create_table(TableName="bank", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    open_accounts(client, "bank")

    def mover(seed):
        api, rng = make_client(server.endpoint), random.Random(seed)
        try:
            while True:
                transfer(api, "bank", rng)
        except Exception:  # noqa: BLE001 - the server is killed under us; that is the point
            return

    movers = [threading.Thread(target=mover, args=(i,)) for i in range(8)]
    for thread in movers:
        thread.start()
    threading.Event().wait(1.0)
    server.stop(signal.SIGKILL)
    for thread in movers:
        thread.join(timeout=60)
    again = server_process("--data-dir", data, in_memory=False)
    assert total_by_scan(make_client(again.endpoint), "bank") == ACCOUNTS * START_BALANCE
