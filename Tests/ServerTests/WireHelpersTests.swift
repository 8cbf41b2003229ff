import Testing
import HTTP
@testable import Server

@Suite("Wire helpers")
struct WireHelpersTests {
    @Test("x-amz-crc32 is zlib's CRC-32 (check value of \"123456789\")")
    func crc32CheckValue() {
        #expect(Checksum.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Checksum.crc32([]) == 0)
    }

    @Test("Request ids are 52 characters of A-Z and 0-9 and do not repeat")
    func requestIdsAreShapedLikeDynamoDBs() {
        let generator = RequestIdGenerator()
        var seen = Set<String>()
        var characters = Set<UInt8>()
        for _ in 0..<1000 {
            let id = generator.next()
            #expect(id.utf8.count == 52)
            #expect(id.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) })
            seen.insert(id)
            characters.formUnion(id.utf8)
        }
        #expect(seen.count == 1000)
        #expect(characters.count == 36)
    }

    @Test("Content types are compared without parameters and case")
    func mediaTypeIgnoresParameters() {
        #expect(ASCII.mediaTypeMatches("application/x-amz-json-1.0; charset=utf-8", "application/x-amz-json-1.0"))
        #expect(ASCII.mediaTypeMatches(" Application/JSON ", "application/json"))
        #expect(!ASCII.mediaTypeMatches("application/jsonx", "application/json"))
        #expect(!ASCII.mediaTypeMatches("text/plain", "application/json"))
    }
}
