import DynamoModel
import JSON
import Testing
@testable import DynamoAPI

@Suite("PartiQL request pieces: parameters and page tokens")
struct PartiQLRequestTests {
    static let unconvertible: [(String, String)] = [
        ("1e99999999999", "The parameter cannot be converted to a numeric value: 1e99999999999"),
        ("-1e2147483648", "The parameter cannot be converted to a numeric value: -1e2147483648"),
        ("1e-2147483649", "The parameter cannot be converted to a numeric value: 1e-2147483649"),
        ("abc", "The parameter cannot be converted to a numeric value: abc"),
        ("1.2.3", "The parameter cannot be converted to a numeric value: 1.2.3"),
        ("", "The parameter cannot be converted to a numeric value"),
        ("1e2147483647", "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
    ]

    @Test("Number parameters are read as Java's BigDecimal reads them", arguments: unconvertible)
    func numbers(_ text: String, _ message: String) {
        #expect(throws: DynamoError.validation(message)) { try ParameterCheck.checkNumber(text) }
    }

    @Test("Ordinary numbers pass the parameter check", arguments: ["1", "-7.3", ".73e1", "7.31E+6", "1e-130", "0"])
    func ordinaryNumbers(_ text: String) throws {
        try ParameterCheck.checkNumber(text)
    }

    @Test("A page token resumes only the request it was made for")
    func pageTokens() throws {
        let fingerprint = PageToken.fingerprint(statement: "SELECT * FROM t", parameters: .array([]))
        let token = PageToken(partitionIndex: 2, lastKey: ["pk": .s("a"), "sk": .n(DynamoNumber(3))], fingerprint: fingerprint)
        let decoded = try PageToken.decode(token.encoded(), fingerprint: fingerprint)
        #expect(decoded.partitionIndex == 2)
        #expect(decoded.lastKey == token.lastKey)
        let other = PageToken.fingerprint(statement: "SELECT * FROM t", parameters: .array([.object(JSONObject([("S", .string("x"))]))]))
        #expect(other != fingerprint)
        #expect(throws: PageToken.mismatch) { try PageToken.decode(token.encoded(), fingerprint: other) }
        #expect(throws: PageToken.invalid) { try PageToken.decode("%%%", fingerprint: fingerprint) }
        #expect(throws: PageToken.invalid) { try PageToken.decode(Base64.encode(Array("{}".utf8)), fingerprint: fingerprint) }
    }
}
