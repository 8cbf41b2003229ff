/// One parsed HTTP/1.1 request with its complete body (chunked bodies already de-chunked).
package struct HTTPRequest: Sendable {
    package var method: String
    /// The request target as sent: path plus optional `?query`.
    package var target: String
    /// Header fields in arrival order, names as sent.
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]

    package init(method: String, target: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// The first header with this name, compared case-insensitively (ASCII).
    package func header(_ name: String) -> String? {
        for field in headers where field.name.utf8.count == name.utf8.count
            && field.name.lowercased() == name.lowercased() {
            return field.value
        }
        return nil
    }

    /// The path part of `target` (before `?`).
    package var path: Substring {
        if let q = target.firstIndex(of: "?") { return target[..<q] }
        return target[...]
    }

    /// The query part of `target` (after `?`), empty when absent.
    package var query: Substring {
        if let q = target.firstIndex(of: "?") { return target[target.index(after: q)...] }
        return ""
    }
}

/// An HTTP response the server writes; `Content-Length` is added by the writer.
package struct HTTPResponse: Sendable {
    package var status: Int
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]

    package init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
