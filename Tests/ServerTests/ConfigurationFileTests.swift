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

    @Test("Stream and Time to Live periods are read from their sections, and must be positive")
    func streamAndTimeToLiveSettings() throws {
        let text = """
        streams:
          retention_seconds: 2
          iterator_lifetime_seconds: 0.5
          shard_rollover_seconds: 1
        ttl:
          sweep_interval_seconds: 0.2
          sweep_batch_size: 10
          update_cooldown_seconds: 0
        """
        let settings = try ConfigurationFile.parse(text, onto: ServerConfiguration())
        #expect(settings.streams.retentionSeconds == 2)
        #expect(settings.streams.iteratorLifetimeSeconds == 0.5)
        #expect(settings.streams.shardRolloverSeconds == 1)
        #expect(settings.timeToLive.sweepIntervalSeconds == 0.2)
        #expect(settings.timeToLive.batchSize == 10)
        #expect(settings.api.timeToLiveCooldownSeconds == 0)
        #expect(throws: ConfigurationFile.Problem.self) {
            try ConfigurationFile.parse("streams:\n  retention_seconds: 0\n", onto: ServerConfiguration())
        }
    }

    @Test("Triggers are read from a list, each with a command or a URL")
    func triggersAreRead() throws {
        let text = """
        triggers:
          - name: audit
            table: Music
            command: "cat >> /tmp/events"
            batch_size: 10
            batching_window: 0.5
            starting_position: TRIM_HORIZON
            max_retries: 2
            retry_backoff: 0.1
            on_failure_file: /tmp/failed.jsonl
          - name: web
            table: Music
            url: http://127.0.0.1:9000/hook
        """
        let triggers = try ConfigurationFile.parse(text, onto: ServerConfiguration()).triggers
        #expect(triggers.count == 2)
        #expect(triggers[0].target == .command("cat >> /tmp/events"))
        #expect(triggers[0].batchSize == 10 && triggers[0].batchingWindowSeconds == 0.5)
        #expect(triggers[0].startingPosition == .trimHorizon && triggers[0].maxRetries == 2)
        #expect(triggers[0].onFailureFile == "/tmp/failed.jsonl")
        #expect(triggers[1].target == .url("http://127.0.0.1:9000/hook") && triggers[1].startingPosition == .latest)
        for bad in ["triggers:\n  - name: a\n    table: T\n", "triggers:\n  - name: a\n    table: T\n    command: x\n    colour: red\n",
                    "triggers:\n  - name: a\n    table: T\n    command: x\n    batch_size: 0\n"] {
            #expect(throws: ConfigurationFile.Problem.self) { try ConfigurationFile.parse(bad, onto: ServerConfiguration()) }
        }
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
