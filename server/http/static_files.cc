#include "http/static_files.h"

#include <filesystem>
#include <fstream>
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

// Reads a regular file (following symlinks) whole. A directory, device or socket is not a
// file to serve: opening a directory "succeeds" on Linux and reads as empty.
bool read_file(const std::string& path, std::string* out) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *out = buffer.str();
  return static_cast<bool>(in) || in.eof();
}

// Serves the first readable file of `candidates`; false if none exists. A precompressed
// sibling (NAME.br, NAME.gz) is sent as is when the request accepts its encoding.
bool serve_file(const httplib::Request& req, httplib::Response& res,
                std::initializer_list<std::string> candidates, bool any_origin) {
  static const std::regex kHashed(R"(.*\.[0-9a-f]{8,}\.[A-Za-z0-9]+$)");
  for (const std::string& path : candidates) {
    std::string content;
    if (!read_file(path, &content)) continue;
    if (std::regex_match(path, kHashed)) {
      res.set_header("Cache-Control", "public, max-age=31536000, immutable");
    } else {
      res.set_header("Cache-Control", "no-cache");
    }
    // Public files without credentials: any page may load the widget.
    if (any_origin) res.set_header("Access-Control-Allow-Origin", "*");
    res.set_header("Vary", "Accept-Encoding");
    std::string etag = sha256_hex(content).substr(0, 32);
    std::string brotli, gzip;
    const bool has_brotli = read_file(path + ".br", &brotli);
    const bool has_gzip = read_file(path + ".gz", &gzip);
    Encoding encoding = preferred_encoding(req, has_brotli, has_gzip);
    if (encoding == Encoding::kBrotli) {
      content = std::move(brotli);
      etag += "-br";
    } else if (encoding == Encoding::kGzip) {
      content = std::move(gzip);
      etag += "-gz";
    }
    etag = "\"" + etag + "\"";
    res.set_header("ETag", etag);
    if (req.get_header_value("If-None-Match") == etag) {
      res.status = 304;
      return true;
    }
    res.status = 200;
    send_prepared(res, std::make_shared<const std::string>(std::move(content)), content_type(path),
                  encoding);
    return true;
  }
  return false;
}

void not_found(httplib::Response& res) { send_error(res, 404, "not_found", "no such file"); }

}  // namespace

void register_static_routes(httplib::Server& server, AppContext& app) {
  const std::string root = app.settings.web_root;
  server.Get("/", [root](const httplib::Request& req, httplib::Response& res) {
    if (!serve_file(req, res, {root + "/demo/index.html", root + "/index.html"}, false)) {
      not_found(res);
    }
  });
  server.Get("/manage", [root](const httplib::Request& req, httplib::Response& res) {
    if (!serve_file(req, res, {root + "/manage.html", root + "/manage/index.html"}, false)) {
      not_found(res);
    }
  });
  server.Get(R"(/widget/(.+))", [root](const httplib::Request& req, httplib::Response& res) {
    const std::string name = req.matches[1];
    if (!safe_relative_path(name) ||
        !serve_file(req, res, {root + "/" + name, root + "/widget/" + name}, true)) {
      not_found(res);
    }
  });
  server.Get(R"(/demo/(.+))", [root](const httplib::Request& req, httplib::Response& res) {
    const std::string name = req.matches[1];
    if (!safe_relative_path(name) || !serve_file(req, res, {root + "/demo/" + name}, false)) {
      not_found(res);
    }
  });
}

}  // namespace slotbook::server
