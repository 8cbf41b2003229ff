import Capacity
import JSON
import Storage

/// The usage document served at `GET /_swiftdynamo/usage`: per account, per table and index, the units consumed,
/// the requests throttled, the storage held, and what it would cost on DynamoDB at the configured prices.
enum UsageReport {
    static func build(catalog: Catalog, meter: CapacityMeter, now: Double, accountId: String?) -> JSONValue {
        var live: [String: (Namespace, Table)] = [:]
        for (namespace, table) in catalog.allTablesWithNamespaces() {
            live[table.tableId] = (namespace, table)
            ProvisioningObserver.observe(table.definition, namespace: namespace, meter: meter, now: now)
        }
        let entries = meter.ledger.snapshot(now: now)
        let prices = meter.settings.prices
        var accounts: [String: [MeteredResource]] = [:]
        for resource in entries.keys where resource.indexName == nil {
            if let accountId, resource.accountId != accountId { continue }
            accounts[resource.accountId, default: []].append(resource)
        }
        var accountMembers: [(key: String, value: JSONValue)] = []
        var grandTotal = 0.0
        for account in accounts.keys.sorted() {
            var tables: [JSONValue] = []
            var accountTotal = 0.0
            let resources = (accounts[account] ?? []).sorted { ($0.region, $0.tableName, $0.tableId) < ($1.region, $1.tableName, $1.tableId) }
            for resource in resources {
                let table = live[resource.tableId]?.1
                let definition = table?.definition
                let onDemand = definition.map { $0.billingMode == .payPerRequest } ?? false
                var indexes: [JSONValue] = []
                var tableCost = cost(entries[resource] ?? UsageLedger.Entry(), storageBytes: table?.sizeInBytes ?? 0,
                                     since: max(meter.startedAt, definition?.creationDateTime ?? meter.startedAt),
                                     now: now, prices: prices)
                let indexResources = entries.keys.filter { $0.tableId == resource.tableId && $0.indexName != nil }
                    .sorted { ($0.indexName ?? "") < ($1.indexName ?? "") }
                for indexResource in indexResources {
                    let name = indexResource.indexName ?? ""
                    let stored = table?.index(named: name)
                    let indexCost = cost(entries[indexResource] ?? UsageLedger.Entry(), storageBytes: stored?.sizeInBytes ?? 0,
                                         since: max(meter.startedAt, definition?.creationDateTime ?? meter.startedAt),
                                         now: now, prices: prices)
                    tableCost = tableCost.adding(indexCost)
                    let hotKeys = HotKeysReport.member(indexResource, definition: definition, meter: meter, now: now)
                    indexes.append(.object(JSONObject([("IndexName", .string(name))]
                        + figures(entries[indexResource] ?? UsageLedger.Entry(), storageBytes: stored?.sizeInBytes ?? 0,
                                  itemCount: stored?.itemCount ?? 0)
                        + [("EstimatedCost", indexCost.json)] + (hotKeys.map { [$0] } ?? []))))
                }
                accountTotal += tableCost.total
                var members: [(key: String, value: JSONValue)] = [
                    ("TableName", .string(resource.tableName)), ("Region", .string(resource.region)),
                    ("TableId", .string(resource.tableId)),
                    ("BillingMode", .string(definition?.billingMode.rawValue ?? "DELETED")),
                    ("Deleted", .bool(table == nil)),
                ]
                if let definition, !onDemand {
                    members.append(("ReadCapacityUnits", .number(String(definition.provisionedThroughput.readCapacityUnits))))
                    members.append(("WriteCapacityUnits", .number(String(definition.provisionedThroughput.writeCapacityUnits))))
                }
                members += figures(entries[resource] ?? UsageLedger.Entry(), storageBytes: table?.sizeInBytes ?? 0,
                                   itemCount: table?.itemCount ?? 0)
                members.append(("Indexes", .array(indexes)))
                members.append(("Series", .array((entries[resource]?.series ?? []).map { interval in
                    .object(JSONObject([("Start", .number(TableDescriptionWriter.timestamp(interval.start))),
                                        ("ReadUnits", .number(CapacityUnits.format(interval.readUnits))),
                                        ("WriteUnits", .number(CapacityUnits.format(interval.writeUnits))),
                                        ("ThrottledRequests", .number(String(interval.throttledRequests)))]))
                })))
                members.append(("EstimatedCost", tableCost.json))
                if let hotKeys = HotKeysReport.member(resource, definition: definition, meter: meter, now: now) {
                    members.append(hotKeys)
                }
                tables.append(.object(JSONObject(members)))
            }
            grandTotal += accountTotal
            accountMembers.append((account, .object(JSONObject([
                ("Tables", .array(tables)), ("EstimatedCostUSD", .number(money(accountTotal))),
            ]))))
        }
        return .object(JSONObject([
            ("GeneratedAt", .number(TableDescriptionWriter.timestamp(now))),
            ("Since", .number(TableDescriptionWriter.timestamp(meter.startedAt))),
            ("Prices", .object(JSONObject([
                ("OnDemandReadPerMillion", .number(String(prices.onDemandReadPerMillion))),
                ("OnDemandWritePerMillion", .number(String(prices.onDemandWritePerMillion))),
                ("ProvisionedReadPerUnitMonth", .number(String(prices.provisionedReadPerUnitMonth))),
                ("ProvisionedWritePerUnitMonth", .number(String(prices.provisionedWritePerUnitMonth))),
                ("StoragePerGBMonth", .number(String(prices.storagePerGBMonth))),
            ]))),
            ("Accounts", .object(JSONObject(accountMembers))),
            ("EstimatedCostUSD", .number(money(grandTotal))),
        ]))
    }

    /// The consumption figures of one resource.
    static func figures(_ entry: UsageLedger.Entry, storageBytes: Int, itemCount: Int) -> [(key: String, value: JSONValue)] {
        [
            ("ConsumedReadCapacityUnits", .number(CapacityUnits.format(entry.readUnits))),
            ("ConsumedWriteCapacityUnits", .number(CapacityUnits.format(entry.writeUnits))),
            ("ThrottledReadRequests", .number(String(entry.throttledReadRequests))),
            ("ThrottledWriteRequests", .number(String(entry.throttledWriteRequests))),
            ("StorageBytes", .number(String(storageBytes))),
            ("ItemCount", .number(String(itemCount))),
        ]
    }

    /// The estimated charges of one resource.
    struct Cost {
        var onDemandRequests = 0.0
        var provisionedCapacity = 0.0
        var storage = 0.0
        var total: Double { onDemandRequests + provisionedCapacity + storage }

        func adding(_ other: Cost) -> Cost {
            Cost(onDemandRequests: onDemandRequests + other.onDemandRequests,
                 provisionedCapacity: provisionedCapacity + other.provisionedCapacity, storage: storage + other.storage)
        }

        var json: JSONValue {
            .object(JSONObject([
                ("OnDemandRequestsUSD", .number(UsageReport.money(onDemandRequests))),
                ("ProvisionedCapacityUSD", .number(UsageReport.money(provisionedCapacity))),
                ("StorageUSD", .number(UsageReport.money(storage))),
                ("TotalUSD", .number(UsageReport.money(total))),
            ]))
        }
    }

    static func cost(_ entry: UsageLedger.Entry, storageBytes: Int, since: Double, now: Double, prices: CostModel) -> Cost {
        let month = CostModel.secondsPerMonth
        return Cost(
            onDemandRequests: prices.onDemandCost(readUnits: entry.onDemandReadUnits, writeUnits: entry.onDemandWriteUnits),
            provisionedCapacity: prices.provisionedCost(readCapacityUnits: entry.readCapacityUnitSeconds / month,
                                                        writeCapacityUnits: entry.writeCapacityUnitSeconds / month,
                                                        seconds: month),
            storage: prices.storageCost(bytes: Double(storageBytes), seconds: now - since))
    }

    /// Dollars with enough digits for tiny test runs (no exponent notation).
    static func money(_ value: Double) -> String {
        let scaled = (value * 1_000_000_000).rounded()
        let whole = Int64(scaled / 1_000_000_000)
        var fraction = String(Int64(abs(scaled.truncatingRemainder(dividingBy: 1_000_000_000))))
        while fraction.count < 9 { fraction = "0" + fraction }
        return "\(whole).\(fraction)"
    }
}
