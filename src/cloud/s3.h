#pragma once
// Our minimal S3 client: put, get, head, list, and multipart upload for large files, signed with
// our SigV4 signer (cloud/sigv4.h). Credentials and region from the standard AWS variables;
// AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL serve S3-compatible stores (path-style addressing);
// on AWS itself requests go to https://<bucket>.s3.<region>.amazonaws.com.
//
// Tested against moto's S3 server on 127.0.0.1 (an emulator), and the signing against AWS's
// documented S3 examples; see docs/scale-out.md.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cloud/aws.h"

namespace aa::aws {

namespace fs = std::filesystem;

struct S3Uri {
  std::string bucket;
  std::string key;  // no leading '/'; "" for the bucket's root
};
// "s3://bucket/key/part" -> {bucket, "key/part"}; AppError(InvalidInput) for anything else.
S3Uri parse_s3_uri(const std::string& uri);
std::string to_string(const S3Uri& uri);

struct S3ObjectInfo {
  std::string key;
  std::uint64_t size = 0;
  std::string etag;
  std::map<std::string, std::string> metadata;  // x-amz-meta-* (head only), names lower-case
};

struct S3PutResult {
  bool uploaded = false;  // false: an object with the same content hash was already there
  std::uint64_t bytes = 0;
  int parts = 0;  // 0: a single PUT
};

class S3Client {
 public:
  explicit S3Client(AwsContext context);

  // Files above this size go up in parts of this size (S3's minimum part is 5 MiB).
  void set_multipart_part_size(std::uint64_t bytes);
  std::uint64_t multipart_part_size() const { return part_size_; }

  void create_bucket(const std::string& bucket);
  std::optional<S3ObjectInfo> head(const std::string& bucket, const std::string& key);
  void put(const std::string& bucket, const std::string& key, const std::string& body,
           const std::map<std::string, std::string>& metadata = {});
  // Uploads a file (multipart above the part size), with `metadata`.
  S3PutResult put_file(const std::string& bucket, const std::string& key, const fs::path& file,
                       const std::map<std::string, std::string>& metadata = {});
  // Uploads `file` unless the object's recorded content hash (x-amz-meta-sha256, set by our
  // uploads) equals the file's: judged by content, never by the object merely existing.
  S3PutResult put_file_if_changed(const std::string& bucket, const std::string& key,
                                  const fs::path& file);
  std::string get(const std::string& bucket, const std::string& key);
  // Downloads to `file` atomically (a temporary beside it, then rename).
  std::uint64_t get_to_file(const std::string& bucket, const std::string& key,
                            const fs::path& file);
  // Every object under `prefix`, across pages of `page_size` keys (ListObjectsV2).
  std::vector<S3ObjectInfo> list(const std::string& bucket, const std::string& prefix,
                                 int page_size = 1000);

 private:
  struct Target {
    Endpoint endpoint;
    std::string path;
  };
  Target target(const std::string& bucket, const std::string& key) const;
  HttpResponse call(const std::string& what, const std::string& bucket, const std::string& key,
                    HttpRequest request);

  AwsContext context_;
  bool path_style_ = false;
  std::uint64_t part_size_ = 64ULL << 20;
};

}  // namespace aa::aws
