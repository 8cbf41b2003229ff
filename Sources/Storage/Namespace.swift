/// Tables live per (account, region), as in DynamoDB.
package struct Namespace: Sendable, Hashable {
    package var accountId: String
    package var region: String

    package init(accountId: String, region: String) {
        self.accountId = accountId
        self.region = region
    }
}
