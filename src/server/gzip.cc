#include "server/gzip.h"

#include <zlib.h>

#include <stdexcept>

namespace aa::server {

namespace {

// A deflate stream writing the gzip format; deflateEnd when it goes out of scope.
class GzipStream {
 public:
  explicit GzipStream(int level) {
    if (deflateInit2(&z_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw std::runtime_error("deflateInit2 failed");
    }
  }
  ~GzipStream() { deflateEnd(&z_); }
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  // All of `data`, compressed in one call.
  std::string compress(const std::string& data) {
    std::string out(deflateBound(&z_, data.size()), '\0');
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z_.avail_in = static_cast<uInt>(data.size());
    z_.next_out = reinterpret_cast<Bytef*>(out.data());
    z_.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z_, Z_FINISH);
    out.resize(z_.total_out);
    if (rc != Z_STREAM_END) {
      throw std::runtime_error("deflate failed");
    }
    return out;
  }

 private:
  z_stream z_{};
};

}  // namespace

std::string gzip(const std::string& data, int level) { return GzipStream(level).compress(data); }

}  // namespace aa::server
