import DynamoModel
import Testing
@testable import Storage

@Suite("Capacity settings in table definitions")
struct CapacitySettingsCodingTests {
    static func definition() -> TableDefinition {
        TableDefinition(name: "t", tableId: "id", arn: "arn:aws:dynamodb:r:1:table/t",
                        keySchema: KeySchema(partitionKey: KeyAttribute(name: "pk", type: .s)),
                        attributeDefinitions: [KeyAttribute(name: "pk", type: .s)], billingMode: .provisioned,
                        provisionedThroughput: ProvisionedThroughput(readCapacityUnits: 5, writeCapacityUnits: 5),
                        creationDateTime: 1)
    }

    static func roundTrip(_ definition: TableDefinition) throws -> TableDefinition {
        var writer = BinaryWriter()
        TableDefinitionCoding.encode(definition, into: &writer)
        var reader = BinaryReader(writer.bytes)
        let decoded = try TableDefinitionCoding.decode(&reader)
        #expect(reader.isAtEnd)
        return decoded
    }

    @Test("On-demand maximums and auto scaling policies survive encoding")
    func roundTripsTheBlock() throws {
        var definition = Self.definition()
        definition.onDemandThroughput = OnDemandThroughput(maxReadRequestUnits: 7, maxWriteRequestUnits: nil)
        definition.autoScaling = [
            "": StoredAutoScaling(read: StoredScalingPolicy(minimumUnits: 1, maximumUnits: 9, targetUtilization: 70,
                                                            disableScaleIn: true, policyName: "p"), write: nil),
            "gsi": StoredAutoScaling(read: nil, write: StoredScalingPolicy(minimumUnits: 2, maximumUnits: 3,
                                                                           targetUtilization: 20.5, disableScaleIn: false)),
        ]
        definition.indexOnDemandThroughput = ["gsi": OnDemandThroughput(maxReadRequestUnits: nil, maxWriteRequestUnits: 4)]
        let decoded = try Self.roundTrip(definition)
        #expect(decoded.onDemandThroughput == definition.onDemandThroughput)
        #expect(decoded.autoScaling == definition.autoScaling)
        #expect(decoded.indexOnDemandThroughput == definition.indexOnDemandThroughput)
    }

    @Test("A definition without capacity settings encodes as before and decodes with none")
    func absentBlock() throws {
        let decoded = try Self.roundTrip(Self.definition())
        #expect(decoded.onDemandThroughput == nil)
        #expect(decoded.autoScaling.isEmpty)
    }
}
