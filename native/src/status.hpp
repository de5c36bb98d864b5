// Status codes at the C ABI boundary: no C++ exception may cross into the JVM.
#pragma once

#include <exception>
#include <new>
#include <stdexcept>
#include <string>

#include "cnn4j/cnn4j.h"
#include "threads.hpp"

namespace cnn4j {

void set_last_error(const std::string &message);

// Thrown by kernels for arguments the Java side should have rejected.
struct invalid_argument : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

struct unimplemented : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Runs `body` with the chosen thread count (threads.hpp), turning any exception into a status code and a
// message for cnn4j_last_error().
template <typename F>
int guarded(const char *op, F &&body) noexcept {
    try {
        adopt_thread_count();
        body();
        return CNN4J_OK;
    } catch (const invalid_argument &e) {
        set_last_error(std::string(op) + ": " + e.what());
        return CNN4J_INVALID_ARGUMENT;
    } catch (const unimplemented &e) {
        set_last_error(std::string(op) + ": " + e.what());
        return CNN4J_UNIMPLEMENTED;
    } catch (const std::bad_alloc &) {
        set_last_error(std::string(op) + ": out of memory");
        return CNN4J_RUNTIME_ERROR;
    } catch (const std::exception &e) {
        set_last_error(std::string(op) + ": " + e.what());
        return CNN4J_RUNTIME_ERROR;
    } catch (...) {
        set_last_error(std::string(op) + ": unknown native error");
        return CNN4J_RUNTIME_ERROR;
    }
}

}  // namespace cnn4j
