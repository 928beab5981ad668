#include "sim/output/worlds_file.hpp"

#include "sim/output/formatting.hpp"

namespace tenure {

void write_worlds_csv(std::ostream& out, const RunResults& r) {
  out << "world,policy";
  for (const std::string& input : r.inputs()) out << ',' << csv_field(input);
  for (const std::string& metric : r.metrics()) out << ',' << metric;
  out << '\n';
  for (std::int64_t world = 0; world < r.paths(); ++world)
    for (std::size_t p = 0; p < r.policies().size(); ++p) {
      out << world << ',' << csv_field(r.policies()[p]);
      for (std::size_t k = 0; k < r.inputs().size(); ++k) out << ',' << number(r.input(k)[world]);
      for (std::size_t k = 0; k < r.metrics().size(); ++k)
        out << ',' << number(r.metric(p, k)[world]);
      out << '\n';
    }
}

}  // namespace tenure
