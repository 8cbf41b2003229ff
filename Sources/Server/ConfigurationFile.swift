import Yams

/// Reads `config/swiftdynamo.yaml`-style files onto a configuration. TODO: all keys.
package enum ConfigurationFile {
    package static func load(path: String, onto base: ServerConfiguration) throws -> ServerConfiguration {
        base
    }
}
