import DynamoModel
import Testing
@testable import Storage

@Suite("Contributor insights settings in table definitions")
struct ContributorInsightsCodingTests {
    @Test("Insights settings survive encoding, alone and after the capacity block")
    func roundTripsTheBlock() throws {
        var definition = CapacitySettingsCodingTests.definition()
        definition.contributorInsights = [
            "": ContributorInsightsSettings(enabled: true, mode: ContributorInsightsSettings.throttledOnly,
                                            lastUpdate: 12.5, ruleTimestamp: 12_500),
            "gsi": ContributorInsightsSettings(enabled: false, mode: ContributorInsightsSettings.accessedAndThrottled,
                                               lastUpdate: 3, ruleTimestamp: 3_000),
        ]
        #expect(try CapacitySettingsCodingTests.roundTrip(definition).contributorInsights == definition.contributorInsights)
        definition.onDemandThroughput = OnDemandThroughput(maxReadRequestUnits: 7, maxWriteRequestUnits: nil)
        let decoded = try CapacitySettingsCodingTests.roundTrip(definition)
        #expect(decoded.contributorInsights == definition.contributorInsights)
        #expect(decoded.onDemandThroughput == definition.onDemandThroughput)
    }

    @Test("Only the accessed-and-throttled mode tracks accesses, and only while enabled")
    func tracksAccesses() {
        var settings = ContributorInsightsSettings(enabled: true, mode: ContributorInsightsSettings.accessedAndThrottled,
                                                   lastUpdate: 0, ruleTimestamp: 0)
        #expect(settings.tracksAccesses)
        settings.mode = ContributorInsightsSettings.throttledOnly
        #expect(!settings.tracksAccesses)
        settings.mode = ContributorInsightsSettings.accessedAndThrottled
        settings.enabled = false
        #expect(!settings.tracksAccesses)
    }
}
