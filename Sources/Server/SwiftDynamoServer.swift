import DynamoAPI
import HTTP
import Logging
import SigV4
import Storage

/// The assembled server: catalog, API, signature verifier and HTTP listener.
package final class SwiftDynamoServer: Sendable {
    package let configuration: ServerConfiguration
    package let catalog: Catalog
    let pipeline: RequestPipeline
    let http: HTTPServer
    let logger: Logger

    package init(configuration: ServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        catalog = Catalog(shardCount: configuration.shardsPerTable, clock: { Clock.nowSeconds() })
        let service = DynamoService(catalog: catalog, settings: configuration.api)
        let verifier = SigV4Verifier(credentials: configuration.credentials, now: { Clock.nowSeconds() })
        let pipeline = RequestPipeline(service: service, verifier: verifier, authEnabled: configuration.authEnabled,
                                       region: configuration.defaultRegion)
        self.pipeline = pipeline
        let requestLogger = logger
        http = HTTPServer(configuration: configuration.http) { request in
            let response = pipeline.respond(to: request)
            requestLogger.debug("\(request.method) \(request.target) \(request.header("X-Amz-Target") ?? "-") → \(response.status)")
            return response
        }
    }

    /// Starts listening; returns once connections are accepted.
    package func start() throws(HTTPServerError) {
        try http.start()
    }

    /// The port the listener is bound to.
    package var port: Int { http.boundPort }

    /// Graceful stop: in-flight requests finish, then connections close.
    package func shutdown() {
        http.shutdown()
    }
}
