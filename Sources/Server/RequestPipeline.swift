import CZlib
import DynamoAPI
import DynamoModel
import HTTP
import JSON
import SigV4
import Storage

/// HTTP request in, HTTP response out: the checks in DynamoDB's order, then the operation.
///
/// Order (as DynamoDB answers): not `POST` or not a JSON content type → 404 `UnknownOperationException`;
/// malformed JSON → `SerializationException`; unknown `X-Amz-Target` → `UnknownOperationException`; then the
/// signature; then the operation's own type and constraint checks.
package final class RequestPipeline: Sendable {
    let service: DynamoService
    let verifier: SigV4Verifier
    let authEnabled: Bool
    let region: String
    /// Whether writes wait for a durable log before they are answered (a data directory with durability on).
    let writesAwaitDurability: Bool
    /// The request-size limit, applied again to a compressed body once decoded.
    let maximumBodyBytes: Int
    let requestIds = RequestIdGenerator()

    package init(service: DynamoService, verifier: SigV4Verifier, authEnabled: Bool, region: String,
                 writesAwaitDurability: Bool = false,
                 maximumBodyBytes: Int = HTTPServerConfiguration().maximumBodyBytes) {
        self.service = service
        self.verifier = verifier
        self.authEnabled = authEnabled
        self.region = region
        self.writesAwaitDurability = writesAwaitDurability
        self.maximumBodyBytes = maximumBodyBytes
    }

    /// Answers one request: a CORS preflight by itself; anything else by `answer`, then compressed when the client
    /// accepts it and the body is large, then checksummed, then given its CORS headers.
    package func respond(to request: HTTPRequest) -> HTTPResponse {
        let requestId = requestIds.next()
        if Self.cors.isPreflight(request) {
            return HTTPResponse(status: 200, headers: [("x-amzn-RequestId", requestId)]
                + Self.cors.preflightHeaders(for: request))
        }
        var response = answer(request, requestId: requestId)
        finish(&response, for: request)
        return response
    }

    /// The wire steps every answer takes last. The checksum is over the bytes sent, so after compression: botocore
    /// and the other SDKs check `x-amz-crc32` against the body as it arrives, before they decompress it.
    func finish(_ response: inout HTTPResponse, for request: HTTPRequest) {
        Self.compression.apply(to: &response, for: request)
        response.headers.append(("x-amz-crc32", String(Checksum.crc32(response.body))))
        Self.cors.addHeaders(for: request, to: &response)
    }

    /// DynamoDB's response headers that browser scripts may read, and how long a preflight holds (two days), as
    /// DynamoDB's own preflight answers say.
    static let cors = CORSPolicy(exposedHeaders: "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date",
                                 maximumAgeSeconds: 172_800)

    /// DynamoDB compresses answers over 4 KB for clients that accept gzip or deflate.
    static let compression = ResponseCompression(thresholdBytes: 4096)

    /// The answer before the wire steps of `finish`.
    func answer(_ request: HTTPRequest, requestId: String) -> HTTPResponse {
        if request.method == "GET" && request.path == "/" {
            // DynamoDB names the endpoint it serves ("healthy: dynamodb.us-east-1.amazonaws.com ", trailing space
            // included); a local server is known by whatever name the client reached it by.
            let host = request.header("Host") ?? service.settings.endpoint.address
            return Self.textResponse(status: 200, body: "healthy: \(host) ", requestId: requestId)
        }
        if request.method == "GET" && request.path == Self.usagePath {
            return usageResponse(query: String(request.query), requestId: requestId)
        }
        let contentType = request.header("Content-Type") ?? ""
        // The API is POST to "/" only; any other method or path, or another content type, is not an operation.
        guard request.method == "POST", request.path == "/",
              ASCII.mediaTypeMatches(contentType, "application/x-amz-json-1.0")
                || ASCII.mediaTypeMatches(contentType, "application/json") else {
            var response = Self.textResponse(status: 404, body: "<UnknownOperationException/>\n",
                                             requestId: requestId)
            response.headers[0] = ("Content-Type", "application/x-amz-json-1.0")
            return response
        }
        // A compressed body (SDKs with request compression send gzip) is decoded before anything reads it; the
        // signature, though, covers the bytes as sent. DynamoDB answers an unknown coding, a broken stream and a
        // decoded body over the request-size limit with 500 InternalServerError.
        let body: [UInt8]
        do throws(ContentCodingError) {
            body = try request.decodedBody(maximumBytes: maximumBodyBytes)
        } catch {
            return errorResponse(DynamoError.internalServerError(), requestId: requestId)
        }
        let input: JSONValue
        do throws(JSONError) {
            input = try JSONParser.parse(body)
        } catch {
            return errorResponse(DynamoError(.serialization, nil), requestId: requestId)
        }
        let target = request.header("X-Amz-Target") ?? ""
        let handler: OperationHandler
        let isWrite: Bool
        switch OperationTable.route(target: target) {
        case .unknown:
            return errorResponse(DynamoError(.unknownOperation, nil), requestId: requestId)
        case .notImplemented(let name):
            return errorResponse(DynamoError(.unknownOperation,
                "SwiftDynamo does not implement the operation \(name) yet."), requestId: requestId)
        case .implemented(_, let found, let writes):
            handler = found
            isWrite = writes
        }
        let signed = SignedRequest(method: request.method, path: String(request.path), query: String(request.query),
                                   headerBytes: request.headerFields.bytes, headerFields: request.headerFields.fields,
                                   body: request.body)
        let caller: CallerIdentity
        if authEnabled {
            do throws(SigV4Error) {
                caller = try verifier.verify(signed)
            } catch {
                return errorResponse(Self.dynamoError(for: error), requestId: requestId)
            }
        } else {
            caller = verifier.identifyWithoutVerifying(signed)
        }
        let namespace = Namespace(accountId: caller.accountId, region: caller.region)
        var response: HTTPResponse
        switch service.run(handler, input: input, namespace: namespace, now: Clock.nowSeconds()) {
        case .success(let output):
            response = Self.jsonResponse(status: 200, body: JSONWriter.serialize(output), requestId: requestId)
        case .failure(let error):
            response = errorResponse(error, requestId: requestId)
        }
        if isWrite, writesAwaitDurability, let sink = service.changeSink {
            var notDurable = errorResponse(DynamoService.notDurable, requestId: requestId)
            finish(&notDurable, for: request)
            response.deferral = durabilityDeferral(sink, notDurable: notDurable)
        }
        return response
    }

    /// A write's answer leaves only once the write is as durable as configured; the connection model chooses whether
    /// a thread waits for that (and leads the group commit) or the log calls back.
    func durabilityDeferral(_ sink: any ChangeSink, notDurable: HTTPResponse) -> HTTPDeferral {
        HTTPDeferral(
            wait: { sink.awaitDurability() ? nil : notDurable },
            notify: { done in sink.notifyWhenDurable { durable in done(durable ? nil : notDurable) } })
    }

    /// Where the usage and estimated-cost document is served. Like the health check it needs no signature: it is
    /// for the developer running the server (loopback by default), and it is keyed by account id, so `?account=ID`
    /// narrows it to one account.
    static let usagePath = "/_swiftdynamo/usage"

    func usageResponse(query: String, requestId: String) -> HTTPResponse {
        var accountId: String?
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == "account" { accountId = String(parts[1]) }
        }
        let report = service.usageReport(now: Clock.nowSeconds(), accountId: accountId)
        var response = Self.jsonResponse(status: 200, body: JSONWriter.serialize(report), requestId: requestId)
        response.headers[0] = ("Content-Type", "application/json")
        return response
    }

    /// Maps a signature failure to DynamoDB's error.
    static func dynamoError(for error: SigV4Error) -> DynamoError {
        switch error {
        case .missingAuthenticationToken(let message): return DynamoError(.missingAuthenticationToken, message)
        case .incompleteSignature(let message): return DynamoError(.incompleteSignature, message)
        case .invalidSignature(let message): return DynamoError(.invalidSignature, message)
        case .unrecognizedClient(let message): return DynamoError(.unrecognizedClient, message)
        }
    }

    func errorResponse(_ error: DynamoError, requestId: String) -> HTTPResponse {
        var members: [(key: String, value: JSONValue)] = [("__type", .string(error.kind.wireType))]
        if let message = error.message {
            members.append((error.kind.messageKey, .string(message)))
        }
        if let details = error.details { members.append(contentsOf: details.members) }
        return Self.jsonResponse(status: error.kind.httpStatus, body: JSONWriter.serialize(.object(JSONObject(members))),
                                 requestId: requestId)
    }

    static func jsonResponse(status: Int, body: [UInt8], requestId: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [
            ("Content-Type", "application/x-amz-json-1.0"),
            ("x-amzn-RequestId", requestId),
        ], body: body)
    }

    static func textResponse(status: Int, body: String, requestId: String) -> HTTPResponse {
        let bytes = Array(body.utf8)
        return HTTPResponse(status: status, headers: [
            ("Content-Type", "text/plain"),
            ("x-amzn-RequestId", requestId),
        ], body: bytes)
    }
}
