import DynamoModel
import JSON
import Storage

/// `AutoScalingSettingsUpdate` as it arrives in UpdateTableReplicaAutoScaling, and its description.
struct AutoScalingSettingsInput {
    var minimumUnits: Int64?
    var maximumUnits: Int64?
    var disabled: Bool?
    var policyName: String?
    var targetValue: Double?
    var disableScaleIn: Bool?

    /// Application Auto Scaling's bounds on a DynamoDB target utilization, in percent.
    static let targetRange = 20.0...90.0

    static func read(_ value: JSONValue?) throws(DynamoError) -> AutoScalingSettingsInput? {
        guard let object = try InputReader.object(value) else { return nil }
        let reader = InputReader(object)
        var input = AutoScalingSettingsInput(minimumUnits: try reader.integer("MinimumUnits"),
                                             maximumUnits: try reader.integer("MaximumUnits"),
                                             disabled: try reader.boolean("AutoScalingDisabled"))
        if let policy = try InputReader.object(object["ScalingPolicyUpdate"]) {
            input.policyName = try InputReader.string(policy["PolicyName"])
            if let configuration = try InputReader.object(policy["TargetTrackingScalingPolicyConfiguration"]) {
                let configurationReader = InputReader(configuration)
                input.disableScaleIn = try configurationReader.boolean("DisableScaleIn")
                switch configuration["TargetValue"] {
                case .number(let text)?: input.targetValue = Double(text)
                case nil, .null?: break
                case let other?: throw InputReader.typeMismatch(other, expected: "Double")
                }
            }
        }
        return input
    }

    /// The policy after this update over `current` (nil: auto scaling off for the dimension).
    func applied(to current: StoredScalingPolicy?, path: String) throws(DynamoError) -> StoredScalingPolicy? {
        if disabled == true { return nil }
        let minimum = minimumUnits ?? current?.minimumUnits
        let maximum = maximumUnits ?? current?.maximumUnits
        let target = targetValue ?? current?.targetUtilization
        for (name, value) in [("minimumUnits", minimumUnits), ("maximumUnits", maximumUnits)] {
            if let value, value < 1 {
                throw .validation("1 validation error detected: Value '\(value)' at '\(path).\(name)' failed to "
                    + "satisfy constraint: Member must have value greater than or equal to 1")
            }
        }
        guard let minimum, let maximum, let target else {
            throw .validation("MinimumUnits, MaximumUnits and a TargetTrackingScalingPolicyConfiguration with "
                + "TargetValue are required to enable auto scaling")
        }
        if minimum > maximum {
            throw .validation("Minimum units must be less than or equal to maximum units")
        }
        if !Self.targetRange.contains(target) {
            throw .validation("TargetValue must be between 20 and 90")
        }
        return StoredScalingPolicy(minimumUnits: minimum, maximumUnits: maximum, targetUtilization: target,
                                   disableScaleIn: disableScaleIn ?? current?.disableScaleIn ?? false,
                                   policyName: policyName ?? current?.policyName)
    }

    /// `AutoScalingSettingsDescription` for one dimension.
    static func describe(_ policy: StoredScalingPolicy?, accountId: String, tableName: String, dimension: String) -> JSONValue {
        guard let policy else { return .object(JSONObject([("AutoScalingDisabled", .bool(true))])) }
        let name = policy.policyName ?? "DynamoDB\(dimension)CapacityUtilization:table/\(tableName)"
        return .object(JSONObject([
            ("MinimumUnits", .number(String(policy.minimumUnits))),
            ("MaximumUnits", .number(String(policy.maximumUnits))),
            ("AutoScalingDisabled", .bool(false)),
            ("AutoScalingRoleArn", .string("arn:aws:iam::\(accountId):role/aws-service-role/dynamodb.application-"
                + "autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable")),
            ("ScalingPolicies", .array([.object(JSONObject([
                ("PolicyName", .string(name)),
                ("TargetTrackingScalingPolicyConfiguration", .object(JSONObject([
                    ("DisableScaleIn", .bool(policy.disableScaleIn)),
                    ("TargetValue", .number(CapacityFormat.double(policy.targetUtilization))),
                ]))),
            ]))])),
        ]))
    }
}

/// Number spelling for doubles in descriptions ("70.0").
enum CapacityFormat {
    static func double(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? "\(Int64(value)).0" : String(value)
    }
}
