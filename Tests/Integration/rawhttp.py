"""Raw HTTP helpers: signed DynamoDB requests over plain sockets, for wire-level tests."""
import json
import socket
from urllib.parse import urlparse

import botocore.auth
import botocore.awsrequest
import botocore.credentials

from conftest import ACCESS_KEY, REGION, SECRET_KEY


def host_port(endpoint):
    parsed = urlparse(endpoint)
    return parsed.hostname, parsed.port


def signed_headers(endpoint, target, body, access_key=ACCESS_KEY, secret_key=SECRET_KEY, region=REGION):
    request = botocore.awsrequest.AWSRequest(method="POST", url=endpoint + "/", data=body, headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": target,
    })
    botocore.auth.SigV4Auth(botocore.credentials.Credentials(access_key, secret_key), "dynamodb", region).add_auth(request)
    headers = dict(request.headers.items())
    headers["Host"] = urlparse(endpoint).netloc
    return headers


def build_request(endpoint, target="DynamoDB_20120810.ListTables", payload=None, extra_headers=None, sign=True,
                  method="POST"):
    body = json.dumps(payload if payload is not None else {}).encode()
    headers = signed_headers(endpoint, target, body) if sign else {
        "Host": urlparse(endpoint).netloc, "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": target}
    headers.update(extra_headers or {})
    lines = [f"{method} / HTTP/1.1"] + [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def connect(endpoint, timeout=10):
    sock = socket.create_connection(host_port(endpoint), timeout=timeout)
    return sock


class ResponseReader:
    """Reads HTTP/1.1 responses (Content-Length framed) from a socket, one after another."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed")
        self.buffer += chunk

    def read(self):
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(self.buffer) < length:
            self._fill()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return status, headers, body

    def closed(self):
        """True when the peer closed the connection (after any buffered bytes)."""
        try:
            self.sock.settimeout(5)
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True


def roundtrip(endpoint, raw):
    with connect(endpoint) as sock:
        sock.sendall(raw)
        return ResponseReader(sock).read()


def sign_by_hand(endpoint, target, body, when, access_key=ACCESS_KEY, secret_key=SECRET_KEY, region=REGION):
    """SigV4 computed here (hashlib/hmac), for dates botocore will not produce (expired, future)."""
    import hashlib
    import hmac

    host = urlparse(endpoint).netloc
    amz_date = when.strftime("%Y%m%dT%H%M%SZ")
    day = amz_date[:8]
    headers = {"content-type": "application/x-amz-json-1.0", "host": host, "x-amz-date": amz_date,
               "x-amz-target": target}
    signed = ";".join(sorted(headers))
    canonical = "\n".join(["POST", "/", "", "".join(f"{name}:{headers[name]}\n" for name in sorted(headers)), signed,
                           hashlib.sha256(body).hexdigest()])
    scope = f"{day}/{region}/dynamodb/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + secret_key).encode()
    for part in (day, region, "dynamodb", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    result = {"Host": host, "Content-Type": headers["content-type"], "X-Amz-Date": amz_date, "X-Amz-Target": target,
              "Authorization": f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, SignedHeaders={signed}, "
                               f"Signature={signature}"}
    return result


def raw_with_headers(headers, body):
    lines = ["POST / HTTP/1.1"] + [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body
