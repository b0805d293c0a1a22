#pragma once
// AWS Signature Version 4 (Bedrock, S3, Athena, SageMaker): our own signer over OpenSSL's SHA-256
// and HMAC, checked against AWS's published examples (tests/analyst/sigv4_test.cc).

#include <map>
#include <string>

namespace aa::aws {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary credentials
};

struct SigV4Request {
  std::string method;  // GET, POST
  std::string
      path;  // as sent on the wire (already percent-encoded once), e.g. "/model/x%3A0/converse"
  std::string query;                           // raw "a=1&b=2", or empty
  std::map<std::string, std::string> headers;  // must include host and x-amz-date
  std::string body;
  // The payload's SHA-256 hex as sent in x-amz-content-sha256 (S3); empty: hash `body`.
  std::string payload_hash = {};
};

struct SigV4Result {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
  std::string authorization;  // the Authorization header's value
};

// Signs `request` (amz_date like 20150830T123600Z). For services other than s3 the canonical
// URI encodes each path segment again, as AWS requires.
SigV4Result sigv4_sign(const SigV4Request& request, const AwsCredentials& credentials,
                       const std::string& region, const std::string& service,
                       const std::string& amz_date);

std::string sha256_hex(const std::string& data);
// RFC 3986 percent-encoding of everything but unreserved characters (and '/' when kept).
std::string uri_encode(const std::string& text, bool keep_slash);
// The current UTC time as YYYYMMDDTHHMMSSZ.
std::string amz_date_now();

}  // namespace aa::aws
