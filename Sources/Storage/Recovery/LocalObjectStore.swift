#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COpenSSL
import CZlib

/// The local stand-in for S3 that exports write to and imports read from: bucket B, key K is the file
/// `<root>/B/K`. Also the gzip and MD5 codecs S3 objects of DynamoDB exports use.
package struct LocalObjectStore: Sendable {
    package let root: String

    package init(root: String) {
        self.root = root
    }

    package func path(bucket: String, key: String) -> String { "\(root)/\(bucket)/\(key)" }

    /// A bucket name that stays one folder under the root (no `/`, not `.` or `..`, not empty).
    package static func isSafe(bucket: String) -> Bool {
        !bucket.isEmpty && bucket != "." && bucket != ".." && !bucket.contains("/")
    }

    /// A key that stays inside its bucket (no `..` segment, not absolute).
    package static func isSafe(key: String) -> Bool {
        !key.hasPrefix("/") && !key.split(separator: "/", omittingEmptySubsequences: false).contains("..")
    }

    private func checkedPath(bucket: String, key: String) throws(FileSystemError) -> String {
        let path = path(bucket: bucket, key: key)
        guard (Self.isSafe(bucket: bucket) || bucket == ".") && Self.isSafe(key: key) else {
            throw FileSystemError("resolve", path, EINVAL)
        }
        return path
    }

    /// Writes an object atomically (creating its folders).
    package func put(bucket: String, key: String, _ bytes: [UInt8]) throws(FileSystemError) {
        let path = try checkedPath(bucket: bucket, key: key)
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        try FileSystem.createDirectory(folder)
        try FileSystem.replaceFile(path, with: bytes)
    }

    package func get(bucket: String, key: String) throws(FileSystemError) -> [UInt8] {
        try FileSystem.readFile(checkedPath(bucket: bucket, key: key))
    }

    /// Appends to an object (import error logs), creating it and its folders.
    package func append(bucket: String, key: String, _ bytes: [UInt8]) throws(FileSystemError) {
        let path = try checkedPath(bucket: bucket, key: key)
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        try FileSystem.createDirectory(folder)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystemError("open", path) }
        defer { close(descriptor) }
        try FileSystem.writeAll(descriptor, bytes, path: path)
    }

    package func bucketExists(_ bucket: String) -> Bool {
        guard Self.isSafe(bucket: bucket) else { return false }
        var status = stat()
        return stat("\(root)/\(bucket)", &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// Keys of the bucket's objects that start with `prefix`, sorted.
    package func keys(bucket: String, prefix: String) -> [String] {
        guard Self.isSafe(bucket: bucket) || bucket == "." else { return [] }
        var found: [String] = []
        func walk(_ relative: String) {
            let folder = relative.isEmpty ? "\(root)/\(bucket)" : "\(root)/\(bucket)/\(relative)"
            for name in (try? FileSystem.list(folder)) ?? [] where !name.hasSuffix(".tmp") {
                let key = relative.isEmpty ? name : "\(relative)/\(name)"
                var status = stat()
                guard stat("\(folder)/\(name)", &status) == 0 else { continue }
                if (status.st_mode & S_IFMT) == S_IFDIR {
                    // Only descend where the prefix can still match.
                    if prefix.hasPrefix(key + "/") || (key + "/").hasPrefix(prefix) { walk(key) }
                } else if key.hasPrefix(prefix) {
                    found.append(key)
                }
            }
        }
        walk("")
        return found.sorted()
    }

    // MARK: - Codecs

    /// gzip (RFC 1952) of `bytes`.
    package static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
        var input = bytes
        let produced = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target -> Int in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                _ = deflate(&stream, Z_FINISH)
                return target.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }

    /// The bytes inside gzip data (every member, as `gunzip` reads them); nil when it is not valid gzip.
    package static func gunzip(_ bytes: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var input = bytes
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let ok = input.withUnsafeMutableBufferPointer { source -> Bool in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { target -> (Int32, Int) in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, target.count - Int(stream.avail_out))
                }
                output.append(contentsOf: chunk[0..<produced])
                if status == Z_STREAM_END {
                    if stream.avail_in == 0 { return true }
                    guard inflateReset(&stream) == Z_OK else { return false }
                    continue
                }
                if status != Z_OK { return false }
                if stream.avail_in == 0 && produced == 0 { return false }
            }
        }
        return ok ? output : nil
    }

    /// Base64 of the MD5 digest (S3's Content-MD5 form, used by export manifests).
    package static func md5Base64(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = bytes.withUnsafeBytes { EVP_Digest($0.baseAddress, $0.count, &digest, &length, EVP_md5(), nil) }
        var encoded = [UInt8](repeating: 0, count: 4 * ((Int(length) + 2) / 3) + 1)
        let count = EVP_EncodeBlock(&encoded, digest, Int32(length))
        return String(decoding: encoded.prefix(Int(count)), as: UTF8.self)
    }

    /// Lowercase hex of the MD5 digest (an S3 ETag for a single-part upload).
    package static func md5Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = bytes.withUnsafeBytes { EVP_Digest($0.baseAddress, $0.count, &digest, &length, EVP_md5(), nil) }
        let hex = Array("0123456789abcdef".utf8)
        return String(decoding: digest.prefix(Int(length)).flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 0x0F)]] }, as: UTF8.self)
    }
}
