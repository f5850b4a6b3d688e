#include "yaml_reader.hpp"

#include <sstream>

namespace bpfhost::verifier::test {

namespace {

std::string trim(const std::string &s) {
  const size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos)
    return "";
  const size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

size_t indent_of(const std::string &s) {
  size_t i = 0;
  while (i < s.size() && s[i] == ' ')
    ++i;
  return i;
}

// Removes a trailing comment (outside quotes).
std::string uncomment(const std::string &s) {
  bool quoted = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"')
      quoted = !quoted;
    if (s[i] == '#' && !quoted && (i == 0 || s[i - 1] == ' '))
      return s.substr(0, i);
  }
  return s;
}

std::string unquote(std::string s) {
  s = trim(s);
  if (s.size() >= 2 && ((s.front() == '"' && s.back() == '"') ||
                        (s.front() == '\'' && s.back() == '\'')))
    return s.substr(1, s.size() - 2);
  return s;
}

// Items of a flow sequence body "a", "b" (without brackets).
std::vector<std::string> flow_items(const std::string &body) {
  std::vector<std::string> items;
  std::string cur;
  bool quoted = false;
  for (char c : body) {
    if (c == '"')
      quoted = !quoted;
    if (c == ',' && !quoted) {
      if (!trim(cur).empty())
        items.push_back(unquote(cur));
      cur.clear();
      continue;
    }
    cur.push_back(c);
  }
  if (!trim(cur).empty())
    items.push_back(unquote(cur));
  return items;
}

class Parser {
public:
  explicit Parser(const std::string &text) {
    std::istringstream is(text);
    std::string line;
    while (std::getline(is, line))
      lines_.push_back(line);
  }

  Result<std::vector<YamlCase>> run() {
    std::vector<YamlCase> cases;
    YamlCase cur;
    bool have = false;
    while (i_ < lines_.size()) {
      const std::string raw = lines_[i_];
      const std::string line = trim(uncomment(raw));
      if (raw.rfind("---", 0) == 0) {
        if (have)
          cases.push_back(std::move(cur));
        cur = YamlCase{};
        have = false;
        ++i_;
        continue;
      }
      if (line.empty() || indent_of(raw) > 0) {
        ++i_;
        continue;
      }
      const size_t colon = line.find(':');
      if (colon == std::string::npos)
        return error("expected 'key: value'");
      const std::string key = line.substr(0, colon);
      const std::string rest = trim(line.substr(colon + 1));
      const int key_line = static_cast<int>(i_ + 1);
      ++i_;
      if (key == "test-case") {
        cur.name = unquote(rest);
        cur.line = key_line;
        have = true;
      } else if (key == "code") {
        auto code = read_code();
        if (!code)
          return code.error();
        cur.code = std::move(*code);
      } else {
        auto list = read_list(rest);
        if (!list)
          return list.error();
        if (key == "options")
          cur.options = std::move(*list);
        else if (key == "pre")
          cur.pre = std::move(*list);
        else if (key == "post")
          cur.post = std::move(*list);
        else if (key == "messages")
          cur.messages = std::move(*list);
        else
          return make_error(ErrorCode::InvalidInput,
                            "unknown key '" + key + "'",
                            "line " + std::to_string(key_line));
      }
    }
    if (have)
      cases.push_back(std::move(cur));
    return cases;
  }

private:
  Error error(const std::string &m) const {
    return make_error(ErrorCode::InvalidInput, m,
                      "line " + std::to_string(i_ + 1));
  }

  // A flow sequence starting in `rest`, or a block sequence on the next lines.
  Result<std::vector<std::string>> read_list(std::string rest) {
    if (!rest.empty() && rest.front() == '[') {
      std::string body = rest;
      while (body.find(']') == std::string::npos || !balanced(body)) {
        if (i_ >= lines_.size())
          return error("unterminated '['");
        body += " " + trim(uncomment(lines_[i_++]));
      }
      const size_t close = body.rfind(']');
      return flow_items(body.substr(1, close - 1));
    }
    if (!rest.empty())
      return error("expected a sequence");
    std::vector<std::string> items;
    while (i_ < lines_.size()) {
      const std::string raw = lines_[i_];
      const std::string line = trim(uncomment(raw));
      if (line.empty() && raw.rfind("---", 0) != 0) {
        ++i_;
        continue;
      }
      if (indent_of(raw) == 0 && line.rfind("- ", 0) != 0)
        break;
      if (line.rfind("-", 0) != 0)
        break;
      items.push_back(unquote(line.substr(1)));
      ++i_;
    }
    return items;
  }

  static bool balanced(const std::string &s) {
    bool quoted = false;
    int depth = 0;
    for (char c : s) {
      if (c == '"')
        quoted = !quoted;
      else if (!quoted && c == '[')
        ++depth;
      else if (!quoted && c == ']')
        --depth;
    }
    return depth == 0;
  }

  Result<std::vector<std::pair<std::string, std::string>>> read_code() {
    std::vector<std::pair<std::string, std::string>> blocks;
    while (i_ < lines_.size()) {
      const std::string raw = lines_[i_];
      if (trim(raw).empty()) {
        ++i_;
        continue;
      }
      const size_t ind = indent_of(raw);
      if (ind == 0)
        break;
      const std::string line = trim(raw);
      if (line[0] == '#') {
        ++i_;
        continue;
      }
      const size_t colon = line.find(':');
      if (colon == std::string::npos)
        return error("expected '<label>: |'");
      const std::string label = line.substr(0, colon);
      const std::string inline_text = trim(line.substr(colon + 1));
      ++i_;
      if (!inline_text.empty() && inline_text != "|") {
        blocks.emplace_back(label, inline_text + "\n");
        continue;
      }
      std::string text;
      while (i_ < lines_.size()) {
        const std::string &b = lines_[i_];
        if (!trim(b).empty() && indent_of(b) <= ind)
          break;
        text += trim(b) + "\n";
        ++i_;
      }
      blocks.emplace_back(label, text);
    }
    return blocks;
  }

  std::vector<std::string> lines_;
  size_t i_ = 0;
};

} // namespace

Result<std::vector<YamlCase>> read_yaml_cases(const std::string &text) {
  return Parser(text).run();
}

} // namespace bpfhost::verifier::test
