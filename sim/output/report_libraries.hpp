// The JavaScript that report.html inlines: vega, vega-lite and vega-embed at the versions
// pinned in package-lock.json, compiled into the program at build time (see
// cmake/embed_report_libraries.cmake), so a report opens offline with nothing beside it.
#pragma once

#include <span>
#include <string_view>

namespace tenure {

struct InlinedScript {
  std::string_view name;  // e.g. "vega 6.4.0"
  std::string_view text;  // starts with the licence, as a /*! */ comment
};

// In load order: the licences of the third-party code the bundles contain, then vega,
// vega-lite and vega-embed.
std::span<const InlinedScript> report_scripts();

}  // namespace tenure
