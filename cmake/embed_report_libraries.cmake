# Turns the pinned vega, vega-lite and vega-embed bundles from node_modules into a C++ source,
# so that report.html can inline them and open offline with nothing beside the program.
# Run at build time:  cmake -DNODE_MODULES=<dir> -DOUTPUT=<file.cpp> -P embed_report_libraries.cmake
#
# Each library becomes a byte array (arrays, unlike string literals, have no compiler length
# limit), preceded by the library's own licence. A first script holds the licences of the
# other packages installed with them, parts of which the bundles contain (d3 modules and
# others under ISC, MIT and similar licences), each distinct text once.

cmake_minimum_required(VERSION 3.25)

# "/*! ... */" comment text: a "*/" inside a licence would end the comment early.
function(js_comment text out)
  string(REPLACE "*/" "* /" text "${text}")
  set(${out} "/*!\n${text}\n*/\n" PARENT_SCOPE)
endfunction()

function(package_field dir field out)
  file(READ "${dir}/package.json" manifest)
  string(JSON value ERROR_VARIABLE missing GET "${manifest}" ${field})
  if(missing)
    set(value "unknown")
  endif()
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

function(licence_file dir out)
  file(GLOB candidates "${dir}/LICENSE*" "${dir}/LICENCE*" "${dir}/license*" "${dir}/COPYING*")
  list(SORT candidates)
  list(LENGTH candidates count)
  if(count GREATER 0)
    list(GET candidates 0 first)
    set(${out} "${first}" PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

# Appends `text` to the C++ array source as 0x.. bytes, 24 to a line.
function(append_bytes text_file out_var)
  file(READ "${text_file}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REPEAT "0x..," 24 line)  # CMake regular expressions have no {n} repeat
  string(REGEX REPLACE "(${line})" "\\1\n" bytes "${bytes}")
  set(${out_var} "${${out_var}}${bytes}" PARENT_SCOPE)
endfunction()

# The licence notices of every installed package but the three libraries and type stubs.
function(third_party_notices out)
  file(GLOB manifests LIST_DIRECTORIES false
       "${NODE_MODULES}/*/package.json" "${NODE_MODULES}/@*/*/package.json"
       "${NODE_MODULES}/*/node_modules/*/package.json")
  set(texts "")
  foreach(manifest IN LISTS manifests)
    get_filename_component(dir "${manifest}" DIRECTORY)
    package_field("${dir}" name name)
    if(name MATCHES "^(vega|vega-lite|vega-embed)$" OR name MATCHES "^@types/")
      continue()
    endif()
    package_field("${dir}" version version)
    package_field("${dir}" license spdx)
    licence_file("${dir}" licence)
    if(licence STREQUAL "")
      set(text "(${spdx}; the package ships no licence text)")
    else()
      file(READ "${licence}" text)
      string(STRIP "${text}" text)
    endif()
    string(MD5 key "${text}")
    if(NOT key IN_LIST texts)
      list(APPEND texts ${key})
      set(text_${key} "${text}")
    endif()
    list(APPEND names_${key} "${name} ${version} (${spdx})")
  endforeach()
  set(notices "Licences of the packages installed with vega, vega-lite and vega-embed, parts of")
  string(APPEND notices " which their bundles contain:\n")
  foreach(key IN LISTS texts)
    list(REMOVE_DUPLICATES names_${key})
    list(JOIN names_${key} ", " names)
    string(APPEND notices "\n== ${names} ==\n${text_${key}}\n")
  endforeach()
  set(${out} "${notices}" PARENT_SCOPE)
endfunction()

set(work "${OUTPUT}.parts")
file(MAKE_DIRECTORY "${work}")
set(arrays "")
set(entries "")

third_party_notices(notices)
js_comment("${notices}" notices)
file(WRITE "${work}/notices.js" "${notices}")
set(arrays "${arrays}const unsigned char kNotices[] = {\n")
append_bytes("${work}/notices.js" arrays)
set(arrays "${arrays}};\n\n")
set(entries "${entries}      {\"third-party licences\", as_text(kNotices, sizeof kNotices)},\n")

set(index 0)
foreach(library IN ITEMS vega vega-lite vega-embed)
  set(dir "${NODE_MODULES}/${library}")
  set(bundle "${dir}/build/${library}.min.js")
  if(NOT EXISTS "${bundle}")
    message(FATAL_ERROR "${bundle} is missing; run `make setup` to install the report libraries")
  endif()
  package_field("${dir}" version version)
  package_field("${dir}" license spdx)
  file(READ "${dir}/LICENSE" licence)
  string(STRIP "${licence}" licence)
  js_comment("${library} ${version} (${spdx})\n\n${licence}" header)
  # The source map is not shipped: drop the comment that points a debugger at it.
  file(READ "${bundle}" code)
  string(REGEX REPLACE "\n//# sourceMappingURL=[^\n]*" "\n" code "${code}")
  file(WRITE "${work}/library${index}.js" "${header}${code}")
  set(arrays "${arrays}// ${library} ${version}\nconst unsigned char kLibrary${index}[] = {\n")
  append_bytes("${work}/library${index}.js" arrays)
  set(arrays "${arrays}};\n\n")
  string(APPEND entries
         "      {\"${library} ${version}\", as_text(kLibrary${index}, sizeof kLibrary${index})},\n")
  math(EXPR index "${index} + 1")
endforeach()
file(REMOVE_RECURSE "${work}")

file(WRITE "${OUTPUT}.new" "// Generated by cmake/embed_report_libraries.cmake from node_modules; do not edit.
#include \"sim/output/report_libraries.hpp\"

namespace tenure {

namespace {

std::string_view as_text(const unsigned char* bytes, std::size_t size) {
  return {reinterpret_cast<const char*>(bytes), size};
}

${arrays}}  // namespace

std::span<const InlinedScript> report_scripts() {
  static const InlinedScript scripts[] = {
${entries}  };
  return scripts;
}

}  // namespace tenure
")
file(RENAME "${OUTPUT}.new" "${OUTPUT}")
