#include "http/staff_routes.h"

#include "http/staff/staff_dialect.h"

namespace slotbook::server {

void register_staff_routes(Router& server, AppContext& app) {
  register_staff_availability_routes(server, app);
  register_staff_appointment_routes(server, app);
  register_staff_clinic_routes(server, app);
  register_staff_delivery_routes(server, app);
  register_staff_calendar_routes(server, app);
  register_staff_account_routes(server, app);
  register_staff_schedule_routes(server, app);
}

}  // namespace slotbook::server
