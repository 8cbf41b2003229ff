#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file-system failure, naming the call, the path and errno.
package struct FileSystemError: Error, CustomStringConvertible, Sendable {
    package var description: String
    init(_ call: String, _ path: String, _ code: Int32 = errno) {
        description = "\(call) \(path): \(String(cString: strerror(code)))"
    }
}

/// The POSIX calls durability needs: whole-file reads, appends with fsync, atomic replacement, directory listing
/// and an exclusive lock. EINTR is retried everywhere.
package enum FileSystem {
    package static func createDirectory(_ path: String) throws(FileSystemError) {
        var components: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            components.append(String(part))
            let prefix = components.joined(separator: "/")
            if prefix.isEmpty { continue }
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw FileSystemError("mkdir", prefix) }
        }
    }

    package static func readFile(_ path: String) throws(FileSystemError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError("open", path) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError("read", path)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    package static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws(FileSystemError) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError("write", path)
            }
            offset += count
        }
    }

    /// Writes all of `bytes` at `offset` (positioned: the file's size and offset do not matter).
    package static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], at offset: Int, path: String) throws(FileSystemError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                pwrite(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written, off_t(offset + written))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError("pwrite", path)
            }
            written += count
        }
    }

    /// Reserves disk blocks for `length` bytes from `offset`, extending the file (the new bytes read as zeros);
    /// false where the file system cannot (then the file simply grows as it is written).
    package static func preallocate(_ descriptor: Int32, offset: Int, length: Int) -> Bool {
        // posix_fallocate returns the error instead of setting errno; glibc uses fallocate(2) where the file system
        // has it and writes zeros where it does not.
        #if os(Linux)
        var result = posix_fallocate(descriptor, off_t(offset), off_t(length))
        while result == EINTR { result = posix_fallocate(descriptor, off_t(offset), off_t(length)) }
        return result == 0
        #else
        return false
        #endif
    }

    /// Cuts an open file to `length` bytes.
    package static func truncate(_ descriptor: Int32, to length: Int, path: String) throws(FileSystemError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else { throw FileSystemError("ftruncate", path) }
    }

    package static func sync(_ descriptor: Int32, path: String) throws(FileSystemError) {
        while fsync(descriptor) != 0 {
            if errno != EINTR { throw FileSystemError("fsync", path) }
        }
    }

    /// Flushes a file's data and the metadata needed to read it back (its size), but not its timestamps.
    package static func syncData(_ descriptor: Int32, path: String) throws(FileSystemError) {
        #if os(Linux)
        while fdatasync(descriptor) != 0 {
            if errno != EINTR { throw FileSystemError("fdatasync", path) }
        }
        #else
        try sync(descriptor, path: path)
        #endif
    }

    /// Writes a file atomically: temporary file, fsync, rename, fsync of the directory.
    package static func replaceFile(_ path: String, with bytes: [UInt8]) throws(FileSystemError) {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystemError("open", temporary) }
        do throws(FileSystemError) {
            try writeAll(descriptor, bytes, path: temporary)
            try sync(descriptor, path: temporary)
        } catch {
            close(descriptor)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else { throw FileSystemError("rename", path) }
        try syncDirectory(containing: path)
    }

    static func syncDirectory(containing path: String) throws(FileSystemError) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError("open", directory) }
        defer { close(descriptor) }
        try sync(descriptor, path: directory)
    }

    /// File names in a directory (not `.`/`..`), sorted.
    static func list(_ directory: String) throws(FileSystemError) -> [String] {
        guard let handle = opendir(directory) else { throw FileSystemError("opendir", directory) }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func remove(_ path: String) {
        _ = unlink(path)
    }

    static func truncate(_ path: String, to length: Int) throws(FileSystemError) {
        guard Glibc.truncate(path, off_t(length)) == 0 else { throw FileSystemError("truncate", path) }
    }

    /// Takes an exclusive, non-blocking lock on `path` for the life of the process; nil when another process has it.
    static func lockExclusively(_ path: String) throws(FileSystemError) -> Int32? {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystemError("open", path) }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            close(descriptor)
            return nil
        }
        return descriptor
    }
}

extension FileSystem {
    static func unlock(_ descriptor: Int32) {
        _ = flock(descriptor, LOCK_UN)
        _ = close(descriptor)
    }
}

/// Removes an empty directory.
func rmdirPath(_ path: String) -> Bool { rmdir(path) == 0 }
