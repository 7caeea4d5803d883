#include "notify/message_templates.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include <kainjow/mustache.hpp>

#include "notify/builtin_templates.h"

namespace slotbook::server {
namespace {

namespace fs = std::filesystem;
namespace mustache = kainjow::mustache;

constexpr std::array<std::string_view, 4> kParts = {"subject", "txt", "html", "sms"};

bool is_part(std::string_view part) {
  for (std::string_view known : kParts) {
    if (part == known) return true;
  }
  return false;
}

// Partials would parse a context value as a template (a patient name could then expand
// "{{manage_url}}" or worse), so this context finds none.
class NoPartialsContext final : public mustache::context<std::string> {
 public:
  using mustache::context<std::string>::context;
  const mustache::data* get_partial(const std::string& /*name*/) const override { return nullptr; }
};

mustache::data to_mustache(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      mustache::data object{mustache::data::type::object};
      for (const auto& [key, member] : value.items()) object.set(key, to_mustache(member));
      return object;
    }
    case nlohmann::json::value_t::array: {
      mustache::data list{mustache::data::type::list};
      for (const auto& item : value) list.push_back(to_mustache(item));
      return list;
    }
    case nlohmann::json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      // kainjow treats every string, even "", as true in a section; the templates need
      // {{#cancel_reason}} to skip an empty reason.
      if (text.empty()) return mustache::data{false};
      return mustache::data{text};
    }
    case nlohmann::json::value_t::boolean:
      return mustache::data{value.get<bool>()};
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return mustache::data{value.dump()};
    default:  // null, binary, discarded: nothing to show, and falsy
      return mustache::data{false};
  }
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char c : text) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::string lowercase_tag(std::string_view tag) {
  std::string out(tag);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '_') c = '-';
  }
  return out;
}

}  // namespace

struct MessageTemplates::Library {
  struct Template {
    mustache::mustache parsed;
  };
  // "<lang>/<name>.<part>": built-in, replaced by DIR/<lang>/<name>.<part>.
  std::map<std::string, Template, std::less<>> global;
  // "<clinic_id>/<lang>/<name>.<part>": DIR/<clinic_id>/<lang>/<name>.<part>.
  std::map<std::string, Template, std::less<>> clinic;
  // The languages with templates at the global level (lowercase tags).
  std::set<std::string, std::less<>> languages;
};

namespace {

// Parses `text` for `part`: only "html" escapes values, because the other parts are not
// HTML ("O'Brien" must stay "O'Brien" in a subject and an SMS).
Expected<mustache::mustache> parse_template(const std::string& text, std::string_view part,
                                            const std::string& origin) {
  mustache::mustache parsed{text};
  if (!parsed.is_valid()) {
    return invalid("template_syntax", origin + ": " + parsed.error_message());
  }
  if (part != "html") parsed.set_custom_escape([](const std::string& value) { return value; });
  return parsed;
}

Expected<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    return invalid("template_unreadable", "cannot read template " + path.string());
  }
  return text.str();
}

}  // namespace

Expected<MessageTemplates> MessageTemplates::load(const std::string& override_dir) {
  auto library = std::make_shared<Library>();

  for (std::size_t i = 0; i < kBuiltinTemplateCount; ++i) {
    const std::string path = kBuiltinTemplates[i].path;
    const auto slash = path.find('/');
    const auto dot = path.rfind('.');
    const std::string part = dot == std::string::npos ? "" : path.substr(dot + 1);
    auto parsed = parse_template(kBuiltinTemplates[i].text, part, "built-in template " + path);
    if (!parsed.ok()) return parsed.error();
    library->languages.insert(lowercase_tag(path.substr(0, slash)));
    library->global.insert_or_assign(lowercase_tag(path.substr(0, slash)) + path.substr(slash),
                                     Library::Template{std::move(parsed).value()});
  }

  if (!override_dir.empty()) {
    std::error_code error;
    const fs::path root(override_dir);
    if (!fs::is_directory(root, error)) {
      return invalid("template_dir_unreadable",
                     "template directory " + override_dir + " is not a readable directory");
    }
    fs::recursive_directory_iterator it(root, error);
    for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      if (!it->is_regular_file(error)) continue;
      const fs::path& file = it->path();
      const std::string part =
          file.extension().string().empty() ? std::string() : file.extension().string().substr(1);
      if (!is_part(part) || file.stem().empty()) continue;
      std::vector<std::string> components;
      for (const auto& component : file.lexically_relative(root)) {
        components.push_back(component.string());
      }
      if (components.size() != 2 && components.size() != 3) {
        return invalid("template_misplaced", "template " + file.string() + " is not at " +
                                                 override_dir + "/<lang>/<name>.<part> or " +
                                                 override_dir +
                                                 "/<clinic_id>/<lang>/<name>.<part>");
      }
      auto text = read_file(file);
      if (!text.ok()) return text.error();
      auto parsed = parse_template(*text, part, "template " + file.string());
      if (!parsed.ok()) return parsed.error();
      const std::string language = lowercase_tag(components[components.size() - 2]);
      const std::string key = language + "/" + components.back();
      if (components.size() == 2) {
        library->languages.insert(language);
        library->global.insert_or_assign(key, Library::Template{std::move(parsed).value()});
      } else {
        library->clinic.insert_or_assign(components[0] + "/" + key,
                                         Library::Template{std::move(parsed).value()});
      }
    }
    if (error) {
      return invalid("template_dir_unreadable",
                     "cannot read template directory " + override_dir + ": " + error.message());
    }
  }
  return MessageTemplates(std::move(library));
}

std::string MessageTemplates::resolve_language(std::string_view language) const {
  const std::string tag = lowercase_tag(language);
  if (library_->languages.count(tag) != 0) return tag;
  const std::string primary = tag.substr(0, tag.find('-'));
  if (library_->languages.count(primary) != 0) return primary;
  return "en";
}

Expected<std::string> MessageTemplates::render(std::string_view clinic_id,
                                               std::string_view language, std::string_view name,
                                               std::string_view part,
                                               const nlohmann::json& data) const {
  if (!data.is_object()) {
    return invalid("invalid_template_data", "the template context must be a JSON object");
  }
  const Library::Template* found = nullptr;
  const std::string resolved = resolve_language(language);
  for (const std::string& candidate : {resolved, std::string("en")}) {
    const std::string key = candidate + "/" + std::string(name) + "." + std::string(part);
    if (auto it = library_->clinic.find(std::string(clinic_id) + "/" + key);
        !clinic_id.empty() && it != library_->clinic.end()) {
      found = &it->second;
    } else if (auto global = library_->global.find(key); global != library_->global.end()) {
      found = &global->second;
    }
    if (found != nullptr) break;
  }
  if (found == nullptr) {
    return invalid("unknown_template", "no template " + std::string(name) + "." +
                                           std::string(part) + " for " + resolved);
  }

  // kainjow's render() is not const (it records errors in the template), so each call
  // renders its own copy and concurrent calls share nothing mutable.
  mustache::mustache copy = found->parsed;
  const mustache::data context_data = to_mustache(data);
  NoPartialsContext context{&context_data};
  std::ostringstream out;
  copy.render(context, out);
  if (!copy.is_valid()) {
    return invalid("template_syntax", "template " + std::string(name) + "." + std::string(part) +
                                          ": " + copy.error_message());
  }
  if (part == "subject" || part == "sms") return collapse_whitespace(out.str());
  return out.str();
}

}  // namespace slotbook::server
