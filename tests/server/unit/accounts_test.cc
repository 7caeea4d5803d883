// Staff accounts (accounts/): sessions end when idle or old, sign-in waits double after
// repeated failures, revoked keys stop at once, and changes leave audit entries. On both
// backends (server_unit_postgres), with a clock the tests move.
#include <catch2/catch.hpp>

#include "accounts/account_service.h"
#include "accounts/login_throttle.h"
#include "accounts/password_hash.h"
#include "service_fixture.h"

namespace slotbook::server::testing {
namespace {

const Actor kTester{"user", "usr_test", "tester@example.org"};

std::string sign_in(AccountService& accounts, const char* email, const char* password) {
  auto signed_in = accounts.sign_in(email, password, "192.0.2.1", "");
  REQUIRE(signed_in.ok());
  return signed_in->token;
}

TEST_CASE("Argon2id hashes verify only their password") {
  auto hash = hash_password("correct horse battery");
  REQUIRE(hash.ok());
  CHECK(hash->rfind("$argon2id$", 0) == 0);
  CHECK(verify_password(*hash, "correct horse battery"));
  CHECK_FALSE(verify_password(*hash, "correct horse batterx"));
  CHECK_FALSE(verify_password("not a hash", "correct horse battery"));
  CHECK_FALSE(check_new_password("short").ok());
}

TEST_CASE("sessions end after 8 idle hours, after 7 days, and when signed out") {
  ServiceFixture f;
  AccountService accounts(*f.storage, f.clock, "");
  REQUIRE(
      accounts
          .add_user({"Desk@Example.org", "front desk password", Role::kFrontDesk, "testclinic", ""},
                    kTester)
          .ok());
  const std::string token = sign_in(accounts, "desk@example.org", "front desk password");
  auto alive = [&](const std::string& t) {
    auto principal = accounts.session(t);
    REQUIRE(principal.ok());
    return principal->has_value();
  };
  CHECK(alive(token));
  CHECK_FALSE(alive(token + "x"));
  // Used every 7 hours it lives on, until its seventh day.
  for (int i = 0; i < 23; ++i) {
    f.clock.advance(std::chrono::hours(7));
    REQUIRE(alive(token));
  }
  f.clock.advance(std::chrono::hours(7));  // 168 hours since sign-in
  CHECK_FALSE(alive(token));
  const std::string idle = sign_in(accounts, "desk@example.org", "front desk password");
  f.clock.advance(std::chrono::hours(8));
  CHECK_FALSE(alive(idle));
  const std::string ended = sign_in(accounts, "desk@example.org", "front desk password");
  REQUIRE(accounts.sign_out(ended).ok());
  CHECK_FALSE(alive(ended));
  auto principal = accounts.session(sign_in(accounts, "desk@example.org", "front desk password"));
  REQUIRE(principal.ok());
  REQUIRE(principal->has_value());
  CHECK((*principal)->role == Role::kFrontDesk);
  CHECK((*principal)->clinic_id == "testclinic");
  CHECK_FALSE((*principal)->may(Permission::kManageSettings));
  CHECK((*principal)->may(Permission::kChangeBookings));
}

TEST_CASE("sign-in waits double after five failures and a success resets them") {
  LoginThrottle throttle;
  const UtcSeconds t0 = utc("2027-01-11T14:00:00Z");
  for (int i = 0; i < 5; ++i) {
    CHECK(throttle.wait("a@example.org", "192.0.2.1", t0).count() == 0);
    throttle.failed("a@example.org", "192.0.2.1", t0);
  }
  CHECK(throttle.wait("a@example.org", "192.0.2.1", t0).count() == 1);
  throttle.failed("a@example.org", "192.0.2.1", t0 + std::chrono::seconds(1));
  CHECK(throttle.wait("a@example.org", "192.0.2.1", t0 + std::chrono::seconds(1)).count() == 2);
  CHECK(throttle.wait("b@example.org", "192.0.2.9", t0).count() == 0);
  // Fifteen minutes after the last failure, they are forgotten.
  CHECK(throttle.wait("a@example.org", "192.0.2.1", t0 + std::chrono::minutes(16)).count() == 0);
  throttle.succeeded("a@example.org");
  CHECK(throttle.wait("a@example.org", "192.0.2.7", t0).count() == 0);
  // The address keeps counting across accounts: 20 free failures, then waits.
  for (int i = 0; i < 20; ++i) throttle.failed("user" + std::to_string(i), "198.51.100.1", t0);
  CHECK(throttle.wait("someone-else", "198.51.100.1", t0).count() > 0);
}

TEST_CASE("a revoked key stops at once and keys and users leave audit entries") {
  ServiceFixture f;
  REQUIRE(f.service(*f.storage).put_clinic(test_clinic_json()).ok());
  AccountService accounts(*f.storage, f.clock, "the-bootstrap-key");
  auto created = accounts.create_key("EHR", "testclinic", kTester);
  REQUIRE(created.ok());
  auto principal = accounts.key_principal(created->secret);
  REQUIRE(principal.ok());
  REQUIRE(principal->has_value());
  CHECK((*principal)->clinic_id == "testclinic");
  CHECK_FALSE((*principal)->may(Permission::kManageKeys));
  auto bootstrap = accounts.key_principal("the-bootstrap-key");
  REQUIRE(bootstrap.ok());
  REQUIRE(bootstrap->has_value());
  CHECK((*bootstrap)->may(Permission::kManageKeys));
  CHECK(accounts.create_key("EHR", "no-such-clinic", kTester).error().code == "clinic_not_found");
  REQUIRE(accounts.revoke_key(created->key.id, kTester).ok());
  auto revoked = accounts.key_principal(created->secret);
  REQUIRE(revoked.ok());
  CHECK_FALSE(revoked->has_value());
  auto entries = accounts.audit(AuditFilter{});
  REQUIRE(entries.ok());
  REQUIRE(entries->size() >= 2);
  CHECK((*entries)[0].action == "api_key.revoked");
  CHECK((*entries)[1].action == "api_key.created");
  CHECK((*entries)[0].actor_name == "tester@example.org");
  CHECK((*entries)[0].before_json.find("\"revoked\":false") != std::string::npos);
}

}  // namespace
}  // namespace slotbook::server::testing
