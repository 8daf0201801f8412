// What verify checks of a blob's recorded content type: that it is a media type
// ("type/subtype", RFC 6838 characters, no parameters) and that it agrees with the file's
// signature when the bytes begin with one Docket knows (PDF, PNG, JPEG, GIF, WebP, TIFF, and ZIP,
// the container of OFD). Bytes without a known signature do not decide the type. Private to
// replay/src.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace docket::replay::detail {

// nullopt when `content_type` is acceptable for a file whose bytes begin with `head` (its first
// 16 bytes or fewer); else the end of a sentence "Expected blob X to have …", e.g. "a content
// type that agrees with its bytes (a PDF file), but it is \"text/html\"".
std::optional<std::string> content_type_problem(std::string_view content_type,
                                                std::string_view head);

}  // namespace docket::replay::detail
