#include "sim/calibration/text.hpp"

#include <fmt/format.h>

#include <cstddef>

namespace tenure {

namespace {

// Length of the UTF-8 sequence led by `lead` and the allowed range of its second byte
// (Unicode Standard, Table 3-7 "Well-Formed UTF-8 Byte Sequences"); length 0 if `lead`
// cannot start a sequence.
struct Utf8Lead {
  int length = 0;
  unsigned char low = 0x80, high = 0xBF;
};

Utf8Lead utf8_lead(unsigned char lead) {
  if (lead < 0x80) return {1, 0, 0};
  if (lead >= 0xC2 && lead <= 0xDF) return {2};
  if (lead == 0xE0) return {3, 0xA0, 0xBF};
  if (lead == 0xED) return {3, 0x80, 0x9F};  // no UTF-16 surrogates
  if (lead >= 0xE1 && lead <= 0xEF) return {3};
  if (lead == 0xF0) return {4, 0x90, 0xBF};
  if (lead >= 0xF1 && lead <= 0xF3) return {4};
  if (lead == 0xF4) return {4, 0x80, 0x8F};  // nothing beyond U+10FFFF
  return {};
}

bool is_control(unsigned char c) {
  return c < 0x20 || c == 0x7F;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const Utf8Lead lead = utf8_lead(static_cast<unsigned char>(text[i]));
    if (lead.length == 0 || i + lead.length > text.size()) return false;
    if (lead.length > 1) {
      const auto second = static_cast<unsigned char>(text[i + 1]);
      if (second < lead.low || second > lead.high) return false;
      for (int k = 2; k < lead.length; ++k)
        if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += lead.length;
  }
  return true;
}

bool has_control_character(std::string_view text) {
  for (const char c : text)
    if (is_control(static_cast<unsigned char>(c))) return true;
  return false;
}

std::string shown_text(std::string_view text, std::size_t limit) {
  if (is_valid_utf8(text) && !has_control_character(text)) {
    if (text.size() <= limit) return std::string(text);
    std::size_t cut = limit;  // back up to the start of a character
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return std::string(text.substr(0, cut)) + "...";
  }
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F)
      out += static_cast<char>(c);
    else
      out += fmt::format("\\x{:02X}", c);
  }
  if (text.size() > limit) out += "...";
  return out;
}

}  // namespace tenure
