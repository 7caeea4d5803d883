// The clinic's intake questions and per-language names (booking/intake_questions.h,
// booking/localized_text.h): what a configuration may say, and how answers are checked,
// stored and shown.
#include <catch2/catch.hpp>

#include "booking/intake_questions.h"
#include "booking/localized_text.h"

namespace slotbook::server {
namespace {

const LocalDate kToday = date::local_days(date::year(2027) / 1 / 11);

std::vector<IntakeQuestion> questions(const nlohmann::json& list) {
  auto parsed = parse_intake_questions({{"questions", list}}, {"consultation", "therapy"});
  REQUIRE(parsed.ok());
  return *parsed;
}

std::vector<std::string> problem_ids(const CheckedAnswers& checked) {
  std::vector<std::string> ids;
  for (const AnswerProblem& p : checked.problems) ids.push_back(p.question_id);
  return ids;
}

}  // namespace

TEST_CASE("a localized text picks the language, its base, English, then the first") {
  auto text = LocalizedText::from_json(
      {{"es", "Consulta"}, {"EN", "Consultation"}, {"fr", "Visite"}}, "name", 100);
  REQUIRE(text.ok());
  CHECK(text->in_language("es-MX") == "Consulta");
  CHECK(text->in_language("fr") == "Visite");
  CHECK(text->in_language("de") == "Consultation");
  CHECK(text->in_language("") == "Consultation");
  CHECK(text->languages_json() ==
        nlohmann::json({{"en", "Consultation"}, {"es", "Consulta"}, {"fr", "Visite"}}));
  auto only_spanish = LocalizedText::from_json({{"es", "Consulta"}}, "name", 100);
  REQUIRE(only_spanish.ok());
  CHECK(only_spanish->in_language("en") == "Consulta");
  auto plain = LocalizedText::from_json("Consultation", "name", 100);
  REQUIRE(plain.ok());
  CHECK(plain->in_language("es") == "Consultation");
  CHECK(plain->languages_json().is_null());
  for (const nlohmann::json& bad :
       {nlohmann::json::object(), nlohmann::json({{"english", "x"}}), nlohmann::json({{"en", ""}}),
        nlohmann::json({{"en", 3}}), nlohmann::json(7), nlohmann::json(std::string(101, 'x'))}) {
    auto refused = LocalizedText::from_json(bad, "types[0].name", 100);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message.rfind("types[0].name", 0) == 0);
  }
}

TEST_CASE("answers are checked against the questions of the appointment type") {
  const auto qs = questions(nlohmann::json::parse(R"([
    {"id": "reason", "label": "Reason", "type": "select", "required": true,
     "options": [{"value": "checkup", "label": {"en": "Check-up", "es": "Revisión"}}]},
    {"id": "dob", "label": "Date of birth", "type": "date", "past_only": true},
    {"id": "note", "label": "Note", "type": "text", "max_length": 5},
    {"id": "consent", "label": "Consent", "type": "checkbox", "required": true},
    {"id": "goal", "label": "Goal", "type": "textarea", "required": true,
     "appointment_types": ["therapy"]}])"));

  const auto ok = check_answers(
      qs, "consultation",
      {{"reason", "checkup"}, {"dob", "2027-01-11"}, {"note", "ñandú"}, {"consent", true}}, kToday,
      true);
  REQUIRE(ok.problems.empty());
  const auto view = answers_view(ok.stored_json, "es");
  REQUIRE(view.size() == 4);
  CHECK(view[0]["text"] == "Revisión");
  CHECK(view[3]["text"] == "Sí");
  CHECK(answers_view(ok.stored_json, "en")[3]["text"] == "Yes");

  CHECK(problem_ids(check_answers(qs, "consultation", nullptr, kToday, true)) ==
        std::vector<std::string>{"reason", "consent"});
  CHECK(check_answers(qs, "consultation", nullptr, kToday, false).problems.empty());
  CHECK(check_answers(qs, "consultation", nullptr, kToday, false).stored_json.empty());
  CHECK(problem_ids(check_answers(qs, "consultation",
                                  {{"reason", "checkup"},
                                   {"consent", true},
                                   {"dob", "2027-01-12"},
                                   {"note", "toolong"},
                                   {"goal", "x"}},
                                  kToday, true)) ==
        std::vector<std::string>{"goal", "dob", "note"});
  CHECK(problem_ids(check_answers(qs, "therapy", {{"reason", "checkup"}, {"consent", true}}, kToday,
                                  true)) == std::vector<std::string>{"goal"});
  CHECK(problem_ids(check_answers(qs, "consultation", nlohmann::json::array(), kToday, true)) ==
        std::vector<std::string>{""});
}

TEST_CASE("a question list is refused whole, naming the field") {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {R"([{"id": "a", "label": "A", "type": "rating"}])", "questions[0].type"},
      {R"([{"id": "a", "label": "A", "type": "text"}, {"id": "a", "label": "B", "type": "date"}])",
       "questions[1].id"},
      {R"([{"id": "a", "label": "A", "type": "select"}])", "questions[0].options"},
      {R"([{"id": "a", "label": "A", "type": "select", "options": [{"value": "x"}, {"value": "x"}]}])",
       "questions[0].options[1].value"},
      {R"([{"id": "a", "label": "A", "type": "date", "max_length": 3}])",
       "questions[0].max_length"},
      {R"([{"id": "a", "label": "A", "type": "text", "colour": "red"}])", "questions[0].colour"},
      {R"([{"id": "a", "label": "A", "type": "text", "appointment_types": ["x"]}])",
       "questions[0].appointment_types"},
  };
  for (const auto& [text, field] : cases) {
    auto parsed =
        parse_intake_questions({{"questions", nlohmann::json::parse(text)}}, {"consultation"});
    INFO(text);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code == "invalid_clinic_config");
    CHECK(parsed.error().message.rfind(field, 0) == 0);
  }
}

}  // namespace slotbook::server
