// Progressive enhancement only: every page works without this file.
import DS from './ds/design-system.js';

DS.initAll();

// On the referral form, fill the other activity hours and the completion date from the
// unpaid work hours and the order date as they are typed, when the case worker has not
// typed them. The server applies the same defaults when they are left blank.
const form = document.querySelector('[data-cairn="referral-form"]');
if (form) {
  const cap = Number(form.dataset.cap || 30);
  const hours = form.querySelector('#unpaid_hours');
  const activity = form.querySelector('#activity_hours');
  const orderDate = form.querySelector('#order_date');
  const completeBy = form.querySelector('#complete_by');
  const touched = new Set();
  [activity, completeBy].forEach((el) => el && el.addEventListener('input', () => touched.add(el)));

  const parseDate = (text) => {
    const m = /^\s*(\d{1,2})[\/\-. ](\d{1,2})[\/\-. ](\d{4})\s*$/.exec(text);
    if (!m) return null;
    const d = new Date(Date.UTC(+m[3], +m[2] - 1, +m[1]));
    return d.getUTCDate() === +m[1] ? d : null;
  };
  const addMonths = (d, months) => {
    const day = d.getUTCDate();
    const r = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
    const last = new Date(Date.UTC(r.getUTCFullYear(), r.getUTCMonth() + 1, 0)).getUTCDate();
    r.setUTCDate(Math.min(day, last));
    return r;
  };
  const pad = (n) => String(n).padStart(2, '0');
  const update = () => {
    const h = Number(hours.value);
    const valid = Number.isInteger(h) && h >= 20 && h <= 300;
    if (valid && !touched.has(activity)) activity.value = String(Math.floor((h * cap) / 100));
    const d = parseDate(orderDate.value);
    if (valid && d && !touched.has(completeBy)) {
      const c = addMonths(d, h <= 100 ? 3 : 6);
      completeBy.value = `${pad(c.getUTCDate())}/${pad(c.getUTCMonth() + 1)}/${c.getUTCFullYear()}`;
    }
  };
  if (hours && activity && orderDate && completeBy) {
    hours.addEventListener('input', update);
    orderDate.addEventListener('input', update);
  }
}
