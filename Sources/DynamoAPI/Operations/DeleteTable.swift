import Dispatch
import DynamoModel
import JSON
import Storage

/// DeleteTable: removes a table (refused while deletion protection is on); answers with its last description.
enum DeleteTable {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        let table = try TableLookup.namedTable(in: input, context)
        let name = table.name

        var described = table.definition
        try table.updateDefinition { (definition: inout TableDefinition) throws(DynamoError) in
            if definition.deletionProtectionEnabled {
                throw .validation("Resource cannot be deleted as it is currently protected against deletion. "
                    + "Disable deletion protection first.")
            }
            switch definition.status {
            case .creating, .updating, .deleting:
                throw DynamoError(.resourceInUse, "Attempt to change a resource which is still in use: Table is "
                    + "being \(definition.status == .creating ? "created" : definition.status == .updating ? "updated" : "deleted"): \(name)")
            default:
                break
            }
            definition.status = .deleting
            described = definition
        }
        ProvisioningObserver.observe(described, namespace: context.namespace, meter: context.meter, now: context.now,
                                     deleted: true)
        let itemCount = table.itemCount
        let size = table.sizeInBytes
        let delay = context.settings.tableDeletionDelaySeconds
        let catalog = context.catalog
        let namespace = context.namespace
        if delay > 0 {
            DispatchQueue.global().asyncAfter(deadline: .now() + delay) {
                _ = try? catalog.deleteTable(named: name, in: namespace)
            }
        } else {
            do throws(StorageError) {
                try catalog.deleteTable(named: name, in: namespace)
            } catch {
                throw DynamoError.tableNotFound(name)
            }
        }
        return .object(JSONObject([
            ("TableDescription", TableDescriptionWriter.describeDeleted(described, itemCount: itemCount,
                sizeInBytes: size, encryptedAtRest: context.settings.encryptionAtRest)),
        ]))
    }
}
