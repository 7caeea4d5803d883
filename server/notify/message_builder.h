// What a delivery says: the email, SMS or webhook body for one DeliveryRecord, built when
// it is sent from the event it tells of (or, for a reminder, the booking as it is then),
// the clinic's configuration and the templates (message_templates.h). No I/O.
#ifndef SLOTBOOK_SERVER_NOTIFY_MESSAGE_BUILDER_H_
#define SLOTBOOK_SERVER_NOTIFY_MESSAGE_BUILDER_H_

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "booking/clinic_config.h"
#include "booking/domain_event.h"
#include "common/expected.h"
#include "notify/email_message.h"
#include "notify/message_templates.h"
#include "storage/records.h"

namespace slotbook::server {

struct MessageSettings {
  std::string public_url;  // origin of manage links (--public-url), no trailing slash
  Mailbox mail_from;       // --mail-from
  std::string server_key;  // opens the sealed manage tokens
};

// What a delivery tells of: the booking as the event left it (`booking`), as it was
// before (`before`, for a reschedule), and its clinic.
struct MessageSubject {
  BookingRecord booking;
  std::optional<BookingRecord> before;
  std::shared_ptr<const ClinicConfig> clinic;
  // The manage token as sealed in the stored booking (events do not carry it).
  std::string manage_token_sealed;
};

class MessageBuilder {
 public:
  MessageBuilder(const MessageTemplates& templates, MessageSettings settings)
      : templates_(templates), settings_(std::move(settings)) {}

  // The whole RFC 5322 message and the address it goes to (the patient's or the
  // clinic's). Fails (invalid) when there is no valid address to send to.
  struct Email {
    std::string to;
    std::string message;
  };
  Expected<Email> email(const DeliveryRecord& delivery, const MessageSubject& subject,
                        UtcSeconds now) const;
  // The text message to the patient's phone.
  Expected<std::string> sms(const DeliveryRecord& delivery, const MessageSubject& subject) const;
  // The links that open the booking's manage page, in full and short (/m?t=TOKEN, for
  // text messages); empty when it has no manage token.
  struct ManageLinks {
    std::string full;
    std::string short_link;
  };
  ManageLinks manage_links(const BookingRecord& booking, const std::string& sealed_token) const;

 private:
  // The templates' values; `for_clinic`: for the front desk, without the patient's links.
  nlohmann::json context(const MessageSubject& subject, std::string_view language,
                         bool for_clinic) const;

  const MessageTemplates& templates_;
  const MessageSettings settings_;
};

// A webhook's body, `{"type", "timestamp", "data": {...}}` (docs/webhooks.md): the
// booking in the staff API's appointment shape and as it was before (`previous`), or the
// clinic's id and configuration versions. `clinic` is null when the clinic is gone. No manage
// token, ever.
std::string webhook_body(std::string_view type, const DomainEvent& event,
                         const ClinicConfig* clinic);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_NOTIFY_MESSAGE_BUILDER_H_
