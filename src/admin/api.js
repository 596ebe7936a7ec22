// The admin API as the beheerpagina calls it. A refusal becomes an ApiError carrying the Dutch
// `melding` (or `meldingen`) of the answer, which the page shows as is.

export class ApiError extends Error {
  /** @param {string} message @param {number} status */
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

/** The Dutch message of an error answer, or a general one when the body has none. */
async function messageOf(res) {
  let body;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (body && typeof body.melding === "string") return body.melding;
  if (body && Array.isArray(body.meldingen) && body.meldingen.length > 0) return body.meldingen.join(" ");
  if (body && typeof body.reden === "string") return body.reden;
  if (res.status === 401 || res.status === 403) return "U bent niet (meer) aangemeld of heeft geen toegang. Vernieuw de pagina om opnieuw aan te melden.";
  if (res.status === 404) return "Niet gevonden.";
  return `De dienst gaf een onverwacht antwoord (status ${res.status}). Probeer het later opnieuw.`;
}

/**
 * Calls the admin API below /api; JSON in and out.
 * @param {string} path e.g. "aanleverpunten/00AA00/actielijst"
 * @param {{ method?: string, body?: unknown }} [opts]
 */
export async function api(path, opts = {}) {
  // X-Requested-With: when the sign-in has expired, App Service Authentication answers 401 instead of redirecting to its login page
  const init = { method: opts.method ?? "GET", headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" }, credentials: "same-origin" };
  if (opts.body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(opts.body);
  }
  let res;
  try {
    res = await fetch(`/api/${path}`, init);
  } catch {
    throw new ApiError("De dienst is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.", 0);
  }
  if (!res.ok) throw new ApiError(await messageOf(res), res.status);
  return res.status === 204 ? null : res.json();
}

/** Path of one aanleverpunt's resource. */
export const ap = (code, rest) => `aanleverpunten/${encodeURIComponent(code)}/${rest}`;
