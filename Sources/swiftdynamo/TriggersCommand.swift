import ArgumentParser
import Server

/// `swiftdynamo triggers`: lists the triggers a configuration file defines.
struct TriggersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triggers",
        abstract: "List the triggers the configuration defines.")

    @Option(help: "YAML configuration file (see config/swiftdynamo.yaml).")
    var config: String?

    func run() throws {
        var settings = ServerConfiguration()
        if let config { settings = try ConfigurationFile.load(path: config, onto: settings) }
        if settings.triggers.isEmpty { print("no triggers configured") }
        for trigger in settings.triggers { print(trigger.summary) }
    }
}
