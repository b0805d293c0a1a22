#include "server/static_files.h"

#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>

#include "server/gzip.h"
#include "server/responses.h"

namespace aa::server {

namespace {

struct StaticFile {
  std::string type;
  std::shared_ptr<const std::string> raw;
  std::shared_ptr<const std::string> gzipped;  // null when not worth it
};

std::string mime_type(const fs::path& file) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"}};
  const auto it = types.find(file.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

std::map<std::string, StaticFile> load_static(const fs::path& root) {
  std::map<std::string, StaticFile> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) {
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    StaticFile file;
    file.type = mime_type(entry.path());
    const bool text = file.type.rfind("text/", 0) == 0 || file.type == "application/json" ||
                      file.type == "image/svg+xml";
    if (text && bytes.size() >= 1024) {
      file.gzipped = std::make_shared<const std::string>(gzip(bytes, 9));
    }
    file.raw = std::make_shared<const std::string>(std::move(bytes));
    files["/" + fs::relative(entry.path(), root).generic_string()] = std::move(file);
  }
  return files;
}

}  // namespace

void serve_static(httplib::Server& http, const fs::path& root) {
  auto files = std::make_shared<std::map<std::string, StaticFile>>(load_static(root));
  http.Get(".*", [files](const httplib::Request& request, httplib::Response& response) {
    const std::string path = request.path == "/" ? "/index.html" : request.path;
    const auto it = files->find(path);
    if (it == files->end()) {
      send_error(response, 404, "not found: " + request.path);
      return;
    }
    const StaticFile& file = it->second;
    // Vite names assets by their content hash: they never change under the same name.
    response.set_header("Cache-Control", path.rfind("/assets/", 0) == 0
                                             ? "public, max-age=31536000, immutable"
                                             : "no-cache");
    const bool gz = file.gzipped && accepts_gzip(request);
    send_bytes(response, gz ? file.gzipped : file.raw, file.type, gz);
  });
}

}  // namespace aa::server
