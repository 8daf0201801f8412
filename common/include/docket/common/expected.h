// Expected<T, E>: a value or an error, never both. Errors are values in Docket: every
// recoverable failure is returned, never thrown across a module boundary.
//
// A minimal subset of C++23 std::expected for C++20. Not thread-safe beyond the usual
// guarantees of a value type.
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace docket {

// Wraps an error so that Expected can be constructed from it unambiguously.
template <class E>
struct Unexpected {
  E error;
};

template <class E>
Unexpected(E) -> Unexpected<E>;

template <class E>
[[nodiscard]] Unexpected<std::decay_t<E>> unexpected(E&& e) {
  return Unexpected<std::decay_t<E>>{std::forward<E>(e)};
}

template <class T, class E>
class [[nodiscard]] Expected {
 public:
  using value_type = T;
  using error_type = E;

  // (clang-format 14 mangles requires-clauses)
  // clang-format off
  template <class U = T>
    requires std::is_constructible_v<T, U&&> &&
             (!std::is_same_v<std::remove_cvref_t<U>, Expected>)
  Expected(U&& v) : state_(std::in_place_index<0>, std::forward<U>(v)) {}  // NOLINT
  // clang-format on
  template <class G>
  Expected(Unexpected<G> u) : state_(std::in_place_index<1>, std::move(u.error)) {}  // NOLINT

  bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & {
    assert(has_value());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  E& error() & {
    assert(!has_value());
    return std::get<1>(state_);
  }
  const E& error() const& {
    assert(!has_value());
    return std::get<1>(state_);
  }
  E&& error() && {
    assert(!has_value());
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, E> state_;
};

// Expected<void, E>: success carries nothing.
template <class E>
class [[nodiscard]] Expected<void, E> {
 public:
  using value_type = void;
  using error_type = E;

  Expected() = default;
  template <class G>
  Expected(Unexpected<G> u) : error_(std::move(u.error)), ok_(false) {}  // NOLINT

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  void value() const { assert(ok_); }

  const E& error() const& {
    assert(!ok_);
    return error_;
  }
  E&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  E error_{};
  bool ok_ = true;
};

}  // namespace docket
