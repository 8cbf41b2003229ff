/// A secret access key and the account it belongs to.
package struct Credential: Sendable, Equatable {
    package var secretAccessKey: String
    /// 12-digit AWS account id; selects the table namespace.
    package var accountId: String

    package init(secretAccessKey: String, accountId: String) {
        self.secretAccessKey = secretAccessKey
        self.accountId = accountId
    }
}

/// Access key id → credential. Read-only after start-up.
package struct CredentialStore: Sendable {
    package var credentials: [String: Credential]

    package init(_ credentials: [String: Credential] = [:]) {
        self.credentials = credentials
    }

    /// The pairs local-DynamoDB users already type: AWS's documented example keys and DynamoDB Local's.
    package static let defaults = CredentialStore([
        "AKIAIOSFODNN7EXAMPLE": Credential(
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", accountId: "123456789012"),
        "fakeMyKeyId": Credential(secretAccessKey: "fakeSecretAccessKey", accountId: "000000000000"),
    ])
}
