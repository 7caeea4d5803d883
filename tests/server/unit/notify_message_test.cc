// The email-composition leaf of notify/: templates, localized time text and the RFC 5322
// message. Composed messages are parsed back with GMime, so the tests check what a mail
// client would see, not the bytes this module happens to write.
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmime/gmime.h>
#include <nlohmann/json.hpp>

#include "notify/builtin_templates.h"
#include "notify/email_message.h"
#include "notify/local_time_text.h"
#include "notify/message_templates.h"
#include "notify/sms_text.h"

namespace slotbook::server::testing {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kPatientTemplates = {"booking_confirmed", "booking_rescheduled",
                                                    "booking_cancelled", "booking_reminder",
                                                    "booking_meeting"};
const std::vector<std::string> kClinicTemplates = {
    "clinic_booking_created", "clinic_booking_rescheduled", "clinic_booking_cancelled"};
// 60 characters, like a real manage link.
const std::string kManageUrl = "https://bookings.example.org/manage/tk_8f3a9c2e7b1d4f6a0c5e9b";
const std::string kManageShortUrl = "https://bookings.example.org/m?t=8f3a9c2e7b1d";

date::local_seconds appointment_time() {
  return date::local_days{date::year{2027} / 1 / 14} + std::chrono::hours{15};
}

nlohmann::json full_context(const std::string& language) {
  const LocalTimeText when = local_time_text(appointment_time(), language);
  const LocalTimeText before =
      local_time_text(appointment_time() - std::chrono::hours{24 + 6}, language);
  return {{"clinic_name", "Lakeside Clinic"},
          {"patient_name", "Ann Lee"},
          {"practitioner_name", "Dr. Ortiz"},
          {"appointment_type_name", "Checkup"},
          {"date", when.date},
          {"date_short", when.date_short},
          {"time", when.time},
          {"timezone", "America/New_York"},
          {"duration_minutes", 30},
          {"confirmation_number", "K7Q-2X9"},
          {"manage_url", kManageUrl},
          {"manage_short_url", kManageShortUrl},
          {"previous_date", before.date},
          {"previous_time", before.time},
          {"cancel_reason", "Feeling better"},
          {"patient_email", "ann@example.com"},
          {"patient_phone", "+1 555 0100"},
          {"notes", "First visit"},
          {"source", "widget"}};
}

MessageTemplates builtin() {
  auto templates = MessageTemplates::load("");
  REQUIRE(templates.ok());
  return *templates;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A fresh directory under /tmp, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "notify_message_test_XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }
  void write(const std::string& relative, const std::string& text) const {
    const fs::path file = path_ / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
  }

 private:
  fs::path path_;
};

// ---------------------------------------------------------------------------------------
// Templates

TEST_CASE("the built-in set is every template in English and Spanish") {
  std::set<std::string> paths;
  for (std::size_t i = 0; i < kBuiltinTemplateCount; ++i) paths.insert(kBuiltinTemplates[i].path);
  std::set<std::string> expected;
  for (const std::string language : {"en", "es"}) {
    for (const auto& name : kPatientTemplates) {
      for (const std::string part : {"subject", "txt", "html", "sms"}) {
        expected.insert(language + "/" + name + "." + part);
      }
    }
    for (const auto& name : kClinicTemplates) {
      for (const std::string part : {"subject", "txt", "html"}) {
        expected.insert(language + "/" + name + "." + part);
      }
    }
  }
  CHECK(paths == expected);
}

TEST_CASE("every built-in template renders the key facts in English and Spanish") {
  const MessageTemplates templates = builtin();
  for (const std::string language : {"en", "es"}) {
    const nlohmann::json context = full_context(language);
    const std::string date = context["date"], date_short = context["date_short"],
                      time = context["time"];
    std::vector<std::pair<std::string, std::vector<std::string>>> cases;
    for (const auto& name : kPatientTemplates) {
      cases.push_back({name, {"subject", "txt", "html", "sms"}});
    }
    for (const auto& name : kClinicTemplates) cases.push_back({name, {"subject", "txt", "html"}});
    for (const auto& [name, parts] : cases) {
      for (const std::string& part : parts) {
        INFO(language << "/" << name << "." << part);
        auto text = templates.render("clinic-1", language, name, part, context);
        REQUIRE(text.ok());
        CHECK_FALSE(contains(*text, "{{"));
        CHECK(contains(*text, time));
        CHECK(contains(*text, "Lakeside Clinic"));
        if (part == "subject") {
          CHECK(contains(*text, date_short));
          CHECK_FALSE(contains(*text, "\n"));
        } else {
          CHECK(contains(*text, "America/New_York"));
          // Text messages carry the short link (one SMS where possible), emails the full
          // one; the front desk's messages neither (the manage token is the patient's).
          const bool for_clinic = name.rfind("clinic_", 0) == 0;
          CHECK(contains(*text, part == "sms" ? kManageShortUrl : kManageUrl) == !for_clinic);
        }
        if (part == "txt" || part == "html") {
          CHECK(contains(*text, date));
          CHECK(contains(*text, "Checkup"));
          CHECK(contains(*text, "Dr. Ortiz"));
          CHECK(contains(*text, "K7Q-2X9"));
          CHECK(contains(*text, "30"));
        }
        if (part == "sms") {
          CHECK(contains(*text, date_short));
          CHECK_FALSE(contains(*text, "\n"));
          CHECK(text->size() <= 160);
        }
        if ((part == "txt" || part == "html") && contains(name, "rescheduled")) {
          CHECK(contains(*text, context["previous_date"].get<std::string>()));
          CHECK(contains(*text, context["previous_time"].get<std::string>()));
        }
        if ((part == "txt" || part == "html") && contains(name, "cancelled")) {
          CHECK(contains(*text, "Feeling better"));
        }
        if (name.rfind("clinic_", 0) == 0 && part != "subject") {
          CHECK(contains(*text, "ann@example.com"));
          CHECK(contains(*text, "+1 555 0100"));
          CHECK(contains(*text, "First visit"));
        }
        if (name.rfind("clinic_", 0) == 0) CHECK(contains(*text, "Ann Lee"));
        if (part == "html") {
          CHECK(text->rfind("<!DOCTYPE html>", 0) == 0);
          CHECK(contains(*text, "<html lang=\"" + language + "\">"));
          CHECK(contains(*text, "max-width:560px"));
          CHECK(contains(*text, "<h1"));
          CHECK(contains(*text, "<table"));
          CHECK(contains(*text, "href=\"" + kManageUrl + "\"") == (name.rfind("clinic_", 0) != 0));
          CHECK_FALSE(contains(*text, "<img"));
          CHECK_FALSE(contains(*text, "<script"));
          CHECK_FALSE(contains(*text, "<link"));
        }
      }
    }
  }
}

TEST_CASE("the patient messages say what happened, in both languages") {
  const MessageTemplates templates = builtin();
  auto render_txt = [&](const std::string& language, const std::string& name) {
    auto text = templates.render("", language, name, "txt", full_context(language));
    REQUIRE(text.ok());
    return *text;
  };
  CHECK(contains(render_txt("en", "booking_confirmed"), "is confirmed"));
  CHECK(contains(render_txt("en", "booking_confirmed"), "Manage or cancel: " + kManageUrl));
  CHECK(contains(render_txt("en", "booking_rescheduled"), "moved to a new date and time"));
  CHECK(contains(render_txt("en", "booking_cancelled"), "has been cancelled"));
  CHECK(contains(render_txt("en", "booking_reminder"), "is coming up"));
  CHECK(contains(render_txt("es", "booking_confirmed"), "está confirmada"));
  CHECK(contains(render_txt("es", "booking_confirmed"), "Gestionar o cancelar: " + kManageUrl));
  CHECK(contains(render_txt("es", "booking_rescheduled"), "ha cambiado de fecha y hora"));
  CHECK(contains(render_txt("es", "booking_cancelled"), "ha sido cancelada"));
  CHECK(contains(render_txt("es", "booking_reminder"), "Le recordamos"));

  auto html = templates.render("", "es", "booking_confirmed", "html", full_context("es"));
  REQUIRE(html.ok());
  CHECK(contains(*html, "Su cita está confirmada"));
}

TEST_CASE("English SMS use only GSM-7 characters") {
  const MessageTemplates templates = builtin();
  for (const auto& name : kPatientTemplates) {
    auto sms = templates.render("", "en", name, "sms", full_context("en"));
    REQUIRE(sms.ok());
    INFO(*sms);
    for (char c : *sms) {
      const auto byte = static_cast<unsigned char>(c);
      // Printable ASCII minus the few characters GSM-7 lacks or escapes.
      CHECK((byte >= 0x20 && byte < 0x7f));
      CHECK(std::string_view("[]{}\\^~|`").find(c) == std::string_view::npos);
    }
  }
}

TEST_CASE("SMS text keeps to GSM-7 where a close character exists") {
  // Spanish dates from ICU, typographic punctuation, spaces ICU puts in times.
  CHECK(gsm7_where_possible("sáb, 16 ene, mié 9:00\u202fa. m.") == "sab, 16 ene, mié 9:00 a. m.");
  CHECK(gsm7_where_possible("Clínica “Ñandú” – ¿vídeo?…") == "Clinica \"Ñandu\" - ¿video?...");
  // In the alphabet: kept; an accent written apart is the alphabet's letter.
  CHECK(gsm7_where_possible("é è ü ñ à Ç É Ø ß € [x] {y} ~") == "é è ü ñ à Ç É Ø ß € [x] {y} ~");
  CHECK(gsm7_where_possible("Jose\u0301") == "José");
  // No close character (Ł has no decomposition): kept (the message goes as UCS-2).
  CHECK(gsm7_where_possible("Łódź 東京") == "Łodz 東京");
  CHECK(gsm7_where_possible("") == "");
}

TEST_CASE("a BCP 47 tag picks the templates' language, English if it has none") {
  const MessageTemplates templates = builtin();
  CHECK(templates.resolve_language("es-MX") == "es");
  CHECK(templates.resolve_language("es_419") == "es");
  CHECK(templates.resolve_language("ES") == "es");
  CHECK(templates.resolve_language("en-GB") == "en");
  CHECK(templates.resolve_language("fr") == "en");
  CHECK(templates.resolve_language("") == "en");

  auto spanish = templates.render("", "es-MX", "booking_confirmed", "subject", full_context("es"));
  REQUIRE(spanish.ok());
  CHECK(spanish->rfind("Cita confirmada", 0) == 0);
  auto english = templates.render("", "fr", "booking_confirmed", "subject", full_context("en"));
  REQUIRE(english.ok());
  CHECK(english->rfind("Appointment confirmed", 0) == 0);
}

TEST_CASE("only the html part escapes values") {
  const MessageTemplates templates = builtin();
  nlohmann::json context = full_context("en");
  context["patient_name"] = "<script>alert('x')</script> O'Brien & Co";

  auto html = templates.render("", "en", "booking_confirmed", "html", context);
  REQUIRE(html.ok());
  CHECK_FALSE(contains(*html, "<script>"));
  CHECK(contains(*html, "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; O&apos;Brien &amp; Co"));

  auto text = templates.render("", "en", "booking_confirmed", "txt", context);
  REQUIRE(text.ok());
  CHECK(contains(*text, "Hello <script>alert('x')</script> O'Brien & Co,"));
  auto subject = templates.render("", "en", "clinic_booking_created", "subject", context);
  REQUIRE(subject.ok());
  CHECK(contains(*subject, "O'Brien & Co"));
}

TEST_CASE("patient emails state the change deadline and the clinic's phone when there is one") {
  const MessageTemplates templates = builtin();
  const std::vector<std::string> names = {"booking_confirmed", "booking_rescheduled",
                                          "booking_reminder"};
  for (const std::string& language : {std::string("en"), std::string("es")}) {
    nlohmann::json context = full_context(language);
    context["change_deadline"] = "DEADLINE";
    context["clinic_phone"] = "+1 617 555 0100";
    const std::string policy = language == "en"
                                   ? "You can cancel or reschedule online until DEADLINE. After "
                                     "that, please call the clinic at +1 617 555 0100."
                                   : "Puede cancelar o cambiar la cita en línea hasta el DEADLINE. "
                                     "Después, llame a la clínica al +1 617 555 0100.";
    for (const std::string& name : names) {
      for (const char* part : {"txt", "html"}) {
        CAPTURE(language, name, part);
        auto with = templates.render("", language, name, part, context);
        REQUIRE(with.ok());
        CHECK(contains(*with, policy));
        nlohmann::json without = context;
        without.erase("change_deadline");  // no notice: changes until the start
        auto plain = templates.render("", language, name, part, without);
        REQUIRE(plain.ok());
        CHECK_FALSE(contains(*plain, "DEADLINE"));
        CHECK_FALSE(contains(*plain, "+1 617 555 0100"));
      }
    }
  }
}

TEST_CASE("empty strings and missing keys leave out optional lines entirely") {
  const MessageTemplates templates = builtin();
  nlohmann::json context = full_context("en");
  context["cancel_reason"] = "";
  context["patient_phone"] = "";
  context.erase("duration_minutes");
  context["patient_name"] = "";

  auto clinic = templates.render("", "en", "clinic_booking_cancelled", "txt", context);
  REQUIRE(clinic.ok());
  CHECK_FALSE(contains(*clinic, "Reason"));
  CHECK_FALSE(contains(*clinic, "Phone"));
  CHECK_FALSE(contains(*clinic, "Length"));
  // No blank line where the left-out lines were.
  CHECK(contains(*clinic, "Email: ann@example.com\nAppointment: Checkup with Dr. Ortiz\n"));

  auto patient = templates.render("", "en", "booking_cancelled", "txt", context);
  REQUIRE(patient.ok());
  CHECK(patient->rfind("Hello,\n", 0) == 0);
  CHECK(contains(*patient, "Clinic: Lakeside Clinic\nConfirmation number: K7Q-2X9\n"));
}

TEST_CASE("without a manage link the patient messages leave out every trace of it") {
  // Bookings made through the partner protocol have no manage token, so no links.
  const MessageTemplates templates = builtin();
  auto has_double_blank_line = [](const std::string& text) {
    bool previous_blank = false;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      const bool blank = line.find_first_not_of(" \t\r") == std::string::npos;
      if (blank && previous_blank) return true;
      previous_blank = blank;
    }
    return false;
  };
  // The lines of `text` with nothing but whitespace on them, counted.
  auto blank_lines = [](const std::string& text) {
    int count = 0;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) ++count;
    }
    return count;
  };
  for (const std::string language : {"en", "es"}) {
    const nlohmann::json with_link = full_context(language);
    nlohmann::json context = with_link;
    context["manage_url"] = "";
    context["manage_short_url"] = "";
    const std::string date = context["date"], date_short = context["date_short"],
                      time = context["time"];
    for (const auto& name : kPatientTemplates) {
      for (const std::string part : {"subject", "txt", "html", "sms"}) {
        INFO(language << "/" << name << "." << part);
        auto text = templates.render("clinic-1", language, name, part, context);
        REQUIRE(text.ok());
        auto linked = templates.render("clinic-1", language, name, part, with_link);
        REQUIRE(linked.ok());
        INFO(*text);
        CHECK_FALSE(contains(*text, "{{"));
        CHECK_FALSE(contains(*text, "Manage"));
        CHECK_FALSE(contains(*text, "manage"));
        CHECK_FALSE(contains(*text, "Gestionar"));
        CHECK_FALSE(contains(*text, "View your appointment"));
        CHECK_FALSE(contains(*text, "Ver su cita"));
        CHECK_FALSE(contains(*text, "Details:"));
        CHECK_FALSE(contains(*text, "Detalles:"));
        CHECK_FALSE(contains(*text, "href=\"\""));
        CHECK_FALSE(contains(*text, "<a "));
        CHECK_FALSE(contains(*text, "open this link"));
        CHECK_FALSE(contains(*text, "abra este enlace"));
        CHECK_FALSE(contains(*text, ": \n"));
        CHECK_FALSE(has_double_blank_line(*text));
        // Leaving the link out removes lines; it never adds a blank one.
        CHECK(blank_lines(*text) <= blank_lines(*linked));
        if (part != "subject") CHECK(text->size() < linked->size());
        CHECK(contains(*text, "Lakeside Clinic"));
        CHECK(contains(*text, time));
        if (part == "subject" || part == "sms") {
          CHECK(contains(*text, date_short));
        } else {
          CHECK(contains(*text, date));
          CHECK(contains(*text, "Checkup"));
          CHECK(contains(*text, "K7Q-2X9"));
        }
        if (part == "subject") CHECK(*text == *linked);
        if (part == "sms") {
          CHECK(contains(*text, "America/New_York"));
          CHECK_FALSE(contains(*text, "Manage:"));
          CHECK_FALSE(contains(*text, "Gestionar:"));
          REQUIRE_FALSE(text->empty());
          CHECK(text->back() != ':');
          CHECK(text->back() != ' ');
          CHECK(text->back() == '.');
          // Just the link sentence is gone.
          const std::size_t cut = text->size();
          CHECK(linked->compare(0, cut, *text) == 0);
          CHECK(linked->compare(cut, 1, " ") == 0);
        }
        if (part == "txt") {
          // The closing follows the details after exactly one blank line.
          CHECK(contains(*text, "K7Q-2X9\n\n"));
          CHECK_FALSE(contains(*text, "K7Q-2X9\n\n\n"));
          CHECK(text->back() == '\n');
          CHECK(text->compare(text->size() - std::string("Lakeside Clinic\n").size(),
                              std::string::npos, "Lakeside Clinic\n") == 0);
        }
        if (part == "html") {
          CHECK(contains(*text,
                         "</table>\n</td></tr>\n<tr><td style=\"padding:24px 32px 32px "
                         "32px;\">\n</td></tr>\n</table>"));
          CHECK(contains(*text, "</html>"));
        }
      }
    }
  }
}

TEST_CASE("JSON values become mustache data: booleans, numbers, lists, no partials") {
  TempDir dir;
  dir.write("en/probe.txt",
            "{{#flag}}yes{{/flag}}{{^flag}}no{{/flag}} {{n}} {{x}} "
            "{{#items}}[{{.}}]{{/items}} {{#nested}}{{inner}}{{/nested}} <{{>patient_name}}>");
  auto templates = MessageTemplates::load(dir.path().string());
  REQUIRE(templates.ok());
  const nlohmann::json data = {{"flag", true},
                               {"n", 30},
                               {"x", 1.5},
                               {"items", {"a", "b"}},
                               {"nested", {{"inner", "in"}}},
                               {"patient_name", "{{n}}"}};
  auto text = templates->render("", "en", "probe", "txt", data);
  REQUIRE(text.ok());
  CHECK(*text == "yes 30 1.5 [a][b] in <>");

  auto off = templates->render("", "en", "probe", "txt",
                               {{"flag", false}, {"items", nlohmann::json::array()}});
  REQUIRE(off.ok());
  CHECK(*off == "no     <>");  // the empty values leave their spaces
}

TEST_CASE("override files replace built-ins, a clinic's before a language's") {
  TempDir dir;
  dir.write("en/booking_confirmed.subject", "  Booked at\n\n {{clinic_name}}   for {{time}}\n");
  dir.write("clinic-1/en/booking_confirmed.subject", "Clinic one: {{clinic_name}}");
  dir.write("clinic-1/es/booking_confirmed.sms", "Uno: {{time}}");
  dir.write("fr/booking_confirmed.subject", "Rendez-vous confirmé : {{date_short}}");
  dir.write("README.md", "not a template {{");
  auto templates = MessageTemplates::load(dir.path().string());
  REQUIRE(templates.ok());
  const nlohmann::json context = full_context("en");

  auto global = templates->render("clinic-2", "en", "booking_confirmed", "subject", context);
  REQUIRE(global.ok());
  CHECK(*global == "Booked at Lakeside Clinic for 3:00 PM");  // whitespace collapsed
  auto clinic = templates->render("clinic-1", "en-US", "booking_confirmed", "subject", context);
  REQUIRE(clinic.ok());
  CHECK(*clinic == "Clinic one: Lakeside Clinic");
  auto clinic_sms = templates->render("clinic-1", "es", "booking_confirmed", "sms", context);
  REQUIRE(clinic_sms.ok());
  CHECK(*clinic_sms == "Uno: 3:00 PM");
  // Parts nobody overrode are still the built-ins.
  auto text = templates->render("clinic-1", "en", "booking_confirmed", "txt", context);
  REQUIRE(text.ok());
  CHECK(contains(*text, "is confirmed"));
  auto spanish = templates->render("clinic-2", "es", "booking_confirmed", "subject", context);
  REQUIRE(spanish.ok());
  CHECK(spanish->rfind("Cita confirmada", 0) == 0);

  // A language with override files is a language with templates; what it lacks is English.
  CHECK(templates->resolve_language("fr-CA") == "fr");
  auto french = templates->render("", "fr", "booking_confirmed", "subject", context);
  REQUIRE(french.ok());
  CHECK(*french == "Rendez-vous confirmé : Thu, Jan 14");
  auto french_txt = templates->render("", "fr", "booking_confirmed", "txt", context);
  REQUIRE(french_txt.ok());
  CHECK(contains(*french_txt, "is confirmed"));
}

TEST_CASE("loading fails clearly on a broken or misplaced override") {
  {
    TempDir dir;
    dir.write("en/booking_confirmed.html", "<p>{{#cancel_reason}}never closed</p>");
    auto templates = MessageTemplates::load(dir.path().string());
    REQUIRE_FALSE(templates.ok());
    CHECK(templates.error().kind == FailureKind::kInvalid);
    CHECK(templates.error().code == "template_syntax");
    CHECK(contains(templates.error().message,
                   (dir.path() / "en" / "booking_confirmed.html").string()));
  }
  {
    TempDir dir;
    dir.write("clinic-1/en/booking_reminder.txt", "{{unclosed");
    auto templates = MessageTemplates::load(dir.path().string());
    REQUIRE_FALSE(templates.ok());
    CHECK(contains(templates.error().message, "booking_reminder.txt"));
  }
  {
    TempDir dir;
    dir.write("booking_confirmed.txt", "Hello");
    auto templates = MessageTemplates::load(dir.path().string());
    REQUIRE_FALSE(templates.ok());
    CHECK(templates.error().code == "template_misplaced");
  }
  auto missing = MessageTemplates::load("/nonexistent/notify_message_test");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == "template_dir_unreadable");
}

TEST_CASE("render refuses unknown templates and non-object data") {
  const MessageTemplates templates = builtin();
  auto unknown = templates.render("", "en", "booking_lost", "txt", full_context("en"));
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == "unknown_template");
  auto no_sms = templates.render("", "en", "clinic_booking_created", "sms", full_context("en"));
  REQUIRE_FALSE(no_sms.ok());
  CHECK(no_sms.error().code == "unknown_template");
  auto bad_data = templates.render("", "en", "booking_confirmed", "txt", nlohmann::json::array());
  REQUIRE_FALSE(bad_data.ok());
  CHECK(bad_data.error().code == "invalid_template_data");
}

TEST_CASE("concurrent renders agree with a single-threaded one") {
  const MessageTemplates templates = builtin();
  const nlohmann::json context = full_context("es");
  auto expected = templates.render("c", "es", "booking_rescheduled", "html", context);
  REQUIRE(expected.ok());
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto text = templates.render("c", "es", "booking_rescheduled", "html", context);
        if (!text.ok() || *text != *expected) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(mismatches == std::vector<int>(4, 0));
}

// ---------------------------------------------------------------------------------------
// Local time text

TEST_CASE("local_time_text writes English and Spanish as ICU's locales do") {
  const LocalTimeText en = local_time_text(appointment_time(), "en");
  CHECK(en.date == "Thursday, January 14, 2027");
  CHECK(en.date_short == "Thu, Jan 14");
  CHECK(en.time == "3:00 PM");  // a plain space, not ICU's U+202F

  const LocalTimeText es = local_time_text(appointment_time(), "es");
  CHECK(es.date == "jueves, 14 de enero de 2027");
  CHECK(es.date_short == "jue, 14 ene");
  CHECK(es.time == "15:00");

  const LocalTimeText mx = local_time_text(appointment_time(), "es-MX");
  CHECK(mx.date == "jueves, 14 de enero de 2027");
  CHECK(mx.date_short == "jue 14 de ene");
  CHECK(mx.time == "15:00");

  const auto morning = local_time_text(
      date::local_days{date::year{2027} / 3 / 6} + std::chrono::hours{9} + std::chrono::minutes{5},
      "en");
  CHECK(morning.date == "Saturday, March 6, 2027");
  CHECK(morning.time == "9:05 AM");
  const auto sabado = local_time_text(date::local_days{date::year{2027} / 3 / 6}, "es");
  CHECK(sabado.date == "sábado, 6 de marzo de 2027");
  CHECK(sabado.time == "0:00");
}

TEST_CASE("local_time_text applies no zone of its own and falls back to English") {
  // 02:30 on the day New York springs forward: no such wall time there, but the engine
  // decided it, so it is shown as it is.
  const auto gap = date::local_days{date::year{2027} / 3 / 14} + std::chrono::hours{2} +
                   std::chrono::minutes{30};
  CHECK(local_time_text(gap, "en").time == "2:30 AM");
  for (const std::string language : {"xx", "not a tag!", "", "zz-ZZ"}) {
    INFO(language);
    const LocalTimeText text = local_time_text(appointment_time(), language);
    CHECK(text.date == "Thursday, January 14, 2027");
    CHECK(text.date_short == "Thu, Jan 14");
    CHECK(text.time == "3:00 PM");
  }
  for (const std::string language : {"en", "es", "en-US", "de", "fr-CA"}) {
    const LocalTimeText text = local_time_text(appointment_time(), language);
    for (const std::string& field : {text.date, text.date_short, text.time}) {
      CHECK_FALSE(contains(field, "\u202f"));
      CHECK_FALSE(contains(field, "\u00a0"));
    }
  }
}

// ---------------------------------------------------------------------------------------
// Mail addresses

TEST_CASE("is_mail_address accepts one plain addr-spec only") {
  for (const std::string ok :
       {"a@b.org", "first.last+tag@sub.example.co.uk", "o'brien@example.ie",
        "\"john smith\"@example.org", "x@xn--bcher-kva.example", "a-b_c@my-clinic.example"}) {
    INFO(ok);
    CHECK(is_mail_address(ok));
  }
  for (const std::string& bad : std::vector<std::string>{"",
                                                         "a",
                                                         "@b.org",
                                                         "a@",
                                                         "a@@b.org",
                                                         "a@b@c.org",
                                                         "a@localhost",
                                                         ".a@b.org",
                                                         "a.@b.org",
                                                         "a..b@c.org",
                                                         "a b@c.org",
                                                         "Ann <a@b.org>",
                                                         "<a@b.org>",
                                                         "a@b.org\r\n",
                                                         "a@b.org\n",
                                                         "a@-b.org",
                                                         "a@b-.org",
                                                         "a@b..org",
                                                         "a@.b.org",
                                                         "müller@example.de",
                                                         "a@exämple.de",
                                                         "a@b.org (x)",
                                                         "a(x)@b.org",
                                                         "\"a\"b@c.org",
                                                         "\"a@b\"@c.org",
                                                         "a@b.org,c@d.org",
                                                         std::string("a@b.org\0x", 9)}) {
    INFO(bad);
    CHECK_FALSE(is_mail_address(bad));
  }
  CHECK(is_mail_address(std::string(64, 'a') + "@b.org"));
  CHECK_FALSE(is_mail_address(std::string(65, 'a') + "@b.org"));
  CHECK_FALSE(is_mail_address("a@" + std::string(64, 'b') + ".org"));
}

TEST_CASE("parse_mailbox reads the usual forms and nothing else") {
  auto check = [](const std::string& text, const std::string& name, const std::string& address) {
    INFO(text);
    auto mailbox = parse_mailbox(text);
    REQUIRE(mailbox.ok());
    CHECK(mailbox->name == name);
    CHECK(mailbox->address == address);
  };
  check("Clinic <bookings@example.org>", "Clinic", "bookings@example.org");
  check("\"Dr. Lee's Clinic\" <a@b.org>", "Dr. Lee's Clinic", "a@b.org");
  check("Dr. Lee's Clinic <a@b.org>", "Dr. Lee's Clinic", "a@b.org");
  check("a@b.org", "", "a@b.org");
  check("  a@b.org  ", "", "a@b.org");
  check("<a@b.org>", "", "a@b.org");
  check("Clínica Sol <sol@example.es>", "Clínica Sol", "sol@example.es");
  check("\"Ann \\\"Q\\\" Müller, MD\" <ann@example.org>", "Ann \"Q\" Müller, MD",
        "ann@example.org");

  for (const std::string bad :
       {"", "Clinic", "a@b.org, c@d.org", "A <a@b.org>, B <c@d.org>", "A <a@b.org>\r\nBcc: x@y.z",
        "a@b.org\n", "Eve\r\n <a@b.org>", "Group: a@b.org;", "a@b.org (comment)",
        "Clinic (desk) <a@b.org>", "Clinic <not an address>", "Clinic <a@b.org",
        "\"unterminated <a@b.org>", "A <B <a@b.org>>", "Smith, Ann <a@b.org>",
        "\"Ann\" x <a@b.org>", "Clinic <a@localhost>"}) {
    INFO(bad);
    auto mailbox = parse_mailbox(bad);
    REQUIRE_FALSE(mailbox.ok());
    CHECK(mailbox.error().kind == FailureKind::kInvalid);
    CHECK(mailbox.error().code == "invalid_mailbox");
  }
}

// ---------------------------------------------------------------------------------------
// Composed messages

// A composed message as a mail client reads it. Parse only after compose_email has run
// (it initialises GMime).
class ParsedMessage {
 public:
  explicit ParsedMessage(const std::string& bytes) {
    GMimeStream* stream = g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size());
    GMimeParser* parser = g_mime_parser_new_with_stream(stream);
    message_ = g_mime_parser_construct_message(parser, nullptr);
    g_object_unref(parser);
    g_object_unref(stream);
    REQUIRE(message_ != nullptr);
  }
  ~ParsedMessage() { g_object_unref(message_); }
  ParsedMessage(const ParsedMessage&) = delete;
  ParsedMessage& operator=(const ParsedMessage&) = delete;

  GMimeMessage* get() const { return message_; }
  GMimeObject* object() const { return GMIME_OBJECT(message_); }

  std::string header(const char* name) const {
    const char* value = g_mime_object_get_header(object(), name);
    return value ? value : "";
  }
  int header_count(std::string_view name) const {
    GMimeHeaderList* headers = g_mime_object_get_header_list(object());
    int count = 0;
    for (int i = 0; i < g_mime_header_list_get_count(headers); ++i) {
      if (g_ascii_strcasecmp(g_mime_header_get_name(g_mime_header_list_get_header_at(headers, i)),
                             std::string(name).c_str()) == 0) {
        ++count;
      }
    }
    return count;
  }
  std::string subject() const {
    const char* subject = g_mime_message_get_subject(message_);
    return subject ? subject : "";
  }
  // {display name, address} of the only address of `list`.
  static std::pair<std::string, std::string> only(InternetAddressList* list) {
    REQUIRE(internet_address_list_length(list) == 1);
    InternetAddress* address = internet_address_list_get_address(list, 0);
    REQUIRE(INTERNET_ADDRESS_IS_MAILBOX(address));
    const char* name = internet_address_get_name(address);
    return {name ? name : "", internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address))};
  }
  GMimeMultipart* alternative() const {
    GMimeObject* body = g_mime_message_get_mime_part(message_);
    REQUIRE(GMIME_IS_MULTIPART(body));
    REQUIRE(g_mime_content_type_is_type(g_mime_object_get_content_type(body), "multipart",
                                        "alternative"));
    return GMIME_MULTIPART(body);
  }
  // The decoded text of part `index`, with CRLF read as LF.
  std::string part_text(int index) const {
    GMimeObject* part = g_mime_multipart_get_part(alternative(), index);
    REQUIRE(GMIME_IS_TEXT_PART(part));
    char* text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
    std::string result;
    for (const char* c = text; *c; ++c) {
      if (*c != '\r') result.push_back(*c);
    }
    g_free(text);
    return result;
  }

 private:
  GMimeMessage* message_ = nullptr;
};

EmailContent sample_email() {
  EmailContent email;
  email.from = {"Lakeside Clinic", "bookings@example.org"};
  email.to = {"Ann Lee", "ann@example.com"};
  email.reply_to = Mailbox{"Front desk", "desk@example.org"};
  email.subject = "Su cita está confirmada: jueves, 14 de enero de 2027, 15:00 — Clínica Ñandú";
  email.text = "Hola, Ann:\nSu cita está confirmada.\n";
  email.html = "<!DOCTYPE html>\n<html lang=\"es\"><p>Su cita está confirmada.</p></html>\n";
  email.calendar =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:bk_1@example.org\r\n"
      "SUMMARY:Revisión\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  email.calendar_method = "REQUEST";
  email.message_id = "dlv_abc@bookings.example.org";
  email.date = date::sys_days{date::year{2027} / 1 / 14} + std::chrono::hours{20};
  email.extra_headers = {{"X-Slotbook-Delivery", "dlv_abc"}};
  return email;
}

void check_lines(const std::string& message) {
  std::size_t start = 0;
  while (start < message.size()) {
    const std::size_t end = message.find('\n', start);
    REQUIRE(end != std::string::npos);  // every line ends
    REQUIRE(end > start);
    CHECK(message[end - 1] == '\r');  // with CRLF, never a bare LF
    CHECK(end - start - 1 <= 998);
    CHECK(message.substr(start, end - start - 1).find('\r') == std::string::npos);
    start = end + 1;
  }
}

TEST_CASE("compose_email writes text, html and calendar alternatives") {
  const EmailContent email = sample_email();
  auto composed = compose_email(email);
  REQUIRE(composed.ok());
  check_lines(*composed);

  ParsedMessage message(*composed);
  CHECK(ParsedMessage::only(g_mime_message_get_from(message.get())) ==
        std::pair<std::string, std::string>{"Lakeside Clinic", "bookings@example.org"});
  CHECK(ParsedMessage::only(g_mime_message_get_to(message.get())) ==
        std::pair<std::string, std::string>{"Ann Lee", "ann@example.com"});
  CHECK(ParsedMessage::only(g_mime_message_get_reply_to(message.get())) ==
        std::pair<std::string, std::string>{"Front desk", "desk@example.org"});
  CHECK(message.subject() == email.subject);
  CHECK(message.header("Date") == "Thu, 14 Jan 2027 20:00:00 +0000");
  CHECK(std::string(g_mime_message_get_message_id(message.get())) ==
        "dlv_abc@bookings.example.org");
  CHECK(message.header("Message-Id") == "<dlv_abc@bookings.example.org>");
  CHECK(message.header_count("MIME-Version") == 1);
  CHECK(message.header("MIME-Version") == "1.0");
  CHECK(message.header("X-Slotbook-Delivery") == "dlv_abc");

  // The subject went out as encoded words: no raw UTF-8 in any header.
  const std::string headers = composed->substr(0, composed->find("\r\n\r\n"));
  for (char c : headers) CHECK(static_cast<unsigned char>(c) < 0x80);
  CHECK(contains(headers, "=?UTF-8?"));

  GMimeMultipart* alternative = message.alternative();
  REQUIRE(g_mime_multipart_get_count(alternative) == 3);
  const char* expected_types[] = {"plain", "html", "calendar"};
  for (int i = 0; i < 3; ++i) {
    GMimeContentType* type =
        g_mime_object_get_content_type(g_mime_multipart_get_part(alternative, i));
    INFO(expected_types[i]);
    CHECK(g_mime_content_type_is_type(type, "text", expected_types[i]));
    CHECK(std::string(g_mime_content_type_get_parameter(type, "charset")) == "utf-8");
  }
  GMimeContentType* calendar_type =
      g_mime_object_get_content_type(g_mime_multipart_get_part(alternative, 2));
  CHECK(std::string(g_mime_content_type_get_parameter(calendar_type, "method")) == "REQUEST");

  CHECK(message.part_text(0) == email.text);
  CHECK(message.part_text(1) == email.html);
  std::string calendar_lf = email.calendar;
  for (std::size_t at; (at = calendar_lf.find('\r')) != std::string::npos;)
    calendar_lf.erase(at, 1);
  CHECK(message.part_text(2) == calendar_lf);
  CHECK(contains(*composed, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));  // CRLF on the wire
}

TEST_CASE("compose_email leaves out what is empty and cancels with method=CANCEL") {
  EmailContent email = sample_email();
  email.html.clear();
  email.calendar.clear();
  email.reply_to.reset();
  email.extra_headers.clear();
  auto plain = compose_email(email);
  REQUIRE(plain.ok());
  ParsedMessage only_text(*plain);
  REQUIRE(g_mime_multipart_get_count(only_text.alternative()) == 1);
  CHECK(only_text.header_count("Reply-To") == 0);

  email = sample_email();
  email.calendar_method = "CANCEL";
  auto cancel = compose_email(email);
  REQUIRE(cancel.ok());
  ParsedMessage cancelled(*cancel);
  GMimeContentType* type =
      g_mime_object_get_content_type(g_mime_multipart_get_part(cancelled.alternative(), 2));
  CHECK(std::string(g_mime_content_type_get_parameter(type, "method")) == "CANCEL");
}

TEST_CASE("no header value can add or break a header") {
  EmailContent email = sample_email();
  email.to = {"Eve\r\nBcc: attacker@evil.example", "eve@example.com"};
  email.from = {"Ann \"Q\" Müller", "bookings@example.org"};
  email.reply_to = Mailbox{std::string("Desk\0Bcc: x@evil.example", 24), "desk@example.org"};
  email.subject = "Hello\r\nBcc: attacker@evil.example\r\n\r\n<html>body</html>";
  email.extra_headers = {{"X-Slotbook-Delivery", "dlv\nBcc: attacker@evil.example"}};
  auto composed = compose_email(email);
  REQUIRE(composed.ok());
  check_lines(*composed);
  CHECK_FALSE(contains(*composed, "\r\nBcc:"));

  ParsedMessage message(*composed);
  CHECK(message.header_count("Bcc") == 0);
  CHECK(g_mime_object_get_header(message.object(), "Bcc") == nullptr);
  CHECK(message.header_count("To") == 1);
  CHECK(message.header_count("Subject") == 1);
  CHECK(ParsedMessage::only(g_mime_message_get_to(message.get())) ==
        std::pair<std::string, std::string>{"Eve  Bcc: attacker@evil.example", "eve@example.com"});
  CHECK(ParsedMessage::only(g_mime_message_get_from(message.get())) ==
        std::pair<std::string, std::string>{"Ann \"Q\" Müller", "bookings@example.org"});
  CHECK(ParsedMessage::only(g_mime_message_get_reply_to(message.get())) ==
        std::pair<std::string, std::string>{"Desk Bcc: x@evil.example", "desk@example.org"});
  CHECK(message.subject() == "Hello  Bcc: attacker@evil.example    <html>body</html>");
  CHECK(message.header("X-Slotbook-Delivery") == "dlv Bcc: attacker@evil.example");
  CHECK(g_mime_multipart_get_count(message.alternative()) == 3);
}

TEST_CASE("long lines and long header words stay below 998 octets and decode unchanged") {
  EmailContent email = sample_email();
  email.text = "Start\n" + std::string(2000, 'x') + "\nEnd\n";
  email.html = "<p>" + std::string(1500, 'y') + "é</p>\n";
  email.subject = "Appointment " + std::string(2000, 's');
  email.from.name = "Clínica " + std::string(1200, 'n');
  email.extra_headers = {{"X-Long", std::string(1200, 'v')}};
  auto composed = compose_email(email);
  REQUIRE(composed.ok());
  check_lines(*composed);  // headers too: GMime splits long words into encoded words
  ParsedMessage message(*composed);
  CHECK(message.subject() == email.subject);
  CHECK(ParsedMessage::only(g_mime_message_get_from(message.get())).first == email.from.name);
  CHECK(message.part_text(0) == email.text);
  CHECK(message.part_text(1) == email.html);
}

TEST_CASE("compose_email refuses bad addresses, ids, methods and headers") {
  auto code_of = [](const EmailContent& email) {
    auto composed = compose_email(email);
    REQUIRE_FALSE(composed.ok());
    CHECK(composed.error().kind == FailureKind::kInvalid);
    return composed.error().code;
  };
  EmailContent email = sample_email();
  email.to.address = "ann@example.com, eve@evil.example";
  CHECK(code_of(email) == "invalid_mailbox");
  email = sample_email();
  email.from.address = "bookings@example.org\r\nBcc: x@y.z";
  CHECK(code_of(email) == "invalid_mailbox");
  email = sample_email();
  email.reply_to = Mailbox{"Desk", "Desk <desk@example.org>"};
  CHECK(code_of(email) == "invalid_mailbox");
  email = sample_email();
  email.message_id = "";
  CHECK(code_of(email) == "invalid_message_id");
  email.message_id = "<dlv@example.org>";
  CHECK(code_of(email) == "invalid_message_id");
  email.message_id = "dlv abc@example.org";
  CHECK(code_of(email) == "invalid_message_id");
  email = sample_email();
  email.calendar_method = "PUBLISH";
  CHECK(code_of(email) == "invalid_calendar_method");
  for (const std::string name : {"Bcc", "bcc", "To", "Content-Type", "MIME-Version", "X Bad",
                                 "X-Bad:", "", "X-Bad\r\nBcc"}) {
    INFO(name);
    email = sample_email();
    email.extra_headers = {{name, "value"}};
    CHECK(code_of(email) == "invalid_header");
  }
}

}  // namespace
}  // namespace slotbook::server::testing
