/* global document */
// Shared state and messages of the beheerpagina. A refusal of the API shows its Dutch melding as is;
// while a dialog is open, in that dialog (the page behind it is inert).
import { ApiError } from "./api.js";

export const $ = (id) => document.getElementById(id);

/** @type {{ code: string, aanleverpunten: any[], poll: any, view: string, custom: any }} */
export const state = { code: "", aanleverpunten: [], poll: undefined, view: "acties", custom: null };

function box() {
  const open = [...document.querySelectorAll("dialog[open]")].pop();
  return open?.querySelector(".fout") ?? $("fout");
}

export function showError(e) {
  const b = box();
  b.textContent = e instanceof ApiError ? e.message : "Er ging iets mis in de pagina. Vernieuw de pagina en probeer het opnieuw.";
  b.hidden = false;
}

function clearError() {
  for (const b of document.querySelectorAll(".fout")) b.hidden = true;
}

export function showInfo(text) {
  clearError();
  $("info").textContent = text;
}

/** Runs a user action: clears old messages, shows the Dutch error when it fails. */
export async function attempt(fn) {
  clearError();
  try {
    await fn();
  } catch (e) {
    showError(e);
  }
}

/** Asks for confirmation in the page's dialog; resolves true on the confirming button. */
export function confirmDialog(text, yes = "Verwijderen", danger = true) {
  const dialog = $("bevestig");
  $("bevestig-tekst").textContent = text;
  $("bevestig-ja").textContent = yes;
  $("bevestig-ja").className = danger ? "gevaar" : "hoofd";
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "ja"), { once: true }));
}

export const plural = (n, one, more) => `${n} ${n === 1 ? one : more}`;
