#include "account_commands.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "accounts/account_service.h"
#include "common/clock.h"
#include "storage/open_storage.h"

namespace slotbook::server {
namespace {

const Actor kOperator{"cli", "", "booking-server (command line)"};

std::string optional_text(const std::string& text) { return text.empty() ? "-" : text; }

// Runs `work` with an account service over `db`; prints a failure and returns 1.
template <typename Work>
int with_accounts(const std::string& db, Work&& work) {
  auto opened = open_storage(db, 1);
  if (!opened.ok()) {
    std::fprintf(stderr, "cannot open database: %s\n", opened.error().message.c_str());
    return 1;
  }
  const SystemClock clock;
  AccountService accounts(*opened->storage, clock, "");
  Status done = work(accounts);
  if (!done.ok()) {
    std::fprintf(stderr, "%s: %s\n", done.error().code.c_str(), done.error().message.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

AccountCommands::AccountCommands(CLI::App& cli) {
  CLI::App* user = cli.add_subcommand("user", "staff accounts: add, list, disable");
  CLI::App* key = cli.add_subcommand("key", "named API keys: add, list, revoke");
  auto with_db = [this](CLI::App* command) {
    command->add_option("--db", db_, "SQLite database file or PostgreSQL URI")->required();
    return command;
  };
  user_add_ = with_db(user->add_subcommand("add", "add a user; the password is read from stdin"));
  user_add_->add_option("--email", email_, "sign-in email")->required();
  user_add_->add_option("--role", role_, "admin, front_desk or practitioner")
      ->required()
      ->check(CLI::IsMember({"admin", "front_desk", "practitioner"}));
  user_add_->add_option("--clinic", clinic_, "the clinic the user works for (default: every one)");
  user_add_->add_option("--practitioner", practitioner_, "practitioners: whose schedule is theirs");
  user_list_ = with_db(user->add_subcommand("list", "list users"));
  user_disable_ = with_db(user->add_subcommand("disable", "disable a user and end their sessions"));
  user_disable_->add_option("--email,email", email_, "the user's email or id")->required();
  user->require_subcommand(1);
  key_add_ = with_db(key->add_subcommand("add", "make an API key and print it (once)"));
  key_add_->add_option("--name", name_, "what the key is for")->required();
  key_add_->add_option("--clinic", clinic_, "the key's clinic (default: every clinic)");
  key_list_ = with_db(key->add_subcommand("list", "list API keys"));
  key_list_->add_option("--clinic", clinic_, "only this clinic's keys");
  key_revoke_ = with_db(key->add_subcommand("revoke", "revoke an API key at once"));
  key_revoke_->add_option("--id,id", id_, "the key's id (key_...)")->required();
  key->require_subcommand(1);
}

bool AccountCommands::run(int* exit_code) {
  if (*user_add_) return *exit_code = user_add(), true;
  if (*user_list_) return *exit_code = user_list(), true;
  if (*user_disable_) return *exit_code = user_disable(), true;
  if (*key_add_) return *exit_code = key_add(), true;
  if (*key_list_) return *exit_code = key_list(), true;
  if (*key_revoke_) return *exit_code = key_revoke(), true;
  return false;
}

int AccountCommands::user_add() {
  if (isatty(STDIN_FILENO)) std::fprintf(stderr, "password: ");
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return with_accounts(db_, [&](AccountService& accounts) -> Status {
    NewUser user{email_, password, parse_role(role_).value_or(Role::kFrontDesk), clinic_,
                 practitioner_};
    auto added = accounts.add_user(user, kOperator);
    if (!added.ok()) return added.error();
    std::printf(
        "user %s added: %s, %s%s\n", added->id.c_str(), added->email.c_str(), added->role.c_str(),
        added->clinic_id.empty() ? ", every clinic" : (", clinic " + added->clinic_id).c_str());
    return Status();
  });
}

int AccountCommands::user_list() {
  return with_accounts(db_, [&](AccountService& accounts) -> Status {
    auto users = accounts.users();
    if (!users.ok()) return users.error();
    for (const StaffUserRecord& u : *users) {
      std::printf("%s\t%s\t%s\tclinic=%s\tpractitioner=%s\t%s\n", u.id.c_str(), u.email.c_str(),
                  u.role.c_str(), optional_text(u.clinic_id).c_str(),
                  optional_text(u.practitioner_id).c_str(), u.disabled_at ? "disabled" : "active");
    }
    return Status();
  });
}

int AccountCommands::user_disable() {
  return with_accounts(db_, [&](AccountService& accounts) -> Status {
    auto user = accounts.disable_user(email_, kOperator);
    if (!user.ok()) return user.error();
    std::printf("user %s disabled; their sessions are ended\n", user->email.c_str());
    return Status();
  });
}

int AccountCommands::key_add() {
  return with_accounts(db_, [&](AccountService& accounts) -> Status {
    auto created = accounts.create_key(name_, clinic_, kOperator);
    if (!created.ok()) return created.error();
    std::fprintf(stderr, "API key %s (%s): shown once, keep it now\n", created->key.id.c_str(),
                 created->key.name.c_str());
    std::printf("%s\n", created->secret.c_str());
    return Status();
  });
}

int AccountCommands::key_list() {
  return with_accounts(db_, [&](AccountService& accounts) -> Status {
    auto keys = accounts.keys(clinic_);
    if (!keys.ok()) return keys.error();
    for (const ApiKeyRecord& k : *keys) {
      std::printf("%s\t%s\t%s...\tclinic=%s\t%s\n", k.id.c_str(), k.name.c_str(), k.prefix.c_str(),
                  optional_text(k.clinic_id).c_str(), k.revoked_at ? "revoked" : "active");
    }
    return Status();
  });
}

int AccountCommands::key_revoke() {
  return with_accounts(db_, [&](AccountService& accounts) -> Status {
    auto key = accounts.revoke_key(id_, kOperator);
    if (!key.ok()) return key.error();
    std::printf("key %s (%s) revoked\n", key->id.c_str(), key->name.c_str());
    return Status();
  });
}

}  // namespace slotbook::server
