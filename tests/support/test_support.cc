#include "support/test_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace aa::test {

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "aa-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) {
    throw std::runtime_error("mkdtemp failed");
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void write_text(const fs::path& path, const std::string& text) {
  if (path.has_parent_path()) {
    fs::create_directories(path.parent_path());
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env, const fs::path& cwd) {
  TempDir io;
  const fs::path out_path = io / "stdout";
  const fs::path err_path = io / "stderr";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (!cwd.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  }
  std::vector<std::string> env_strings;
  for (char** e = environ; e && *e; ++e) {
    const std::string entry(*e);
    const std::string key = entry.substr(0, entry.find('='));
    if (entry.rfind("AIRLINE_", 0) != 0 && env.count(key) == 0) {
      env_strings.push_back(entry);
    }
  }
  for (const auto& [k, v] : env) {
    env_strings.push_back(k + "=" + v);
  }
  std::vector<char*> envp;
  for (auto& s : env_strings) {
    envp.push_back(s.data());
  }
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> c_args;
  for (auto& a : args) {
    c_args.push_back(a.data());
  }
  c_args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, c_args[0], &actions, nullptr, c_args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ProcessResult result;
  if (rc != 0) {
    result.err = "posix_spawn failed for " + argv[0];
    return result;
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_text(out_path);
  result.err = read_text(err_path);
  return result;
}

ProcessResult run_cli(const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env, const fs::path& cwd) {
  std::vector<std::string> argv = {cli_binary().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, env, cwd);
}

fs::path cli_binary() { return AA_TEST_CLI; }
fs::path source_dir() { return AA_TEST_SOURCE_DIR; }
fs::path real_data_dir() {
  const char* override_dir = std::getenv("AA_REAL_DATA_DIR");
  return override_dir ? fs::path(override_dir)
                      : fs::path(AA_TEST_SOURCE_DIR) / ".." / "shared" / "data" / "airline-loyalty";
}
fs::path python() { return fs::path(AA_TEST_SOURCE_DIR) / ".venv" / "bin" / "python"; }

}  // namespace aa::test

namespace aa::test {

namespace {

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

bool answers(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

MotoServer::MotoServer() {
  const fs::path server = fs::path(AA_TEST_SOURCE_DIR) / ".venv" / "bin" / "moto_server";
  if (!fs::exists(server)) {
    throw std::runtime_error(server.string() + " is missing: run `make deps-python`");
  }
  const int port = free_port();
  url_ = "http://127.0.0.1:" + std::to_string(port);
  const std::string port_text = std::to_string(port);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // stops with the test process, however that ends
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
    ::execl(server.c_str(), server.c_str(), "-H", "127.0.0.1", "-p", port_text.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  for (int i = 0; i < 300 && !answers(port); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!answers(port)) {
    throw std::runtime_error("moto_server did not start on " + url_);
  }
}

MotoServer::~MotoServer() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

std::map<std::string, std::string> MotoServer::env() const {
  return {{"AWS_ACCESS_KEY_ID", "testing"},
          {"AWS_SECRET_ACCESS_KEY", "testing"},
          {"AWS_REGION", "us-east-1"},
          {"AWS_ENDPOINT_URL", url_}};
}

}  // namespace aa::test
