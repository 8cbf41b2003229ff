// Umbrella header for the parts of OpenSSL SwiftDynamo uses: digests and HMAC (SigV4), EVP ciphers (encryption at
// rest), TLS (the HTTP listener).
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/rand.h>
