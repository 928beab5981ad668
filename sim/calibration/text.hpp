// Small text helpers shared by the cohort reader and the fit reports: untrusted text (names
// from a file, file names) is checked or made safe before it reaches a message or an output.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tenure {

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points beyond
// U+10FFFF), as JSON writers require.
bool is_valid_utf8(std::string_view text);

// True when `text` holds a control character (bytes 0x00-0x1F or 0x7F).
bool has_control_character(std::string_view text);

// `text` as it may appear inside quotes in a message or a comment: cut to about `limit`
// bytes (marked "..."), and with every byte of text that is not clean UTF-8 free of control
// characters written as \xNN, so a message never carries a raw newline or NUL.
std::string shown_text(std::string_view text, std::size_t limit = 40);

}  // namespace tenure
