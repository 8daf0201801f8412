// Read-your-writes across reactions: accepting a filing makes the platform's reactions register
// its case and issue its payment notice. With the reactor running (as docketd runs it), the
// accept's reply answers once those commands are committed, at the position after them, so a
// read with ?after=<position> sees the case and the notice at once.
#include "api_fixture.h"

namespace docket::api::testing {
namespace {

class ReadYourWritesTest : public ApiTest {
 protected:
  ServerOptions server_options() override {
    auto options = ApiTest::server_options();
    options.run_platform = true;  // the reactor follows the log on its own thread
    return options;
  }

  // The position of the first event of `type` in `stream`; 0 when there is none.
  std::uint64_t position_of(const std::string& stream, std::string_view type) {
    auto events = store_->read_stream(stream, 1, 1'000);
    EXPECT_TRUE(events) << events.error().message;
    if (!events)
      return 0;
    for (const auto& e : *events) {
      if (e.type == type)
        return e.position;
    }
    return 0;
  }
};

TEST_F(ReadYourWritesTest, AnAcceptedFilingsCaseAndPaymentNoticeAreReadableAfterTheReply) {
  auto lawyer = person(std::string(kFiler));
  auto clerk = person("clerk01");
  const auto filing = submitted_filing(*lawyer);

  auto accepted = clerk->post("/v1/filings/" + filing + "/accept");
  ASSERT_EQ(accepted.status, 200u) << accepted;
  const auto reply = accepted.json().as_object();
  EXPECT_EQ(reply.if_contains("reactions_pending"), nullptr) << accepted;
  const std::string number = accepted.text("case_number");
  ASSERT_FALSE(number.empty()) << accepted;
  const auto position = reply.at("position").to_number<std::uint64_t>();

  // The reply's position is past every event the reactions wrote.
  const auto registered = position_of("case-" + number, "CaseRegistered");
  const auto issued = position_of("payment-" + filing, "PaymentNoticeIssued");
  ASSERT_GT(registered, 0u) << "the case was registered before the reply";
  ASSERT_GT(issued, 0u) << "the payment notice was issued before the reply";
  EXPECT_GE(position, registered);
  EXPECT_GE(position, issued);
  EXPECT_EQ(accepted.header("docket-position"), std::to_string(position));

  const std::string after = "?after=" + std::to_string(position);
  auto c = lawyer->get("/v1/cases/" + url_encode(number) + after);
  EXPECT_EQ(c.status, 200u) << c;
  auto payment = lawyer->get("/v1/payments/" + filing + after);
  EXPECT_EQ(payment.status, 200u) << payment;
}

TEST_F(ReadYourWritesTest, ACommandThatCausesNoReactionAnswersAtItsOwnPosition) {
  auto lawyer = person(std::string(kFiler));
  const auto filing = submitted_filing(*lawyer);
  const auto before = last();
  auto cancelled = lawyer->post("/v1/filings/" + filing + "/cancel",
                                json::object{{"reason", "settled out of court"}});
  ASSERT_EQ(cancelled.status, 200u) << cancelled;
  const auto reply = cancelled.json().as_object();
  EXPECT_EQ(reply.if_contains("reactions_pending"), nullptr) << cancelled;
  EXPECT_GT(reply.at("position").to_number<std::uint64_t>(), before);
  EXPECT_EQ(reply.at("position").to_number<std::uint64_t>(), last());
}

// Without a running reactor (a platform settled by hand, as these tests do elsewhere), the reply
// says that the reactions it caused are still to come.
using ReactionsPendingTest = ApiTest;

TEST_F(ReactionsPendingTest, AnAcceptWhoseReactionsDidNotRunSaysSo) {
  auto lawyer = person(std::string(kFiler));
  auto clerk = person("clerk01");
  const auto filing = submitted_filing(*lawyer);
  auto accepted = clerk->post("/v1/filings/" + filing + "/accept");
  ASSERT_EQ(accepted.status, 200u) << accepted;
  const auto reply = accepted.json().as_object();
  const auto* pending = reply.if_contains("reactions_pending");
  ASSERT_NE(pending, nullptr) << accepted;
  EXPECT_TRUE(pending->as_bool());
  EXPECT_EQ(reply.at("position").to_number<std::uint64_t>(), last());
}

}  // namespace
}  // namespace docket::api::testing
