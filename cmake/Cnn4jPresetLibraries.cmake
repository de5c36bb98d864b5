# Imported targets for the libraries that ship inside the JavaCPP preset jars, unpacked by Maven into
# CNN4J_DEPS_DIR (= <unpacked>/org/bytedeco). The jars carry versioned sonames only (libdnnl.so.3),
# so the targets point at those files; at run time JavaCPP's Loader has already loaded them.
#
#   cnn4j::dnnl      oneDNN
#   cnn4j::openblas  OpenBLAS (CBLAS)
#   cnn4j::openmp    the libgomp shipped with oneDNN: the one OpenMP runtime of the process

if(NOT CNN4J_DEPS_DIR)
  message(FATAL_ERROR "CNN4J_DEPS_DIR is not set: run the build through Maven (mvn package)")
endif()

set(_platform linux-x86_64)
set(_dnnl_dir "${CNN4J_DEPS_DIR}/dnnl/${_platform}")
set(_openblas_dir "${CNN4J_DEPS_DIR}/openblas/${_platform}")

function(_cnn4j_preset_library target file include_dir)
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "${file} is missing: the JavaCPP preset jar was not unpacked")
  endif()
  add_library(${target} SHARED IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES IMPORTED_LOCATION "${file}")
  if(include_dir)
    set_target_properties(${target} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${include_dir}")
  endif()
endfunction()

_cnn4j_preset_library(cnn4j::dnnl "${_dnnl_dir}/libdnnl.so.3" "${_dnnl_dir}/include")
_cnn4j_preset_library(cnn4j::openblas "${_openblas_dir}/libopenblas.so.0" "${_openblas_dir}/include")
_cnn4j_preset_library(cnn4j::openmp "${_dnnl_dir}/libgomp.so.1" "")

# OpenBLAS needs libgfortran and libquadmath, which sit next to it.
set(CNN4J_PRESET_RPATH_LINK "${_dnnl_dir}:${_openblas_dir}")
