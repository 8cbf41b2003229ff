import Testing
@testable import Server

@Suite("Configuration file")
struct ConfigurationFileTests {
    @Test("Every documented setting in the shipped config file is understood")
    func shippedConfigurationLoads() throws {
        let settings = try ConfigurationFile.load(path: "config/swiftdynamo.yaml", onto: ServerConfiguration())
        #expect(settings.http.port == 8000)
        #expect(settings.http.host == "127.0.0.1")
        #expect(settings.authEnabled)
        #expect(settings.credentials.credentials["AKIAIOSFODNN7EXAMPLE"]?.accountId == "123456789012")
        #expect(settings.credentials.credentials["fakeMyKeyId"]?.secretAccessKey == "fakeSecretAccessKey")
    }

    @Test("Settings in a file override the defaults")
    func settingsOverrideDefaults() throws {
        let text = """
        server:
          port: 9001
          max_body_bytes: 1024
        auth:
          enabled: false
        tables:
          creation_delay_seconds: 1.5
        storage:
          shards_per_table: 4
        """
        let settings = try ConfigurationFile.parse(text, onto: ServerConfiguration())
        #expect(settings.http.port == 9001)
        #expect(settings.http.maximumBodyBytes == 1024)
        #expect(!settings.authEnabled)
        #expect(settings.api.tableCreationDelaySeconds == 1.5)
        #expect(settings.shardsPerTable == 4)
    }

    @Test("An unknown key is an error naming it")
    func unknownKeyIsAnError() {
        #expect(throws: ConfigurationFile.Problem.self) {
            try ConfigurationFile.parse("server:\n  prot: 1\n", onto: ServerConfiguration())
        }
    }

    @Test("A shard count that is not a power of two is refused")
    func shardCountMustBePowerOfTwo() {
        #expect(throws: ConfigurationFile.Problem.self) {
            try ConfigurationFile.parse("storage:\n  shards_per_table: 3\n", onto: ServerConfiguration())
        }
    }
}
