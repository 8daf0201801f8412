#include "docket/replay/time_format.h"

#include <chrono>
#include <cstdio>

namespace docket::replay {
namespace {

constexpr std::int64_t kUsPerSecond = 1'000'000;
constexpr std::int64_t kUsPerDay = 86'400 * kUsPerSecond;

// A cursor over the text being parsed.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}
  bool done() const { return pos_ == text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  bool accept(char c) {
    if (peek() != c)
      return false;
    ++pos_;
    return true;
  }
  // Exactly `n` decimal digits.
  bool digits(std::size_t n, std::int64_t& out) {
    if (pos_ + n > text_.size())
      return false;
    std::int64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) {
      char c = text_[pos_ + i];
      if (c < '0' || c > '9')
        return false;
      v = v * 10 + (c - '0');
    }
    pos_ += n;
    out = v;
    return true;
  }
  // One to six digits of a fraction of a second, as microseconds (more digits are refused).
  bool fraction(std::int64_t& us) {
    std::size_t n = 0;
    std::int64_t v = 0;
    while (!done() && peek() >= '0' && peek() <= '9') {
      if (++n > 6)
        return false;
      v = v * 10 + (text_[pos_++] - '0');
    }
    if (n == 0)
      return false;
    for (; n < 6; ++n)
      v *= 10;
    us = v;
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

Expected<std::int64_t, std::string> fail(std::string_view text) {
  return unexpected(std::string("Expected a time such as 2026-01-05, 2026-01-05T10:30:00+08:00, "
                                "2026-01-05T02:30:00Z or @1767225600000000, but got \"") +
                    std::string(text) + "\"");
}

}  // namespace

Expected<std::int64_t, std::string> parse_time(std::string_view text) {
  if (!text.empty() && text.front() == '@') {
    auto digits = text.substr(1);
    bool negative = !digits.empty() && digits.front() == '-';
    if (negative)
      digits.remove_prefix(1);
    if (digits.empty() || digits.size() > 18)
      return fail(text);
    std::int64_t v = 0;
    for (char c : digits) {
      if (c < '0' || c > '9')
        return fail(text);
      v = v * 10 + (c - '0');
    }
    return negative ? -v : v;
  }
  Reader r(text);
  std::int64_t year = 0, month = 0, day = 0;
  if (!r.digits(4, year) || !r.accept('-') || !r.digits(2, month) || !r.accept('-') ||
      !r.digits(2, day)) {
    return fail(text);
  }
  using namespace std::chrono;
  const year_month_day date{std::chrono::year{static_cast<int>(year)},
                            std::chrono::month{static_cast<unsigned>(month)},
                            std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok())
    return fail(text);
  const std::int64_t day_start_us =
      static_cast<std::int64_t>(sys_days(date).time_since_epoch().count()) * kUsPerDay;
  if (r.done())  // a bare date: the end of that day in court time
    return day_start_us + kUsPerDay - kCourtUtcOffsetUs - 1;
  if (!r.accept('T') && !r.accept(' '))
    return fail(text);
  std::int64_t hour = 0, minute = 0, second = 0, micros = 0;
  if (!r.digits(2, hour) || !r.accept(':') || !r.digits(2, minute))
    return fail(text);
  if (r.accept(':')) {
    if (!r.digits(2, second))
      return fail(text);
    if (r.accept('.') && !r.fraction(micros))
      return fail(text);
  }
  if (hour > 23 || minute > 59 || second > 60)
    return fail(text);
  std::int64_t offset_us = kCourtUtcOffsetUs;
  if (r.accept('Z') || r.accept('z')) {
    offset_us = 0;
  } else if (r.peek() == '+' || r.peek() == '-') {
    const bool east = r.accept('+');
    if (!east)
      r.accept('-');
    std::int64_t oh = 0, om = 0;
    if (!r.digits(2, oh) || !r.accept(':') || !r.digits(2, om) || oh > 23 || om > 59)
      return fail(text);
    offset_us = (oh * 3600 + om * 60) * kUsPerSecond * (east ? 1 : -1);
  }
  if (!r.done())
    return fail(text);
  return day_start_us + ((hour * 60 + minute) * 60 + second) * kUsPerSecond + micros - offset_us;
}

std::string format_time(std::int64_t us) {
  using namespace std::chrono;
  const std::int64_t days_since_epoch =
      us >= 0 ? us / kUsPerDay : -((-us + kUsPerDay - 1) / kUsPerDay);
  std::int64_t in_day = us - days_since_epoch * kUsPerDay;
  const year_month_day date{sys_days{std::chrono::days{days_since_epoch}}};
  const std::int64_t micros = in_day % kUsPerSecond;
  in_day /= kUsPerSecond;
  char buffer[48];
  int n = std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d",
                        static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                        static_cast<unsigned>(date.day()), static_cast<int>(in_day / 3600),
                        static_cast<int>(in_day / 60 % 60), static_cast<int>(in_day % 60));
  std::string out(buffer, static_cast<std::size_t>(n));
  if (micros != 0) {
    n = std::snprintf(buffer, sizeof buffer, ".%06d", static_cast<int>(micros));
    out.append(buffer, static_cast<std::size_t>(n));
  }
  out.push_back('Z');
  return out;
}

}  // namespace docket::replay
