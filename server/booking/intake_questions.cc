#include "booking/intake_questions.h"

#include <algorithm>
#include <set>

#include "common/text_checks.h"

namespace slotbook::server {
namespace {

constexpr std::size_t kMaxQuestionId = 64;
constexpr int kDefaultTextLength = 500;
constexpr int kDefaultTextareaLength = 2000;

constexpr std::pair<std::string_view, QuestionType> kTypeNames[] = {
    {"text", QuestionType::kText},     {"textarea", QuestionType::kTextarea},
    {"select", QuestionType::kSelect}, {"checkbox", QuestionType::kCheckbox},
    {"date", QuestionType::kDate},
};

std::string_view type_name(QuestionType type) {
  for (const auto& [name, value] : kTypeNames) {
    if (value == type) return name;
  }
  return "text";
}

Failure bad(const std::string& field, const std::string& why) {
  return invalid("invalid_clinic_config", field + ": " + why);
}

bool is_plain_id(std::string_view id) {
  return !id.empty() && id.size() <= kMaxQuestionId &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
         });
}

Expected<IntakeQuestion> parse_question(const nlohmann::json& q, const std::string& at,
                                        const std::vector<std::string>& type_ids) {
  if (!q.is_object()) return bad(at, "must be an object");
  static const std::set<std::string> kKnown = {
      "id", "label", "type", "required", "options", "appointment_types", "max_length", "past_only"};
  for (const auto& [key, value] : q.items()) {
    if (!kKnown.count(key)) return bad(at + "." + key, "is not a question field");
  }
  IntakeQuestion out;
  const auto id = q.find("id");
  if (id == q.end() || !id->is_string() || !is_plain_id(id->get_ref<const std::string&>())) {
    return bad(at + ".id", "must be 1-64 letters, digits, '_' or '-'");
  }
  out.id = id->get<std::string>();
  const auto label = q.find("label");
  if (label == q.end()) return bad(at + ".label", "is required");
  auto parsed_label = LocalizedText::from_json(*label, at + ".label", kMaxQuestionLabel);
  if (!parsed_label.ok()) return parsed_label.error();
  out.label = std::move(*parsed_label);
  const auto type = q.find("type");
  if (type == q.end() || !type->is_string()) {
    return bad(at + ".type", "must be one of text, textarea, select, checkbox, date");
  }
  const auto known = std::find_if(std::begin(kTypeNames), std::end(kTypeNames),
                                  [&](const auto& entry) { return entry.first == *type; });
  if (known == std::end(kTypeNames)) {
    return bad(at + ".type",
               "unknown type " + type->dump() + " (text, textarea, select, checkbox or date)");
  }
  out.type = known->second;
  if (const auto required = q.find("required"); required != q.end()) {
    if (!required->is_boolean()) return bad(at + ".required", "must be true or false");
    out.required = required->get<bool>();
  }
  const auto options = q.find("options");
  if (out.type == QuestionType::kSelect) {
    if (options == q.end() || !options->is_array() || options->empty()) {
      return bad(at + ".options", "a select question needs at least one option");
    }
    if (options->size() > kMaxQuestionOptions) {
      return bad(at + ".options", "at most " + std::to_string(kMaxQuestionOptions) + " options");
    }
    std::set<std::string> values;
    for (std::size_t i = 0; i < options->size(); ++i) {
      const nlohmann::json& o = (*options)[i];
      const std::string where = at + ".options[" + std::to_string(i) + "]";
      if (!o.is_object() || !o.contains("value") || !o["value"].is_string() ||
          o["value"].get_ref<const std::string&>().empty() ||
          utf8_length(o["value"].get_ref<const std::string&>()) > kMaxQuestionLabel) {
        return bad(where + ".value", "must be a non-empty string");
      }
      if (!values.insert(o["value"].get<std::string>()).second) {
        return bad(where + ".value", "repeats another option's value");
      }
      auto option_label = LocalizedText::from_json(o.contains("label") ? o["label"] : o["value"],
                                                   where + ".label", kMaxQuestionLabel);
      if (!option_label.ok()) return option_label.error();
      out.options.push_back({o["value"].get<std::string>(), std::move(*option_label)});
    }
  } else if (options != q.end()) {
    return bad(at + ".options", "only select questions have options");
  }
  if (const auto types = q.find("appointment_types"); types != q.end()) {
    if (!types->is_array()) return bad(at + ".appointment_types", "must be an array of type ids");
    out.for_types.emplace();
    for (const nlohmann::json& t : *types) {
      if (!t.is_string() || std::find(type_ids.begin(), type_ids.end(), t) == type_ids.end()) {
        return bad(at + ".appointment_types", "names no configured appointment type: " + t.dump());
      }
      out.for_types->push_back(t.get<std::string>());
    }
  }
  const bool is_text = out.type == QuestionType::kText || out.type == QuestionType::kTextarea;
  out.max_length =
      out.type == QuestionType::kTextarea ? kDefaultTextareaLength : kDefaultTextLength;
  if (const auto max = q.find("max_length"); max != q.end()) {
    if (!is_text) return bad(at + ".max_length", "only text and textarea questions have one");
    if (!max->is_number_integer() || *max < 1 || *max > kMaxAnswerLength) {
      return bad(at + ".max_length",
                 "must be an integer from 1 to " + std::to_string(kMaxAnswerLength));
    }
    out.max_length = max->get<int>();
  }
  if (const auto past = q.find("past_only"); past != q.end()) {
    if (out.type != QuestionType::kDate) return bad(at + ".past_only", "only date questions");
    if (!past->is_boolean()) return bad(at + ".past_only", "must be true or false");
    out.past_only = past->get<bool>();
  }
  return out;
}

// A stored label (string or per-language object) in `language`.
std::string label_in(const nlohmann::json& label, std::string_view language) {
  auto text = LocalizedText::from_json(label, "", kMaxAnswerLength);
  return text.ok() ? text->in_language(language) : std::string();
}

nlohmann::json labels_json(const LocalizedText& text, std::string_view plain_language = "") {
  nlohmann::json languages = text.languages_json();
  return languages.is_null() ? nlohmann::json(text.in_language(plain_language)) : languages;
}

}  // namespace

bool IntakeQuestion::applies_to(std::string_view appointment_type) const {
  return !for_types ||
         std::find(for_types->begin(), for_types->end(), appointment_type) != for_types->end();
}

Expected<std::vector<IntakeQuestion>> parse_intake_questions(
    const nlohmann::json& config, const std::vector<std::string>& type_ids) {
  std::vector<IntakeQuestion> out;
  const auto questions = config.find("questions");
  if (questions == config.end() || questions->is_null()) return out;
  if (!questions->is_array()) return bad("questions", "must be an array");
  if (questions->size() > kMaxQuestions) {
    return bad("questions", "at most " + std::to_string(kMaxQuestions) + " questions");
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < questions->size(); ++i) {
    const std::string at = "questions[" + std::to_string(i) + "]";
    auto question = parse_question((*questions)[i], at, type_ids);
    if (!question.ok()) return question.error();
    if (!ids.insert(question->id).second) {
      return bad(at + ".id", "repeats the id " + question->id);
    }
    out.push_back(std::move(*question));
  }
  return out;
}

CheckedAnswers check_answers(const std::vector<IntakeQuestion>& questions,
                             std::string_view appointment_type, const nlohmann::json& answers,
                             LocalDate today, bool require_all) {
  CheckedAnswers out;
  auto problem = [&](const std::string& id, std::string message, const char* kind) {
    out.problems.push_back({id, std::move(message), kind});
  };
  if (!answers.is_null() && !answers.is_object()) {
    problem("", "must be an object of question ids to answers", "type_error");
    return out;
  }
  const nlohmann::json empty = nlohmann::json::object();
  const nlohmann::json& given = answers.is_null() ? empty : answers;
  for (const auto& [id, value] : given.items()) {
    const auto question = std::find_if(questions.begin(), questions.end(),
                                       [&](const IntakeQuestion& q) { return q.id == id; });
    if (question == questions.end() || !question->applies_to(appointment_type)) {
      problem(id, "is not a question of this appointment type", "value_error");
    }
  }
  nlohmann::json stored = nlohmann::json::array();
  for (const IntakeQuestion& q : questions) {
    if (!q.applies_to(appointment_type)) continue;
    const auto found = given.find(q.id);
    const bool absent = found == given.end() || found->is_null() ||
                        (found->is_string() && found->get_ref<const std::string&>().empty()) ||
                        (q.type == QuestionType::kCheckbox && *found == false);
    if (absent) {
      if (q.required && require_all) {
        problem(q.id,
                q.type == QuestionType::kCheckbox ? "must be ticked" : "an answer is required",
                "missing");
      }
      continue;
    }
    const nlohmann::json& value = *found;
    nlohmann::json entry = {
        {"id", q.id}, {"type", type_name(q.type)}, {"label", labels_json(q.label)}};
    if (q.type == QuestionType::kCheckbox) {
      if (!value.is_boolean()) {
        problem(q.id, "must be true or false", "type_error");
        continue;
      }
      entry["value"] = true;
    } else if (!value.is_string()) {
      problem(q.id, "must be a string", "type_error");
      continue;
    } else {
      const std::string& text = value.get_ref<const std::string&>();
      if (q.type == QuestionType::kSelect) {
        const auto option = std::find_if(q.options.begin(), q.options.end(),
                                         [&](const QuestionOption& o) { return o.value == text; });
        if (option == q.options.end()) {
          problem(q.id, "must be one of the question's options", "value_error");
          continue;
        }
        entry["option_label"] = labels_json(option->label);
      } else if (q.type == QuestionType::kDate) {
        const auto date = parse_strict_date(text);
        if (!date) {
          problem(q.id, "must be a date as YYYY-MM-DD", "value_error");
          continue;
        }
        if (q.past_only && *date > today) {
          problem(q.id, "must not be in the future", "value_error");
          continue;
        }
      } else if (utf8_length(text) > static_cast<std::size_t>(q.max_length)) {
        problem(q.id, "must be at most " + std::to_string(q.max_length) + " characters",
                "value_error");
        continue;
      }
      entry["value"] = text;
    }
    stored.push_back(std::move(entry));
  }
  if (out.problems.empty() && !stored.empty()) out.stored_json = stored.dump();
  return out;
}

nlohmann::ordered_json answers_view(const std::string& stored_json, std::string_view language) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  if (stored_json.empty()) return out;
  const nlohmann::json stored = nlohmann::json::parse(stored_json, nullptr, false);
  if (!stored.is_array()) return out;
  const bool spanish = language.substr(0, 2) == "es";
  for (const nlohmann::json& a : stored) {
    const std::string type = a.value("type", "text");
    const nlohmann::json& value = a.contains("value") ? a["value"] : nlohmann::json();
    std::string text;
    if (type == "checkbox") {
      text = value == true ? (spanish ? "Sí" : "Yes") : "No";
    } else if (a.contains("option_label")) {
      text = label_in(a["option_label"], language);
    } else if (value.is_string()) {
      text = value.get<std::string>();
    }
    out.push_back({{"id", a.value("id", "")},
                   {"type", type},
                   {"label", a.contains("label") ? label_in(a["label"], language) : ""},
                   {"value", value},
                   {"text", text}});
  }
  return out;
}

}  // namespace slotbook::server
