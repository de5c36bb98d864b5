# Per-ISA compile flags. Kernels for one instruction set live in files named *_avx2.cpp or
# *_avx512.cpp and only those files get the ISA's flags; everything else is baseline x86-64, so the
# library loads and runs (on the scalar path) on any x86-64 CPU without SIGILL.

set(CNN4J_AVX2_FLAGS -mavx2 -mfma -mf16c)
set(CNN4J_AVX512_FLAGS -mavx512f -mavx512bw -mavx512vl -mavx512dq -mfma -mavx2 -mf16c)

function(cnn4j_apply_isa_flags)
  foreach(src IN LISTS ARGN)
    if(src MATCHES "_avx512\\.cpp$")
      set_source_files_properties(${src} PROPERTIES COMPILE_OPTIONS "${CNN4J_AVX512_FLAGS}")
    elseif(src MATCHES "_avx2\\.cpp$")
      set_source_files_properties(${src} PROPERTIES COMPILE_OPTIONS "${CNN4J_AVX2_FLAGS}")
    endif()
  endforeach()
endfunction()
