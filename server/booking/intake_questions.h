// A clinic's own questions at booking (docs/api.md "Clinic configuration"): reason for
// visit, date of birth, insurer, new or returning patient. Checked whole when the
// configuration is stored; a booking's answers are checked against the questions of the
// moment and stored with the question as it was asked, so staff later read what the
// patient saw even after the clinic edits its questions. Answers are patient data: never
// in the snapshot, logs or URLs.
//
//   "questions": [{"id": "reason", "label": {"en": "Reason for visit", "es": "Motivo"},
//                  "type": "select", "required": true,
//                  "options": [{"value": "checkup", "label": "Check-up"}],
//                  "appointment_types": ["consultation"]}]          absent: every type
//
// Types: text, textarea (max_length, default 500 and 2000), select (options), checkbox
// (a required one must be ticked: consent), date (YYYY-MM-DD; past_only: not after the
// clinic's today, e.g. a date of birth).
#ifndef SLOTBOOK_SERVER_BOOKING_INTAKE_QUESTIONS_H_
#define SLOTBOOK_SERVER_BOOKING_INTAKE_QUESTIONS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "booking/localized_text.h"
#include "common/expected.h"
#include "slotbook/time.h"

namespace slotbook::server {

inline constexpr std::size_t kMaxQuestions = 30;
inline constexpr std::size_t kMaxQuestionOptions = 50;
inline constexpr std::size_t kMaxQuestionLabel = 300;
inline constexpr int kMaxAnswerLength = 5000;

enum class QuestionType { kText, kTextarea, kSelect, kCheckbox, kDate };

struct QuestionOption {
  std::string value;
  LocalizedText label;
};

struct IntakeQuestion {
  std::string id;
  LocalizedText label;
  QuestionType type = QuestionType::kText;
  bool required = false;
  std::vector<QuestionOption> options;                // select only
  std::optional<std::vector<std::string>> for_types;  // nullopt: every appointment type
  int max_length = 0;                                 // text and textarea
  bool past_only = false;                             // date only

  bool applies_to(std::string_view appointment_type) const;
};

// The configuration's `questions` (absent: none). `type_ids` are the configured
// appointment types, which `appointment_types` may name. Fails
// invalid("invalid_clinic_config", "questions[2].type: ...").
Expected<std::vector<IntakeQuestion>> parse_intake_questions(
    const nlohmann::json& config, const std::vector<std::string>& type_ids);

// Why an answer was refused: the booking request's field `answers.<question_id>`.
struct AnswerProblem {
  std::string question_id;
  std::string message;
  std::string kind;  // "missing", "type_error", "value_error"
};

struct CheckedAnswers {
  std::vector<AnswerProblem> problems;  // non-empty: nothing may be stored
  // The answers to store (BookingRecord::answers_json): a JSON array of {"id", "type",
  // "label", "value", "option_label"} as asked, "" when nothing was answered.
  std::string stored_json;
};

// Checks `answers` (the request's object of question id -> value, or null) against the
// questions applying to `appointment_type` on the clinic's local date `today`. Unknown
// ids and questions of other types are refused; `require_all` (patients) enforces
// `required` (staff may book without the answers).
CheckedAnswers check_answers(const std::vector<IntakeQuestion>& questions,
                             std::string_view appointment_type, const nlohmann::json& answers,
                             LocalDate today, bool require_all);

// The stored answers as shown, labels in `language` (LocalizedText::in_language):
// [{"id", "type", "label", "value", "text"}], `text` the answer for people (the option's
// label, Yes/No in English or Spanish, the date or text itself).
nlohmann::ordered_json answers_view(const std::string& stored_json, std::string_view language);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_INTAKE_QUESTIONS_H_
