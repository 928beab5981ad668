// How numbers and names are written, in files and on the terminal.
#pragma once

#include <string>

namespace tenure {

// Shortest text that reads back to the same double; "nan" for undefined figures.
std::string number(double x);

// Rounded, with thousands separated: 1234567.8 -> "1,234,568"; "n/a" when not finite.
std::string grouped(double x);

// A share as a percentage with one decimal: 0.1234 -> "12.3%".
std::string percent(double share);

// A factor, 3 significant figures below 1,000 and whole (grouped) above: "4.27", "53.2", "1,932".
std::string factor(double x);

// A CSV field: quoted (with inner quotes doubled) when it holds a comma, quote or newline.
std::string csv_field(const std::string& text);

}  // namespace tenure
