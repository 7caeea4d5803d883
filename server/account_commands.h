// booking-server's account subcommands, run against a database and exiting:
//
//   booking-server user add --db DB --email E --role admin|front_desk|practitioner
//                           [--clinic ID] [--practitioner ID]   (password from stdin)
//   booking-server user list --db DB
//   booking-server user disable --db DB --email E
//   booking-server key add --db DB --name N [--clinic ID]       (prints the key once)
//   booking-server key list --db DB [--clinic ID]
//   booking-server key revoke --db DB --id ID
//
// Each change is audited as the server's operator ("cli").
#ifndef SLOTBOOK_SERVER_ACCOUNT_COMMANDS_H_
#define SLOTBOOK_SERVER_ACCOUNT_COMMANDS_H_

#include <CLI/CLI.hpp>

namespace slotbook::server {

class AccountCommands {
 public:
  // Adds the `user` and `key` subcommands to `cli`.
  explicit AccountCommands(CLI::App& cli);
  // After parsing: whether one of them was given, and then its exit code in *exit_code.
  bool run(int* exit_code);

 private:
  int user_add();
  int user_list();
  int user_disable();
  int key_add();
  int key_list();
  int key_revoke();

  CLI::App* user_add_ = nullptr;
  CLI::App* user_list_ = nullptr;
  CLI::App* user_disable_ = nullptr;
  CLI::App* key_add_ = nullptr;
  CLI::App* key_list_ = nullptr;
  CLI::App* key_revoke_ = nullptr;
  std::string db_, email_, role_, clinic_, practitioner_, name_, id_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_ACCOUNT_COMMANDS_H_
