#!/usr/bin/env bash
# curl smoke tests against a running server: SigV4 signed by curl itself (--aws-sigv4), unsigned and badly signed
# requests rejected with DynamoDB's errors, the health check. Needs SWIFTDYNAMO_ENDPOINT (scripts/test sets it).
# Prints "ok - name" / "not ok - name" per check and "smoke: N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
endpoint="${SWIFTDYNAMO_ENDPOINT:-http://127.0.0.1:8000}"
access_key="AKIAIOSFODNN7EXAMPLE"
secret_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
passed=0
failed=0

check() { # name, expected substring, actual output
    if [[ "$3" == *"$2"* ]]; then passed=$((passed + 1)); echo "ok - $1"
    else failed=$((failed + 1)); echo "not ok - $1"; echo "    expected to contain: $2"; echo "    got: $3"; fi
}

dynamo() { # target, body, extra curl arguments...
    local target="$1" body="$2"; shift 2
    curl -sS --max-time 10 -w ' HTTP=%{http_code}' "$endpoint/" \
        -H "Content-Type: application/x-amz-json-1.0" -H "X-Amz-Target: DynamoDB_20120810.$target" -d "$body" "$@"
}

if ! curl --help all 2>/dev/null | grep -q -- "--aws-sigv4"; then
    echo "curl $(curl --version | head -n 1 | cut -d' ' -f2) lacks --aws-sigv4 (needs 7.75 or later)"
    echo "smoke: 0 passed, 1 failed"
    exit 1
fi

signed=(--aws-sigv4 "aws:amz:us-east-1:dynamodb" --user "$access_key:$secret_key")
table="smoke_$$_$RANDOM"

# The health text names the host the client reached, as DynamoDB names its own endpoint.
check "health check" "healthy: ${endpoint#http://}" "$(curl -sS --max-time 10 "$endpoint/")"
check "signed ListTables succeeds" '"TableNames":' "$(dynamo ListTables '{}' "${signed[@]}")"
check "signed ListTables is HTTP 200" "HTTP=200" "$(dynamo ListTables '{}' "${signed[@]}")"
check "unsigned request is refused" "MissingAuthenticationTokenException" "$(dynamo ListTables '{}')"
check "wrong secret is refused" "InvalidSignatureException" \
    "$(dynamo ListTables '{}' --aws-sigv4 "aws:amz:us-east-1:dynamodb" --user "$access_key:wrong-secret")"
check "unknown key is refused" "UnrecognizedClientException" \
    "$(dynamo ListTables '{}' --aws-sigv4 "aws:amz:us-east-1:dynamodb" --user "AKIDNOTKNOWN:whatever")"
check "create table" '"TableStatus":"ACTIVE"' "$(dynamo CreateTable "{\"TableName\":\"$table\",\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}" "${signed[@]}")"
check "put item" "HTTP=200" "$(dynamo PutItem "{\"TableName\":\"$table\",\"Item\":{\"pk\":{\"S\":\"a\"},\"n\":{\"N\":\"1.50\"}}}" "${signed[@]}")"
check "get item returns canonical numbers" '"n":{"N":"1.5"}' "$(dynamo GetItem "{\"TableName\":\"$table\",\"Key\":{\"pk\":{\"S\":\"a\"}}}" "${signed[@]}")"
check "delete table" '"TableStatus":"DELETING"' "$(dynamo DeleteTable "{\"TableName\":\"$table\"}" "${signed[@]}")"
check "malformed JSON is a SerializationException" "SerializationException" "$(dynamo ListTables '{oops' "${signed[@]}")"

echo "smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
