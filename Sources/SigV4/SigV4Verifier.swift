/// Verifies AWS Signature Version 4 on requests (the `Authorization` header or presigned query parameters).
/// TODO(sigv4 helper): implement.
package final class SigV4Verifier: Sendable {
    package let credentials: CredentialStore
    /// Seconds since the Unix epoch; injected so tests can pin the clock.
    package let now: @Sendable () -> Double
    /// Largest accepted difference between the request's date and `now()`.
    package let allowedClockSkewSeconds: Double

    package init(credentials: CredentialStore, allowedClockSkewSeconds: Double = 15 * 60,
                 now: @escaping @Sendable () -> Double) {
        self.credentials = credentials
        self.allowedClockSkewSeconds = allowedClockSkewSeconds
        self.now = now
    }

    /// Verifies the signature and returns the caller.
    package func verify(_ request: SignedRequest) throws(SigV4Error) -> CallerIdentity {
        throw .missingAuthenticationToken(message: "Request is missing Authentication Token")
    }

    /// With verification off: the caller named by the request's credential scope, without checking the
    /// signature (as DynamoDB Local does). Unknown keys get account "000000000000"; missing auth gets the defaults.
    package func identifyWithoutVerifying(_ request: SignedRequest) -> CallerIdentity {
        CallerIdentity(accessKeyId: "", accountId: "000000000000", region: "us-east-1")
    }
}
