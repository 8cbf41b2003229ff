import DynamoModel
import JSON
import Storage

/// The DynamoDB API over a catalog: runs one routed operation for one caller.
package final class DynamoService: Sendable {
    package let catalog: Catalog
    package let settings: APISettings

    package init(catalog: Catalog, settings: APISettings = APISettings()) {
        self.catalog = catalog
        self.settings = settings
    }

    /// Runs an operation. The input must be a JSON object; anything else is DynamoDB's SerializationException.
    package func execute(_ handler: OperationHandler, input: JSONValue, namespace: Namespace,
                         now: Double) -> Result<JSONValue, DynamoError> {
        let object: JSONObject
        switch input {
        case .object(let members): object = members
        case .array: return .failure(DynamoError(.serialization, "Start of list found where not expected"))
        default: return .failure(DynamoError(.serialization, "Unexpected field type"))
        }
        let context = RequestContext(namespace: namespace, catalog: catalog, now: now, settings: settings)
        do throws(DynamoError) {
            return .success(try handler(object, context))
        } catch {
            return .failure(error)
        }
    }
}
