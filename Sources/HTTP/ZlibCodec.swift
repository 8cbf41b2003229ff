import CZlib

/// gzip and deflate through zlib: decoding request bodies, encoding response bodies.
///
/// gzip-member  := 1f 8b 08 flags · mtime: u32 · xfl · os · [extra] [name] [comment] [hcrc]
///                 · deflate · crc32 · isize
/// gzip-body    := gzip-member+ [ignored]      (RFC 1952 §2.2: members may be concatenated)
/// deflate-body := cmf flg · deflate · adler32  (exactly one zlib stream, RFC 1950)
///
/// What DynamoDB does at the edges, as ScyllaDB's tests observed it against DynamoDB: an empty body, a body that is
/// not of the coding, a corrupt or truncated stream are refused (500 InternalServerError, decided by the caller);
/// concatenated gzip members are one body; after a complete gzip member, bytes that do not begin another member are
/// ignored (DynamoDB answers 200); two concatenated zlib streams are not accepted for deflate.
enum ZlibCodec {
    /// Decodes a whole body.
    static func decode(_ input: [UInt8], coding: ContentCoding, maximumBytes: Int)
        throws(ContentCodingError) -> [UInt8] {
        guard !input.isEmpty else { throw .malformed }
        var stream = z_stream()
        // 15: the largest window; +16: expect a gzip wrapper instead of a zlib one.
        let windowBits: Int32 = coding == .gzip ? 15 + 16 : 15
        guard inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .malformed
        }
        defer { inflateEnd(&stream) }
        // Compressed JSON typically expands four- to tenfold; the buffer grows by doubling, up to one byte past the
        // limit (so that going over it is seen).
        let ceiling = maximumBytes == Int.max ? Int.max : maximumBytes + 1
        var output = [UInt8](repeating: 0, count: min(ceiling, max(4096, input.count * 4)))
        var produced = 0
        var consumed = 0
        decoding: while true {
            if produced == output.count {
                guard output.count < ceiling else { throw .tooLarge }
                output.append(contentsOf: repeatElement(0, count: min(output.count, ceiling - output.count)))
            }
            let status = input.withUnsafeBufferPointer { source in
                output.withUnsafeMutableBufferPointer { target in
                    // zlib does not write through next_in; the cast only satisfies its C signature.
                    stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress! + consumed)
                    stream.avail_in = uInt(source.count - consumed)
                    stream.next_out = target.baseAddress! + produced
                    stream.avail_out = uInt(target.count - produced)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    consumed = source.count - Int(stream.avail_in)
                    produced = target.count - Int(stream.avail_out)
                    return status
                }
            }
            if produced > maximumBytes { throw .tooLarge }
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                let rest = input[consumed...]
                if rest.isEmpty { break decoding }
                guard coding == .gzip else { throw .malformed }
                // Another member follows only if the rest starts like one; anything else is ignored.
                guard rest.starts(with: [0x1F, 0x8B, 0x08]) else { break decoding }
                guard inflateReset(&stream) == Z_OK else { throw .malformed }
            case Z_BUF_ERROR where produced == output.count:
                continue  // the output was full: grow it
            default:
                // Z_BUF_ERROR with room to write: the input ended inside the stream (truncated). Z_DATA_ERROR: not
                // this coding, corrupt, or a bad checksum. Z_MEM_ERROR, Z_NEED_DICT: nothing we can decode.
                throw .malformed
            }
        }
        output.removeSubrange(produced...)
        return output
    }

    /// Encodes a whole body at zlib's default level (6); nil if zlib fails (the caller then sends it as is).
    static func encode(_ input: [UInt8], coding: ContentCoding) -> [UInt8]? {
        var stream = z_stream()
        let windowBits: Int32 = coding == .gzip ? 15 + 16 : 15
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY,
                            zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        // deflateBound covers the zlib wrapper; a gzip wrapper is 12 bytes longer (18 against 6).
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 16)
        let status = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { return nil }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }
}
