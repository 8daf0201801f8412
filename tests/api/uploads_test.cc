// Uploads are checked against their declared type by their bytes, and files are served so that
// a browser never renders them in the API's origin.
#include "api_fixture.h"
#include "docket/engine/sha256.h"

namespace docket::api::testing {
namespace {

class UploadsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    lawyer_ = person(std::string(kFiler));
  }

  // An upload that must be refused with 415 problem+json, storing nothing.
  void refused(const std::string& bytes, const std::string& type) {
    const auto before = platform().blobs().stat(engine::to_hex(engine::sha256(bytes)));
    ASSERT_FALSE(before) << "not stored before";
    auto r = lawyer_->send(beast::http::verb::post, "/v1/blobs", bytes, {{"Content-Type", type}});
    EXPECT_EQ(r.status, 415u) << type << ": " << r;
    EXPECT_EQ(r.header("content-type"), "application/problem+json") << r;
    EXPECT_EQ(r.text("detail").rfind("Expected ", 0), 0u) << r;
    const auto after = platform().blobs().stat(engine::to_hex(engine::sha256(bytes)));
    EXPECT_FALSE(after) << type << ": nothing stored";
  }

  std::unique_ptr<Client> lawyer_;
};

TEST_F(UploadsTest, HtmlDeclaredAsPngIsRefused) {
  refused("<!DOCTYPE html><html><script>alert(document.cookie)</script></html>", "image/png");
}

TEST_F(UploadsTest, SvgDeclaredAsGifIsRefused) {
  refused(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(document.domain)\"><text>x</text>"
      "</svg>",
      "image/gif");
}

TEST_F(UploadsTest, AnExecutableDeclaredAsPdfIsRefused) {
  refused(std::string("\x7F"
                      "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
                      16) +
              "payload",
          "application/pdf");
  refused("MZ\x90\x00 not a pdf", "application/pdf");
}

TEST_F(UploadsTest, TextMustBeUtf8WithoutNul) {
  refused(std::string("plain\0text", 10), "text/plain");
  refused("\xC0\xAF overlong", "text/plain");
  refused("\xED\xA0\x80 surrogate", "text/plain");
}

TEST_F(UploadsTest, EveryAcceptedTypeIsTakenWhenItsBytesMatch) {
  const std::vector<std::pair<std::string, std::string>> files = {
      {pdf("a pdf"), "application/pdf"},
      {jpeg("a jpeg"), "image/jpeg"},
      {png("a png"), "image/png"},
      {"GIF89a a gif", "image/gif"},
      {std::string("RIFF\x10\0\0\0WEBP", 12) + "VP8 a webp", "image/webp"},
      {std::string("II*\0", 4) + "a tiff", "image/tiff"},
      {std::string("MM\0*", 4) + "a tiff", "image/tiff"},
      {"PK\x03\x04 an ofd", "application/ofd"},
      {"起诉状 plain text", "text/plain; charset=utf-8"},
  };
  for (const auto& [bytes, type] : files) {
    auto r = lawyer_->send(beast::http::verb::post, "/v1/blobs", bytes, {{"Content-Type", type}});
    EXPECT_EQ(r.status, 201u) << type << ": " << r;
  }
}

TEST_F(UploadsTest, AFileIsServedAsAnAttachmentThatIsNeverSniffedNorRun) {
  const auto hash = lawyer_->upload(pdf("the complaint"));
  auto r = lawyer_->get("/v1/blobs/" + hash);
  ASSERT_EQ(r.status, 200u) << r;
  EXPECT_EQ(r.body, pdf("the complaint"));
  EXPECT_EQ(r.header("content-type"), "application/pdf");
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.header("content-disposition"), "attachment; filename=\"" + hash + ".pdf\"");
  EXPECT_EQ(r.header("content-security-policy"), "default-src 'none'; sandbox");
  EXPECT_EQ(r.header("cache-control"), "no-store");
}

}  // namespace
}  // namespace docket::api::testing
