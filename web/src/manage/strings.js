// The strings only the manage page shows (the widget's script does without them), added to
// the widget's table (widget/i18n.js) when the manage page's script loads.

import { addStrings } from '../widget/i18n.js';

addStrings({
  en: {
    updateCalendar: 'Update my calendar',
    manageTitle: 'Your appointment',
    tooLateToChange: 'Changes online were possible until {deadline}. To change or cancel, please call the clinic.',
    tooLateToChangePhone:
      'Changes online were possible until {deadline}. To change or cancel, please call the clinic at {phone}.',
    status_confirmed: 'Confirmed',
    status_pending: 'Pending',
    status_cancelled: 'Cancelled',
    status_completed: 'Completed',
    status_no_show: 'Missed',
    notFound: 'We could not find this booking. Check the link in your confirmation.',
    cancel: 'Cancel appointment',
    cancelAsk: 'Cancel this appointment?',
    cancelReason: 'Reason (optional)',
    cancelYes: 'Yes, cancel it',
    keep: 'Keep it',
    cancelled: 'Your appointment is cancelled.',
    reschedule: 'Reschedule',
    rescheduleTitle: 'Pick a new time',
    rescheduleConfirm: 'Move to this time',
    rescheduled: 'Your appointment is moved to {date}.',
    bookingChanged: 'This booking has changed since you opened this page. Here it is as it is now.',
  },
  es: {
    updateCalendar: 'Actualizar mi calendario',
    manageTitle: 'Su cita',
    tooLateToChange:
      'Los cambios en línea eran posibles hasta el {deadline}. Para cambiarla o cancelarla, llame a la clínica.',
    tooLateToChangePhone:
      'Los cambios en línea eran posibles hasta el {deadline}. Para cambiarla o cancelarla, llame a la clínica al {phone}.',
    status_confirmed: 'Confirmada',
    status_pending: 'Pendiente',
    status_cancelled: 'Cancelada',
    status_completed: 'Realizada',
    status_no_show: 'No asistió',
    notFound: 'No encontramos esta cita. Revise el enlace de su confirmación.',
    cancel: 'Cancelar cita',
    cancelAsk: '¿Cancelar esta cita?',
    cancelReason: 'Motivo (opcional)',
    cancelYes: 'Sí, cancelarla',
    keep: 'Mantenerla',
    cancelled: 'Su cita está cancelada.',
    reschedule: 'Cambiar horario',
    rescheduleTitle: 'Elija un nuevo horario',
    rescheduleConfirm: 'Cambiar a este horario',
    rescheduled: 'Su cita se ha cambiado al {date}.',
    bookingChanged: 'Esta cita ha cambiado desde que abrió esta página. Así está ahora.',
  },
});
