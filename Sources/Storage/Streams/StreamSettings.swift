/// The periods that govern DynamoDB Streams; configurable so tests can accelerate them.
package struct StreamSettings: Sendable {
    /// How long stream records are kept (DynamoDB: 24 hours).
    package var retentionSeconds: Double = 86_400
    /// How long a shard iterator stays usable (DynamoDB: 15 minutes).
    package var iteratorLifetimeSeconds: Double = 900
    /// How long a shard takes records before a child shard replaces it (DynamoDB: about 4 hours).
    package var shardRolloverSeconds: Double = 14_400

    package init() {}
}

/// What a stream record carries besides the keys (StreamSpecification's StreamViewType).
package enum StreamViewType: String, Sendable, CaseIterable {
    case keysOnly = "KEYS_ONLY"
    case newImage = "NEW_IMAGE"
    case oldImage = "OLD_IMAGE"
    case newAndOldImages = "NEW_AND_OLD_IMAGES"

    var includesNewImage: Bool { self == .newImage || self == .newAndOldImages }
    var includesOldImage: Bool { self == .oldImage || self == .newAndOldImages }
}
