import Capacity
import DynamoModel
import JSON
import Storage

/// The DynamoDB API over a catalog: runs one routed operation for one caller.
package final class DynamoService: Sendable {
    package let catalog: Catalog
    package let settings: APISettings
    let idempotencyTokens = IdempotencyTokens()
    /// The tables' streams; nil when streams are not wired (unit tests of other operations).
    package let streams: StreamStore?
    let timeToLiveChanges = TimeToLiveChanges()
    /// Throughput buckets and usage of every table this service serves.
    package let meter: CapacityMeter

    package init(catalog: Catalog, settings: APISettings = APISettings(), streams: StreamStore? = nil,
                 startedAt: Double = 0) {
        self.catalog = catalog
        self.settings = settings
        self.streams = streams
        meter = CapacityMeter(settings: settings.capacity, startedAt: startedAt)
    }

    /// Starts billing the provisioned capacity of every table (the recovered ones at startup); creation, UpdateTable
    /// and auto scaling keep it current afterwards.
    package func observeProvisioning(now: Double) {
        for (namespace, table) in catalog.allTablesWithNamespaces() {
            ProvisioningObserver.observe(table.definition, namespace: namespace, meter: meter, now: now)
        }
    }

    /// The usage and estimated-cost document (`GET /_swiftdynamo/usage`), for one account or all of them.
    package func usageReport(now: Double, accountId: String? = nil) -> JSONValue {
        UsageReport.build(catalog: catalog, meter: meter, now: now, accountId: accountId)
    }

    /// Where changes go: a caller of `run` answers a write only once this says it is durable.
    package var changeSink: (any ChangeSink)? { catalog.changeSink }

    /// The answer to a write that could not be made durable.
    package static let notDurable = DynamoError.internalServerError("The write could not be made durable; see the server log.")

    /// Runs an operation. It does not wait for durability: the caller must not answer a write before `changeSink`
    /// says it is durable (group commit shares the fsync). The input must be a JSON object; anything else is
    /// DynamoDB's SerializationException.
    package func run(_ handler: OperationHandler, input: JSONValue, namespace: Namespace,
                     now: Double) -> Result<JSONValue, DynamoError> {
        let object: JSONObject
        switch input {
        case .object(let members): object = members
        case .array: return .failure(DynamoError(.serialization, "Start of list found where not expected"))
        default: return .failure(DynamoError(.serialization, "Unexpected field type"))
        }
        let context = RequestContext(namespace: namespace, catalog: catalog, now: now, settings: settings,
                                     idempotencyTokens: idempotencyTokens, streams: streams,
                                     timeToLiveChanges: timeToLiveChanges, meter: meter)
        do throws(DynamoError) {
            return .success(try handler(object, context))
        } catch {
            return .failure(error)
        }
    }
}
