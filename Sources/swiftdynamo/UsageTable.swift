import JSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Renders the usage document as a fixed-width table: one row per table and per index, then the totals.
enum UsageTable {
    static func render(_ document: JSONValue) -> String {
        guard case .object(let root) = document else { return "no usage\n" }
        var rows: [[String]] = [["ACCOUNT", "TABLE", "INDEX", "MODE", "RCU", "WCU", "READ UNITS", "WRITE UNITS",
                                 "THROTTLED R/W", "STORAGE", "EST. COST $"]]
        for (account, accountValue) in object(root["Accounts"])?.members ?? [] {
            for table in array(object(accountValue)?["Tables"]) {
                guard let table = object(table) else { continue }
                let name = text(table["TableName"]) + (table["Deleted"] == .bool(true) ? " (deleted)" : "")
                rows.append([account, name, "", text(table["BillingMode"]), text(table["ReadCapacityUnits"], or: "-"),
                             text(table["WriteCapacityUnits"], or: "-")] + figures(table))
                for index in array(table["Indexes"]) {
                    guard let index = object(index) else { continue }
                    rows.append(["", "", text(index["IndexName"]), "", "", ""] + figures(index))
                }
            }
        }
        var output = format(rows)
        output += "\nEstimated total: $\(text(root["EstimatedCostUSD"])) since \(utc(text(root["Since"]))) "
        output += "(prices: on-demand $\(text(object(root["Prices"])?["OnDemandReadPerMillion"]))/M reads, "
        output += "$\(text(object(root["Prices"])?["OnDemandWritePerMillion"]))/M writes)\n"
        return output
    }

    static func figures(_ object: JSONObject) -> [String] {
        [text(object["ConsumedReadCapacityUnits"]), text(object["ConsumedWriteCapacityUnits"]),
         "\(text(object["ThrottledReadRequests"]))/\(text(object["ThrottledWriteRequests"]))",
         bytes(text(object["StorageBytes"])), text(Self.object(object["EstimatedCost"])?["TotalUSD"])]
    }

    static func format(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }.joined()
    }

    /// Epoch seconds as `YYYY-MM-DD hh:mm:ss UTC`.
    static func utc(_ text: String) -> String {
        guard let seconds = Double(text) else { return text }
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) UTC"
    }

    static func bytes(_ text: String) -> String {
        guard let value = Double(text) else { return text }
        if value < 1024 { return "\(Int(value)) B" }
        if value < 1024 * 1024 { return "\((value / 1024 * 10).rounded() / 10) KB" }
        return "\((value / 1024 / 1024 * 10).rounded() / 10) MB"
    }

    static func object(_ value: JSONValue?) -> JSONObject? {
        if case .object(let object)? = value { return object }
        return nil
    }

    static func array(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let list)? = value { return list }
        return []
    }

    static func text(_ value: JSONValue?, or fallback: String = "") -> String {
        switch value {
        case .string(let text)?, .number(let text)?: return text
        case .bool(let flag)?: return String(flag)
        default: return fallback
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
