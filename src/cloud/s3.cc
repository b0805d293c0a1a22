#include "cloud/s3.h"

#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <regex>

#include "core/app_error.h"
#include "core/files.h"

namespace aa::aws {

namespace {

// The text of the first <tag>...</tag> in `xml` at or after `from`, XML entities decoded.
std::string xml_text(const std::string& xml, const std::string& tag, std::size_t from = 0) {
  const std::string open = "<" + tag + ">";
  const auto b = xml.find(open, from);
  if (b == std::string::npos) {
    return "";
  }
  const auto e = xml.find("</" + tag + ">", b);
  std::string text = xml.substr(b + open.size(), e == std::string::npos ? 0 : e - b - open.size());
  static const std::pair<const char*, const char*> entities[] = {
      {"&quot;", "\""}, {"&apos;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}};
  for (const auto& [from_text, to_text] : entities) {
    std::size_t pos = 0;
    while ((pos = text.find(from_text, pos)) != std::string::npos) {
      text.replace(pos, std::strlen(from_text), to_text);
      pos += std::strlen(to_text);
    }
  }
  return text;
}

std::string unquote(std::string etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return etag;
}

}  // namespace

S3Uri parse_s3_uri(const std::string& uri) {
  static const std::regex kUri(R"(^s3://([^/]*)/?(.*)$)");
  std::smatch m;
  if (!std::regex_match(uri, m, kUri)) {
    core::fail(core::ErrorKind::InvalidInput, "'{}' is not an S3 URI (s3://bucket/prefix)", uri);
  }
  S3Uri out{m[1], m[2]};
  if (!out.bucket.empty()) {
    static const std::regex kBucket(R"(^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$)");
    if (!std::regex_match(out.bucket, kBucket)) {
      core::fail(
          core::ErrorKind::InvalidInput,
          "'{}': '{}' is not a valid bucket name (3-63 lower-case letters, digits, '.', '-')", uri,
          out.bucket);
    }
  }
  if (out.key.find("..") != std::string::npos || out.key.find("//") != std::string::npos) {
    core::fail(core::ErrorKind::InvalidInput, "'{}': the key prefix may not contain '..' or '//'",
               uri);
  }
  return out;
}

std::string to_string(const S3Uri& uri) { return "s3://" + uri.bucket + "/" + uri.key; }

S3Client::S3Client(AwsContext context) : context_(std::move(context)) {
  path_style_ = !context_.cloud.s3_endpoint.empty() || !context_.cloud.endpoint.empty();
}

void S3Client::set_multipart_part_size(std::uint64_t bytes) {
  if (bytes < (5ULL << 20)) {
    core::fail(core::ErrorKind::InvalidInput,
               "S3 multipart parts must be at least 5 MiB, not {} bytes", bytes);
  }
  part_size_ = bytes;
}

S3Client::Target S3Client::target(const std::string& bucket, const std::string& key) const {
  Target t;
  if (path_style_) {
    t.endpoint = service_endpoint(context_, "s3");
    t.path = "/" + bucket + (key.empty() ? "" : "/" + uri_encode(key, true));
  } else {
    t.endpoint =
        parse_endpoint(fmt::format("https://{}.s3.{}.amazonaws.com", bucket, context_.region));
    t.path = "/" + uri_encode(key, true);
  }
  return t;
}

HttpResponse S3Client::call(const std::string& what, const std::string& bucket,
                            const std::string& key, HttpRequest request) {
  const Target t = target(bucket, key);
  request.path = t.path;
  auto response = send(context_, "s3", t.endpoint, request);
  if (response.status >= 200 && response.status < 300) {
    return response;
  }
  const std::string code = xml_text(response.body, "Code");
  const std::string message = xml_text(response.body, "Message");
  const core::ErrorKind kind =
      response.status == 404 ? core::ErrorKind::NotFound : core::ErrorKind::Io;
  core::fail(kind, "S3 {} s3://{}/{} at {}: HTTP {}{}{}{}", what, bucket, key, t.endpoint.origin,
             response.status, code.empty() ? "" : " ", code,
             message.empty() ? "" : ": " + message.substr(0, 300));
}

void S3Client::create_bucket(const std::string& bucket) {
  HttpRequest request{"PUT", "", "", {}, "", false};
  if (context_.region != "us-east-1") {
    request.body = fmt::format(
        "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        "<LocationConstraint>{}</LocationConstraint></CreateBucketConfiguration>",
        context_.region);
  }
  call("CreateBucket", bucket, "", request);
}

std::optional<S3ObjectInfo> S3Client::head(const std::string& bucket, const std::string& key) {
  const Target t = target(bucket, key);
  HttpRequest request{"HEAD", t.path, "", {}, "", false};
  const auto response = send(context_, "s3", t.endpoint, request);
  if (response.status == 404) {
    return std::nullopt;
  }
  if (response.status < 200 || response.status >= 300) {
    core::fail(core::ErrorKind::Io, "S3 HeadObject s3://{}/{} at {}: HTTP {}", bucket, key,
               t.endpoint.origin, response.status);
  }
  S3ObjectInfo info;
  info.key = key;
  if (auto it = response.headers.find("content-length"); it != response.headers.end()) {
    info.size = std::stoull(it->second);
  }
  if (auto it = response.headers.find("etag"); it != response.headers.end()) {
    info.etag = unquote(it->second);
  }
  for (const auto& [name, value] : response.headers) {
    if (name.rfind("x-amz-meta-", 0) == 0) {
      info.metadata[name.substr(11)] = value;
    }
  }
  return info;
}

void S3Client::put(const std::string& bucket, const std::string& key, const std::string& body,
                   const std::map<std::string, std::string>& metadata) {
  HttpRequest request{"PUT", "", "", {}, body, false};
  for (const auto& [name, value] : metadata) {
    request.headers["x-amz-meta-" + name] = value;
  }
  call("PutObject", bucket, key, request);
}

S3PutResult S3Client::put_file(const std::string& bucket, const std::string& key,
                               const fs::path& file,
                               const std::map<std::string, std::string>& metadata) {
  S3PutResult result;
  result.uploaded = true;
  result.bytes = fs::file_size(file);
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    core::fail(core::ErrorKind::Io, "cannot read '{}'", file.string());
  }
  if (result.bytes <= part_size_) {
    std::string body(result.bytes, '\0');
    in.read(body.data(), static_cast<std::streamsize>(body.size()));
    put(bucket, key, body, metadata);
    return result;
  }
  HttpRequest create{"POST", "", "uploads", {}, "", false};
  for (const auto& [name, value] : metadata) {
    create.headers["x-amz-meta-" + name] = value;
  }
  const std::string upload_id =
      xml_text(call("CreateMultipartUpload", bucket, key, create).body, "UploadId");
  if (upload_id.empty()) {
    core::fail(core::ErrorKind::Io,
               "S3 CreateMultipartUpload s3://{}/{}: no UploadId in the answer", bucket, key);
  }
  try {
    std::string complete = "<CompleteMultipartUpload>";
    std::string part(part_size_, '\0');
    for (int number = 1;; ++number) {
      in.read(part.data(), static_cast<std::streamsize>(part_size_));
      const auto n = static_cast<std::size_t>(in.gcount());
      if (n == 0) {
        break;
      }
      HttpRequest upload{"PUT",
                         "",
                         fmt::format("partNumber={}&uploadId={}", number, upload_id),
                         {},
                         part.substr(0, n),
                         false};
      const auto answer = call("UploadPart", bucket, key, upload);
      const auto etag = answer.headers.find("etag");
      if (etag == answer.headers.end()) {
        core::fail(core::ErrorKind::Io, "S3 UploadPart {} of s3://{}/{}: no ETag in the answer",
                   number, bucket, key);
      }
      complete += fmt::format("<Part><PartNumber>{}</PartNumber><ETag>{}</ETag></Part>", number,
                              etag->second);
      result.parts = number;
    }
    complete += "</CompleteMultipartUpload>";
    HttpRequest finish{
        "POST",   "",   "uploadId=" + upload_id, {{"content-type", "application/xml"}},
        complete, false};
    const auto answer = call("CompleteMultipartUpload", bucket, key, finish);
    // S3 can answer 200 with an error document.
    if (answer.body.find("<Error>") != std::string::npos) {
      core::fail(core::ErrorKind::Io, "S3 CompleteMultipartUpload s3://{}/{}: {}", bucket, key,
                 xml_text(answer.body, "Code"));
    }
  } catch (...) {
    try {
      HttpRequest abort{"DELETE", "", "uploadId=" + upload_id, {}, "", false};
      call("AbortMultipartUpload", bucket, key, abort);
    } catch (...) {
      // The original error is the one to report; S3 lifecycle rules clean abandoned parts.
    }
    throw;
  }
  return result;
}

S3PutResult S3Client::put_file_if_changed(const std::string& bucket, const std::string& key,
                                          const fs::path& file) {
  const std::string sha = core::sha256_file(file).sha256;
  const auto existing = head(bucket, key);
  if (existing && existing->metadata.count("sha256") && existing->metadata.at("sha256") == sha &&
      existing->size == fs::file_size(file)) {
    return {false, existing->size, 0};
  }
  return put_file(bucket, key, file, {{"sha256", sha}});
}

std::string S3Client::get(const std::string& bucket, const std::string& key) {
  return call("GetObject", bucket, key, {"GET", "", "", {}, "", false}).body;
}

std::uint64_t S3Client::get_to_file(const std::string& bucket, const std::string& key,
                                    const fs::path& file) {
  fs::create_directories(file.parent_path());
  const fs::path tmp = core::temp_path_for(file);
  std::uint64_t bytes = 0;
  for (int attempt = 1;; ++attempt) {
    bytes = 0;
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      core::fail(core::ErrorKind::Io, "cannot write '{}'", tmp.string());
    }
    const Target t = target(bucket, key);
    HttpRequest request{"GET", t.path, "", {}, "", true};
    HttpResponse response;
    try {
      response = send(context_, "s3", t.endpoint, request, [&](const char* data, std::size_t n) {
        out.write(data, static_cast<std::streamsize>(n));
        bytes += n;
      });
    } catch (const core::AppError&) {
      if (attempt >= context_.max_attempts) {
        out.close();
        fs::remove(tmp);
        throw;
      }
      continue;
    }
    if (response.status >= 500 && attempt < context_.max_attempts) {
      continue;
    }
    if (response.status < 200 || response.status >= 300) {
      out.close();
      fs::remove(tmp);
      core::fail(response.status == 404 ? core::ErrorKind::NotFound : core::ErrorKind::Io,
                 "S3 GetObject s3://{}/{} at {}: HTTP {} {}", bucket, key, t.endpoint.origin,
                 response.status, xml_text(response.body, "Code"));
    }
    out.flush();
    if (!out) {
      core::fail(core::ErrorKind::Io, "cannot write '{}'", tmp.string());
    }
    break;
  }
  core::publish(tmp, file);
  return bytes;
}

std::vector<S3ObjectInfo> S3Client::list(const std::string& bucket, const std::string& prefix,
                                         int page_size) {
  if (prefix.find('&') != std::string::npos) {
    core::fail(core::ErrorKind::InvalidInput, "S3 prefix '{}' may not contain '&'", prefix);
  }
  std::vector<S3ObjectInfo> objects;
  std::string token;
  while (true) {
    std::string query = fmt::format("list-type=2&max-keys={}&prefix={}", page_size, prefix);
    if (!token.empty()) {
      query += "&continuation-token=" + token;
    }
    const auto body = call("ListObjectsV2", bucket, "", {"GET", "", query, {}, "", false}).body;
    std::size_t pos = 0;
    while ((pos = body.find("<Contents>", pos)) != std::string::npos) {
      const auto end = body.find("</Contents>", pos);
      const std::string item = body.substr(pos, end - pos);
      S3ObjectInfo info;
      info.key = xml_text(item, "Key");
      info.size = std::stoull("0" + xml_text(item, "Size"));
      info.etag = unquote(xml_text(item, "ETag"));
      objects.push_back(std::move(info));
      pos = end;
    }
    if (xml_text(body, "IsTruncated") != "true") {
      break;
    }
    token = xml_text(body, "NextContinuationToken");
    if (token.empty()) {
      core::fail(core::ErrorKind::Io,
                 "S3 ListObjectsV2 s3://{}/{}: truncated without a continuation token", bucket,
                 prefix);
    }
  }
  return objects;
}

}  // namespace aa::aws
