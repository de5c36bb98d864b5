#include "status.hpp"

namespace {
thread_local std::string last_error;
}

namespace cnn4j {
void set_last_error(const std::string &message) { last_error = message; }
}  // namespace cnn4j

extern "C" const char *cnn4j_last_error(void) { return last_error.c_str(); }
