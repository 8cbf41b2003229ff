import ArgumentParser
import JSON

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

    func run() throws {
        var path = "/_swiftdynamo/usage"
        if let account { path += "?account=\(account)" }
        let body: [UInt8]
        do {
            body = try UsageClient.get(endpoint: endpoint, path: path)
        } catch let error as UsageClient.Failure {
            throw ValidationError(error.message)
        }
        if json {
            print(String(decoding: body, as: UTF8.self))
            return
        }
        guard let document = try? JSONParser.parse(body) else {
            throw ValidationError("the server's answer is not JSON")
        }
        print(UsageTable.render(document), terminator: "")
    }
}
