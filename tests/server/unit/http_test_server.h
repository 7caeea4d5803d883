// A scripted HTTP server on 127.0.0.1 for the HTTP client tests (notify transports, calendar
// and video providers): it answers canned replies, one connection each, on a thread, and
// keeps what the client sent. Every wait is bounded, so a client that never comes cannot
// hang a test.
#ifndef SLOTBOOK_TESTS_SERVER_UNIT_HTTP_TEST_SERVER_H_
#define SLOTBOOK_TESTS_SERVER_UNIT_HTTP_TEST_SERVER_H_

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstddef>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace slotbook::server::testing {

inline constexpr int kServerWaitMs = 5000;  // every wait of the test servers is bounded by this

inline bool wait_readable(int fd, int timeout_ms) {
  pollfd entry{fd, POLLIN, 0};
  return poll(&entry, 1, timeout_ms) == 1;
}

// A free TCP port on 127.0.0.1 (bound, read and released; fine for a test).
inline int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t size = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  close(fd);
  return ntohs(address.sin_port);
}

// A whole HTTP/1.1 answer with a JSON body that closes the connection after it.
inline std::string http_reply(int status, const std::string& reason, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

// For each of `replies` in turn: accepts one connection, reads the request (headers and a
// Content-Length body), answers the reply verbatim and closes. An empty reply is never
// answered: the server keeps that connection until the client gives up, and stops there.
// The replies must close the connection ("Connection: close"), so the client's next
// request comes on a new one.
class CannedHttpServer {
 public:
  explicit CannedHttpServer(std::string reply)
      : CannedHttpServer(std::vector<std::string>{std::move(reply)}) {}
  explicit CannedHttpServer(std::vector<std::string> replies)
      : CannedHttpServer([&replies](const std::string&) { return std::move(replies); }) {}
  // Replies that name the server's own address (an absolute next-page link, say): made
  // from the base URL ("http://127.0.0.1:<port>") once the server listens.
  explicit CannedHttpServer(
      const std::function<std::vector<std::string>(const std::string& base)>& make_replies) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(listen(listener_, 1) == 0);
    socklen_t size = sizeof address;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
    replies_ = make_replies(url(""));
    thread_ = std::thread([this] { serve(); });
  }
  ~CannedHttpServer() {
    if (thread_.joinable()) thread_.join();
    close(listener_);
  }
  CannedHttpServer(const CannedHttpServer&) = delete;
  CannedHttpServer& operator=(const CannedHttpServer&) = delete;

  std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  // The first request the client sent, once the server is done ("" if none came).
  const std::string& request() {
    static const std::string kNone;
    return requests().empty() ? kNone : requests_.front();
  }
  // Every request, in order, once the server is done.
  const std::vector<std::string>& requests() {
    if (thread_.joinable()) thread_.join();
    return requests_;
  }

 private:
  void serve() {
    for (const std::string& reply : replies_) {
      if (!wait_readable(listener_, kServerWaitMs)) return;
      const int connection = accept(listener_, nullptr, nullptr);
      if (connection < 0) return;
      requests_.push_back(read_request(connection));
      if (reply.empty()) {
        char discard[256];
        while (wait_readable(connection, kServerWaitMs) &&
               recv(connection, discard, sizeof discard, 0) > 0) {
        }
        close(connection);
        return;
      }
      send(connection, reply.data(), reply.size(), MSG_NOSIGNAL);
      close(connection);
    }
  }

  static std::string read_request(int connection) {
    std::string request;
    std::size_t wanted = std::string::npos;  // the whole request's size, once headers are in
    char buffer[4096];
    while (request.size() < wanted && wait_readable(connection, kServerWaitMs)) {
      const ssize_t got = recv(connection, buffer, sizeof buffer, 0);
      if (got <= 0) break;
      request.append(buffer, static_cast<std::size_t>(got));
      const std::size_t end = request.find("\r\n\r\n");
      if (wanted == std::string::npos && end != std::string::npos) {
        wanted = end + 4 + content_length(request.substr(0, end));
      }
    }
    return request;
  }

  static std::size_t content_length(const std::string& head) {
    std::string lower = head;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::size_t at = lower.find("\r\ncontent-length:");
    return at == std::string::npos ? 0 : std::stoul(head.substr(at + 17));
  }

  std::vector<std::string> replies_;
  int listener_ = -1;
  int port_ = 0;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace slotbook::server::testing

#endif  // SLOTBOOK_TESTS_SERVER_UNIT_HTTP_TEST_SERVER_H_
