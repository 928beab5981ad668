// Renders report.html for each results folder given: tenure_render_report DIR...
// (what `tenure report DIR` does once the command line offers it).
#include <exception>
#include <iostream>

#include "sim/output/report_html.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: tenure_render_report RESULTS_DIR...\n";
    return 2;
  }
  int status = 0;
  for (int i = 1; i < argc; ++i) {
    try {
      std::cout << tenure::write_report(argv[i]).string() << '\n';
    } catch (const std::exception& error) {
      std::cerr << argv[i] << ": " << error.what() << '\n';
      status = 1;
    }
  }
  return status;
}
