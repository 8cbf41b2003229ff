import Testing
@testable import Server

@Suite("Trigger delivery: commands and URLs")
struct TriggerDeliveryTests {
    @Test func test_a_command_gets_the_event_on_stdin_and_exit_status_zero_is_success() {
        #expect(TriggerDelivery.runCommand("test \"$(cat)\" = '{\"Records\":[]}'", input: Array("{\"Records\":[]}".utf8)) == nil)
        #expect(TriggerDelivery.runCommand("exit 3", input: Array("{}".utf8)) == "the command exited with status 3")
    }

    @Test func test_a_command_that_ignores_its_input_still_decides_by_its_status() {
        let large = [UInt8](repeating: 65, count: 1 << 20)
        #expect(TriggerDelivery.runCommand("exit 0", input: large) == nil)
        #expect(TriggerDelivery.runCommand("exit 1", input: large) != nil)
    }

    @Test func test_http_urls_are_parsed_with_their_port_and_path() throws {
        let full = try #require(TriggerDelivery.ParsedURL("http://127.0.0.1:9000/hooks/music?x=1"))
        #expect(full.host == "127.0.0.1" && full.port == 9000 && full.path == "/hooks/music?x=1")
        let bare = try #require(TriggerDelivery.ParsedURL("http://localhost"))
        #expect(bare.host == "localhost" && bare.port == 80 && bare.path == "/")
        #expect(TriggerDelivery.ParsedURL("https://example.com/") == nil)
        #expect(TriggerDelivery.ParsedURL("http:///path") == nil)
    }

    @Test func test_a_url_nobody_listens_on_is_a_failure() {
        #expect(TriggerDelivery.post(Array("{}".utf8), to: "http://127.0.0.1:1/") != nil)
    }
}
