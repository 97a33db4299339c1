// The number a nurse is told to phone when the network fails or no expert answers. It is read
// off a phone screen and dialled in an emergency, so it must be a number a phone can dial from
// anywhere: "+", country code, 8 to 15 digits in all (ITU E.164), single spaces or '-' between
// groups. The demo province ships an invented one that must never reach a real deployment.
import { z } from "zod";

/** The invented number of config/bokeo.yaml (scripts/gen-demo-roster.ts writes it). */
export const DEMO_HOSPITAL_PHONE = "+856 84 000 100";

export const internationalPhone = z
  .string()
  .regex(/^\+[1-9]\d*(?:[ -]\d+)*$/, "an international phone number: + then the country code, digits in groups separated by one space or '-', such as +856 84 000 100")
  .refine((s) => {
    const digits = s.replace(/\D/g, "").length;
    return digits >= 8 && digits <= 15;
  }, "a phone number of 8 to 15 digits in all, country code included (ITU E.164), such as +856 84 000 100");

/** A loud warning while the province still points nurses at the demo number, or undefined. */
export function demoPhoneWarning(province: { readonly rules: { readonly hospital_phone: string } }): string | undefined {
  if (province.rules.hospital_phone.replace(/\D/g, "") !== DEMO_HOSPITAL_PHONE.replace(/\D/g, "")) return undefined;
  return `rules.hospital_phone is ${province.rules.hospital_phone}, the INVENTED demo number. Every "phone the hospital" message and the pinned rules give it to nurses in an emergency: put the provincial hospital's real 24-hour number in the province file before anyone relies on this system.`;
}
