import ArgumentParser
import JSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `swiftdynamo usage`: fetches `GET /_swiftdynamo/usage` from a running server and prints it as a table.
struct UsageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Print consumed capacity, throttling, storage and the estimated DynamoDB bill of a running server.")

    @Option(help: "The server's endpoint.")
    var endpoint: String = "http://127.0.0.1:8000"

    @Option(help: "Only this account id.")
    var account: String?

    @Flag(help: "Print the raw JSON document instead of a table.")
    var json = false

    @Flag(help: "Also print the most-accessed and most-throttled keys of tables and indexes with contributor insights.")
    var hot = false

    func run() throws {
        var path = "/_swiftdynamo/usage"
        if let account { path += "?account=\(account)" }
        let body: [UInt8]
        do {
            body = try UsageClient.get(endpoint: endpoint, path: path)
        } catch let error as UsageClient.Failure {
            Self.fail(error.message)
        }
        if json {
            print(String(decoding: body, as: UTF8.self))
            return
        }
        guard let document = try? JSONParser.parse(body) else {
            Self.fail("the server's answer is not JSON")
        }
        print(UsageTable.render(document), terminator: "")
        if hot { print(HotKeysTable.render(document), terminator: "") }
    }

    /// Reports a problem on standard error and exits with status 1 (not a usage error: no usage text).
    static func fail(_ message: String) -> Never {
        let line = Array("swiftdynamo usage: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        #if canImport(Glibc)
        Glibc.exit(1)
        #else
        Darwin.exit(1)
        #endif
    }
}
