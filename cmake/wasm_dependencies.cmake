# Header-only dependencies for the Emscripten build. Adding /usr/include to a wasm compile
# breaks it (bits/wordsize.h), and find_package(date) refuses wasm32, so the headers are
# exposed through a folder of symlinks and declared as INTERFACE targets here.
set(SLOTBOOK_WASM_INCLUDE ${CMAKE_BINARY_DIR}/wasm-include)
file(MAKE_DIRECTORY ${SLOTBOOK_WASM_INCLUDE})
foreach(dir nlohmann date)
  if(NOT EXISTS ${SLOTBOOK_WASM_INCLUDE}/${dir})
    file(CREATE_LINK /usr/include/${dir} ${SLOTBOOK_WASM_INCLUDE}/${dir} SYMBOLIC)
  endif()
endforeach()

add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
target_include_directories(nlohmann_json::nlohmann_json SYSTEM INTERFACE ${SLOTBOOK_WASM_INCLUDE})
add_library(date::date INTERFACE IMPORTED)
target_include_directories(date::date SYSTEM INTERFACE ${SLOTBOOK_WASM_INCLUDE})
# date/ptz.h and date.h would otherwise pull in iostream-based parsing we never use.
target_compile_definitions(date::date INTERFACE ONLY_C_LOCALE=1)

# -O3 with link-time optimisation, not -Oz: at -Oz the chrono and string helpers stop being
# inlined and the engine runs about 6x slower in wasm, for 9 KB less gzip. -O3 -flto runs
# the listing 5-8% faster than -O2 and is 4 KB smaller gzipped; bulk memory (memory.copy,
# every current browser and Node >= 12.5) spares the vector moves a call into JS.
# (docs/benchmarks.md, "WebAssembly".)
add_compile_options(-O3 -flto -mbulk-memory)
add_link_options(-O3 -flto -mbulk-memory)
