#include "http/static_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <sstream>

#include "http/compression.h"
#include "http/responses.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

bool safe_relative_path(const std::string& path) {
  static const std::regex kSafe(
      R"(([A-Za-z0-9_-][A-Za-z0-9._-]*)(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*)");
  return std::regex_match(path, kSafe) && path.find("..") == std::string::npos;
}

const char* content_type(const std::string& path) {
  struct Type {
    const char* ext;
    const char* mime;
  };
  static const Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".ts", "text/plain; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const Type& t : kTypes) {
    const std::string ext = t.ext;
    if (path.size() >= ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0) {
      return t.mime;
    }
  }
  return "application/octet-stream";
}

// A file as served: its bytes, precompressed siblings and validator, read once and kept
// until the file's modification time or size changes.
struct CachedFile {
  std::filesystem::file_time_type modified;
  std::uintmax_t size = 0;
  std::shared_ptr<const std::string> body, brotli, gzip;  // brotli/gzip empty if absent
  std::string etag;                                       // of `body`, unquoted
};

// Reads a regular file whole. A directory, device or socket is not a file to serve:
// opening a directory "succeeds" on Linux and reads as empty.
std::shared_ptr<const std::string> read_regular_file(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return nullptr;
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (!in && !in.eof()) return nullptr;
  return std::make_shared<const std::string>(buffer.str());
}

class StaticFileCache {
 public:
  explicit StaticFileCache(const std::string& root) {
    std::error_code error;
    root_ = std::filesystem::weakly_canonical(root, error);
  }

  // The file at `path` (inside the web root once symlinks are resolved), or null.
  std::shared_ptr<const CachedFile> get(const std::string& path) {
    std::error_code error;
    const std::filesystem::path real = std::filesystem::canonical(path, error);
    if (error || !inside_root(real) || !std::filesystem::is_regular_file(real, error)) {
      return nullptr;
    }
    const auto modified = std::filesystem::last_write_time(real, error);
    const auto size = std::filesystem::file_size(real, error);
    if (error) return nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = files_.find(real.string());
      if (it != files_.end() && it->second->modified == modified && it->second->size == size) {
        return it->second;
      }
    }
    auto file = std::make_shared<CachedFile>();
    file->modified = modified;
    file->size = size;
    file->body = read_regular_file(real);
    if (!file->body) return nullptr;
    static const auto kNone = std::make_shared<const std::string>();
    file->brotli = sibling(real, ".br");
    file->gzip = sibling(real, ".gz");
    if (!file->brotli) file->brotli = kNone;
    if (!file->gzip) file->gzip = kNone;
    file->etag = sha256_hex(*file->body).substr(0, 32);
    std::lock_guard<std::mutex> lock(mutex_);
    files_[real.string()] = file;
    return file;
  }

 private:
  bool inside_root(const std::filesystem::path& real) const {
    auto [root_end, _] = std::mismatch(root_.begin(), root_.end(), real.begin(), real.end());
    return root_end == root_.end();
  }
  // A precompressed sibling (NAME.br, NAME.gz) inside the web root, or null.
  std::shared_ptr<const std::string> sibling(const std::filesystem::path& real,
                                             const char* suffix) const {
    std::error_code error;
    const auto path = std::filesystem::canonical(real.string() + suffix, error);
    if (error || !inside_root(path)) return nullptr;
    return read_regular_file(path);
  }

  std::filesystem::path root_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const CachedFile>> files_;
};

// Serves the first file of `candidates` that exists; false if none does. A precompressed
// sibling is sent as is when the request accepts its encoding.
bool serve_file(StaticFileCache& cache, const Request& req, Response& res,
                std::initializer_list<std::string> candidates, bool any_origin) {
  static const std::regex kHashed(R"(.*\.[0-9a-f]{8,}\.[A-Za-z0-9]+$)");
  for (const std::string& path : candidates) {
    std::shared_ptr<const CachedFile> file = cache.get(path);
    if (!file) continue;
    if (std::regex_match(path, kHashed)) {
      res.set_header("Cache-Control", "public, max-age=31536000, immutable");
    } else {
      res.set_header("Cache-Control", "no-cache");
    }
    // Public files without credentials: any page may load the widget.
    if (any_origin) res.set_header("Access-Control-Allow-Origin", "*");
    res.set_header("Vary", "Accept-Encoding");
    const Encoding encoding = preferred_encoding(req, !file->brotli->empty(), !file->gzip->empty());
    std::string etag = file->etag;
    std::shared_ptr<const std::string> body = file->body;
    if (encoding == Encoding::kBrotli) {
      body = file->brotli;
      etag += "-br";
    } else if (encoding == Encoding::kGzip) {
      body = file->gzip;
      etag += "-gz";
    }
    etag = "\"" + etag + "\"";
    res.set_header("ETag", etag);
    if (req.get_header_value("If-None-Match") == etag) {
      res.status = 304;
      return true;
    }
    res.status = 200;
    send_prepared(res, std::move(body), content_type(path), encoding);
    return true;
  }
  return false;
}

void not_found(Response& res) { send_error(res, 404, "not_found", "no such file"); }

// The staff app runs only as itself: its own scripts and styles, the engine's WebAssembly,
// requests to this server only, never inside another site's frame.
void staff_app_headers(Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
                 "img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; "
                 "form-action 'self'; frame-ancestors 'none'");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "same-origin");
}

}  // namespace

void register_static_routes(Router& server, AppContext& app) {
  const std::string root = app.settings.web_root;
  auto cache = std::make_shared<StaticFileCache>(root);
  server.Get("/", [root, cache](const Request& req, Response& res) {
    if (!serve_file(*cache, req, res, {root + "/demo/index.html", root + "/index.html"}, false)) {
      not_found(res);
    }
  });
  server.Get("/manage", [root, cache](const Request& req, Response& res) {
    if (!serve_file(*cache, req, res, {root + "/manage.html", root + "/manage/index.html"},
                    false)) {
      not_found(res);
    }
  });
  server.Get(R"(/staff/?)", [root, cache](const Request& req, Response& res) {
    staff_app_headers(res);
    if (!serve_file(*cache, req, res, {root + "/staff/index.html"}, false)) not_found(res);
  });
  server.Get(R"(/staff/assets/(.+))", [root, cache](const Request& req, Response& res) {
    const std::string name = req.matches[1];
    staff_app_headers(res);
    if (!safe_relative_path(name) ||
        !serve_file(*cache, req, res, {root + "/staff/" + name}, false)) {
      not_found(res);
    }
  });
  server.Get(R"(/widget/(.+))", [root, cache](const Request& req, Response& res) {
    const std::string name = req.matches[1];
    if (!safe_relative_path(name) ||
        !serve_file(*cache, req, res, {root + "/" + name, root + "/widget/" + name}, true)) {
      not_found(res);
    }
  });
  server.Get(R"(/demo/(.+))", [root, cache](const Request& req, Response& res) {
    const std::string name = req.matches[1];
    if (!safe_relative_path(name) ||
        !serve_file(*cache, req, res, {root + "/demo/" + name}, false)) {
      not_found(res);
    }
  });
}

}  // namespace slotbook::server
