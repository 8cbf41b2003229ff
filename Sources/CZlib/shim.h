// zlib: crc32 for the x-amz-crc32 response header and WAL records; deflate for gzip.
#include <zlib.h>
