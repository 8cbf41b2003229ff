import ArgumentParser
import Dispatch
import Foundation
import JSON
import SigV4
import Synchronization

/// `swiftdynamo-bench`: a YCSB-style load generator for any DynamoDB endpoint (SwiftDynamo, other emulators, AWS).
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftdynamo-bench",
        abstract: "Drive a DynamoDB endpoint with YCSB-style workloads and report throughput and latency percentiles.")

    @Option(help: "Endpoint URL.") var endpoint = "http://127.0.0.1:8000"
    @Option(help: "A second endpoint: run the same workload against both in alternating rounds and print the ratios.")
    var compare: String?
    @Option(help: "With --compare: the second endpoint's table (default: --table). Same endpoint, two tables compares table sizes.")
    var compareTable: String?
    @Option(help: "With --compare: records in the second endpoint's table (default: --records).") var compareRecords: Int?
    @Option(help: "Alternating rounds with --compare (each round runs --duration seconds per endpoint).") var rounds = 3
    @Option(help: "Workload: a, b, c, d, e, f, put, query.") var workload = "c"
    @Option(help: "Concurrent connections (one thread each).") var connections = 1
    @Option(help: "Seconds to run the workload.") var duration = 5.0
    @Option(help: "Stop after this many operations in all (instead of after --duration).") var operations: Int?
    @Option(help: "Records in the table (keys 0..<records).") var records = 10_000
    @Option(help: "Approximate item size in bytes.") var itemBytes = 200
    @Option(help: "Key choice: uniform or zipfian.") var distribution = "zipfian"
    @Option(help: "Table name.") var table = "usertable"
    @Flag(help: "Create the table and load the records with BatchWriteItem first (on every endpoint).") var load = false
    @Option(help: "Access key id.") var accessKey = "AKIAIOSFODNN7EXAMPLE"
    @Option(help: "Secret access key.") var secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    @Option(help: "Region.") var region = "us-east-1"
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func run() throws {
        guard let chosen = Workload(rawValue: workload) else { throw ValidationError("unknown --workload \(workload)") }
        var endpoints = [try BenchEndpoint(endpoint)]
        if let compare { endpoints.append(try BenchEndpoint(compare)) }
        let signer = SigV4Signer(accessKeyId: accessKey, secretAccessKey: secretKey, region: region)
        let payload = String(repeating: "x", count: max(1, itemBytes - 40))
        let tables = [table, compareTable ?? table]
        let counts = [records, compareRecords ?? records]
        if load {
            for (position, target) in endpoints.enumerated() {
                let loaded = try Loader.load(target: target, signer: signer, table: tables[position],
                                             records: counts[position], payload: payload, connections: max(connections, 4))
                if !json {
                    print(String(format: "load %@ %@: %d records in %.2f s (%.0f items/s)", target.url as NSString,
                                 tables[position] as NSString, counts[position], loaded, Double(counts[position]) / loaded))
                }
            }
        }
        let plans = endpoints.indices.map { position in
            let count = counts[position]
            let chooser: KeyChooser = distribution == "uniform" ? .uniform(count: count) : .zipfian(Zipfian(items: count))
            return Runner.Plan(workload: chosen, signer: signer, table: tables[position], records: count, payload: payload,
                               connections: connections, duration: duration, operations: operations, chooser: chooser)
        }
        // Alternating rounds spread the machine's background noise over both endpoints alike.
        var results = endpoints.map { _ in Runner.Result() }
        for _ in 0..<(endpoints.count > 1 ? max(rounds, 1) : 1) {
            for (position, target) in endpoints.enumerated() {
                results[position].merge(Runner.run(plans[position], against: target))
            }
        }
        report(results, endpoints: endpoints)
        let failed = results.filter { $0.statistics.errors > 0 }
        for (position, result) in results.enumerated() where result.statistics.errors > 0 {
            FileHandle.standardError.write(Data(("ERRORS at \(endpoints[position].url): \(result.statistics.errors) requests failed or "
                + "returned unexpected content; the numbers above do not count them (\(result.firstError ?? ""))\n").utf8))
        }
        if !failed.isEmpty { throw ExitCode(2) }
    }

    private func report(_ results: [Runner.Result], endpoints: [BenchEndpoint]) {
        let rows = results.map { ($0, $0.statistics.summary(), $0.throughput) }
        let labels = endpoints.enumerated().map { position, target in
            position == 1 && compareTable != nil && compareTable != table ? "\(target.url) \(compareTable ?? "")"
                : (compareTable != nil && compareTable != table ? "\(target.url) \(table)" : target.url)
        }
        if json {
            func document(_ row: (Runner.Result, (p50: Double, p90: Double, p99: Double, p999: Double, max: Double), Double),
                          _ target: BenchEndpoint, _ tableName: String) -> JSONValue {
                let (result, summary, throughput) = row
                return .object(JSONObject([
                    ("endpoint", .string(target.url)), ("table", .string(tableName)), ("workload", .string(workload)),
                    ("connections", .number(String(connections))), ("operations", .number(String(result.statistics.count))),
                    ("errors", .number(String(result.statistics.errors))), ("seconds", .number(String(format: "%.3f", result.seconds))),
                    ("throughput", .number(String(format: "%.1f", throughput))),
                    ("p50_us", .number(String(format: "%.1f", summary.p50))), ("p90_us", .number(String(format: "%.1f", summary.p90))),
                    ("p99_us", .number(String(format: "%.1f", summary.p99))), ("p999_us", .number(String(format: "%.1f", summary.p999))),
                    ("max_us", .number(String(format: "%.1f", summary.max))),
                ]))
            }
            var members: [(key: String, value: JSONValue)] = Array(zip(["result", "compared"], rows.indices.map { document(rows[$0], endpoints[$0], $0 == 0 ? table : (compareTable ?? table)) }))
            if rows.count == 2, !rows.contains(where: { $0.0.statistics.count == 0 }) {
                members.append(("ratio", .object(JSONObject([
                    ("throughput", .number(String(format: "%.3f", rows[0].2 / max(rows[1].2, 1e-9)))),
                    ("p50", .number(String(format: "%.3f", rows[0].1.p50 / max(rows[1].1.p50, 1e-9)))),
                    ("p99", .number(String(format: "%.3f", rows[0].1.p99 / max(rows[1].1.p99, 1e-9)))),
                ]))))
            }
            print(String(decoding: JSONWriter.serialize(.object(JSONObject(members))), as: UTF8.self))
            return
        }
        print("endpoint                        workload connections      ops/s    p50 µs    p90 µs    p99 µs  p99.9 µs    max µs  errors")
        for ((result, summary, throughput), label) in zip(rows, labels) {
            print(String(format: "%-31@ %-8@ %11d %10.0f %9.1f %9.1f %9.1f %9.1f %9.1f %7d", label as NSString,
                         workload as NSString, connections, throughput, summary.p50, summary.p90, summary.p99, summary.p999,
                         summary.max, result.statistics.errors))
        }
        if rows.count == 2, rows.contains(where: { $0.0.statistics.count == 0 }) {
            print("ratio (first / second): none, an endpoint answered no request correctly")
        } else if rows.count == 2 {
            print(String(format: "ratio (first / second): throughput %.2f×, p50 %.2f×, p99 %.2f×", rows[0].2 / max(rows[1].2, 1e-9),
                         rows[0].1.p50 / max(rows[1].1.p50, 1e-9), rows[0].1.p99 / max(rows[1].1.p99, 1e-9)))
        }
    }
}

/// A `http://HOST:PORT` endpoint.
struct BenchEndpoint {
    let url: String
    let host: String
    let port: Int

    init(_ url: String) throws {
        guard let parsed = URL(string: url), parsed.scheme == "http", let host = parsed.host else {
            throw ValidationError("endpoints must look like http://HOST:PORT (got \(url))")
        }
        self.url = url
        self.host = host
        self.port = parsed.port ?? 80
    }
}

/// Creates the table and loads it with BatchWriteItem from several connections.
enum Loader {
    static func load(target: BenchEndpoint, signer: SigV4Signer, table: String, records: Int, payload: String,
                     connections: Int) throws -> Double {
        let (host, port) = (target.host, target.port)
        let setup = BenchClient(host: host, port: port, signer: signer)
        let (status, body) = try setup.call("CreateTable", body: RequestBodies.createTable(table))
        if status != 200 && !String(decoding: body, as: UTF8.self).contains("ResourceInUseException") {
            throw BenchClient.Failure(description: "CreateTable failed: \(String(decoding: body, as: UTF8.self))")
        }
        let started = Date()
        let failures = Mutex((0, ""))
        onThreads(connections) { worker in
            let client = BenchClient(host: host, port: port, signer: signer)
            var first = worker * 25
            while first < records {
                let body = RequestBodies.batch(table: table, indexes: first..<min(first + 25, records), payload: payload)
                let response = try? client.call("BatchWriteItem", body: body)
                if response?.0 != 200 {
                    let detail = response.map { String(decoding: $0.1, as: UTF8.self) } ?? "no response"
                    failures.withLock { state in
                        state.0 += 1
                        if state.1.isEmpty { state.1 = detail }
                    }
                }
                first += connections * 25
            }
        }
        let (failed, detail) = failures.withLock { $0 }
        if failed > 0 { throw BenchClient.Failure(description: "\(failed) BatchWriteItem calls failed during the load: \(detail)") }
        return Date().timeIntervalSince(started)
    }
}

/// Runs `body` once per index, each on its own thread, all at the same time (Dispatch's concurrentPerform would run
/// only as many at once as there are cores, which is not N concurrent connections).
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let done = DispatchGroup()
    for index in 0..<count {
        done.enter()
        let thread = Thread {
            body(index)
            done.leave()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
    done.wait()
}

/// YCSB's "read latest": the most recent inserts are the most popular.
let recentKeys = Zipfian(items: 100, scatter: false)

/// Runs a workload from N threads for a fixed time (or operation count) and gathers latencies.
enum Runner {
    /// What to run, whatever the endpoint.
    struct Plan: Sendable {
        var workload: Workload
        var signer: SigV4Signer
        var table: String
        var records: Int
        var payload: String
        var connections: Int
        var duration: Double
        var operations: Int?
        var chooser: KeyChooser
    }

    /// Latencies and errors of one or more runs against one endpoint.
    struct Result {
        var statistics = LatencyStatistics()
        var seconds = 0.0
        var firstError: String?

        var throughput: Double { seconds > 0 ? Double(statistics.count) / seconds : 0 }

        mutating func merge(_ other: Result) {
            statistics.merge(other.statistics)
            seconds += other.seconds
            if firstError == nil { firstError = other.firstError }
        }
    }

    static func run(_ plan: Plan, against target: BenchEndpoint) -> Result {
        let merged = Mutex(Result())
        let inserted = Atomic<Int>(plan.records)
        let issued = Atomic<Int>(0)
        let started = DispatchTime.now().uptimeNanoseconds
        let deadline = plan.operations == nil ? started + UInt64(plan.duration * 1e9) : UInt64.max
        let budget = plan.operations ?? Int.max
        onThreads(plan.connections) { worker in
            let client = BenchClient(host: target.host, port: target.port, signer: plan.signer)
            var random = BenchRandom(state: UInt64(worker + 1) &* 0x9E37_79B9)
            var result = Result()
            while DispatchTime.now().uptimeNanoseconds < deadline,
                  issued.wrappingAdd(1, ordering: .relaxed).oldValue < budget {
                let operation = plan.workload.operation(random.unit())
                let begin = DispatchTime.now().uptimeNanoseconds
                do {
                    try perform(operation, client: client, table: plan.table, chooser: plan.chooser, random: &random,
                                payload: plan.payload, inserted: inserted)
                    result.statistics.record(DispatchTime.now().uptimeNanoseconds - begin)
                } catch {
                    result.statistics.errors += 1
                    if result.firstError == nil { result.firstError = "\(error)" }
                }
            }
            merged.withLock { $0.merge(result) }
        }
        var total = merged.withLock { $0 }
        total.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return total
    }

    static let itemMarker = Array(#""Item""#.utf8)
    static let countMarker = Array(#""Count""#.utf8)
    static let conditionFailedMarker = Array("ConditionalCheckFailed".utf8)

    /// One operation; throws unless the answer has status 200 and the expected content.
    static func perform(_ operation: Workload.Operation, client: BenchClient, table: String, chooser: KeyChooser,
                        random: inout BenchRandom, payload: String, inserted: borrowing Atomic<Int>) throws {
        func expect(_ response: (Int, [UInt8]), contains marker: [UInt8]) throws {
            guard response.0 == 200, BenchClient.contains(marker, in: response.1) else {
                throw BenchClient.Failure(description: "status \(response.0): \(String(decoding: response.1.prefix(200), as: UTF8.self))")
            }
        }
        switch operation {
        case .get:
            try expect(try client.call("GetItem", body: RequestBodies.get(table: table, index: chooser.next(&random))), contains: Self.itemMarker)
        case .getLatest:
            let newest = inserted.load(ordering: .relaxed) - 1
            let index = max(0, newest - recentKeys.rank(&random))
            try expect(try client.call("GetItem", body: RequestBodies.get(table: table, index: index)), contains: [])
        case .update:
            try expect(try client.call("UpdateItem", body: RequestBodies.update(table: table, index: chooser.next(&random), payload: payload)), contains: [])
        case .put:
            try expect(try client.call("PutItem", body: RequestBodies.put(table: table, index: chooser.next(&random), payload: payload)), contains: [])
        case .insert:
            let index = inserted.wrappingAdd(1, ordering: .relaxed).oldValue
            try expect(try client.call("PutItem", body: RequestBodies.put(table: table, index: index, payload: payload)), contains: [])
        case .scanRange:
            try expect(try client.call("Query", body: RequestBodies.query(table: table, index: chooser.next(&random))), contains: Self.countMarker)
        case .readModifyWrite:
            let index = chooser.next(&random)
            let (status, body) = try client.call("GetItem", body: RequestBodies.get(table: table, index: index))
            try expect((status, body), contains: Self.itemMarker)
            let text = String(decoding: body, as: UTF8.self)
            var version = "0"
            if let range = text.range(of: "\"version\":{\"N\":\"") {
                version = String(text[range.upperBound...].prefix { $0 != "\"" })
            }
            let update = try client.call("UpdateItem", body: RequestBodies.update(table: table, index: index, payload: payload,
                                                                                   expectedVersion: version))
            // A lost race with another writer is a correct answer, not an error.
            if update.0 != 200 && !BenchClient.contains(Self.conditionFailedMarker, in: update.1) {
                try expect(update, contains: [])
            }
        }
    }
}
