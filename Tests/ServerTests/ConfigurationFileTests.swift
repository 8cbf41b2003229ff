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

    @Test("Capacity, pricing and auto scaling settings are read; negative prices are refused")
    func capacitySettings() throws {
        let text = """
        capacity:
          enforce: false
          burst_seconds: 10
          billing_mode_switch_interval: 0
        pricing:
          on_demand_write_per_million: 2
        auto_scaling:
          evaluation_period_seconds: 0.5
          scale_in_periods: 3
        """
        let settings = try ConfigurationFile.parse(text, onto: ServerConfiguration())
        #expect(!settings.api.capacity.enforce)
        #expect(settings.api.capacity.burstSeconds == 10)
        #expect(settings.api.capacity.billingModeSwitchIntervalSeconds == 0)
        #expect(settings.api.capacity.prices.onDemandWritePerMillion == 2)
        #expect(settings.api.capacity.autoScaling.evaluationPeriodSeconds == 0.5)
        #expect(settings.api.capacity.autoScaling.scaleInPeriods == 3)
        #expect(throws: ConfigurationFile.Problem.self) {
            try ConfigurationFile.parse("pricing:\n  storage_gb_month: -1\n", onto: ServerConfiguration())
        }
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
