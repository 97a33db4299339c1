// Account care after provisioning: forgotten passwords and lost phones.
import type { Deployment } from "../homeserver/deployment.ts";
import { enc, MatrixError, type MatrixHttp } from "../matrix/http.ts";
import { initialPassword } from "../provision/apply.ts";
import { OnboardingSheet } from "../provision/sheet.ts";
import { mapLimited } from "../util/concurrency.ts";

function userId(dep: Deployment, user: string): string {
  const hs = dep.requireHomeserver();
  return user.startsWith("@") ? user : `@${user}:${hs.serverName}`;
}

async function requireUser(http: MatrixHttp, id: string): Promise<void> {
  try {
    await http.get(`/_synapse/admin/v2/users/${enc(id)}`);
  } catch (err) {
    if (err instanceof MatrixError && err.status === 404) throw new Error(`no account ${id} on this homeserver; check the spelling (localparts are like hx-nurse-017)`);
    throw err;
  }
}

export async function resetPassword(dep: Deployment, user: string, opts: { logoutDevices: boolean }): Promise<{ userId: string; sheet: string }> {
  const id = userId(dep, user);
  const { http } = await dep.adminSession();
  await requireUser(http, id);
  const sheet = new OnboardingSheet(dep.path("onboarding"));
  const previous = sheet.row(id);
  const password = initialPassword();
  // Written first: if the reset then fails, the old password still works and the
  // next reset writes a newer row.
  sheet.record({
    user_id: id,
    password,
    role: previous?.role ?? "",
    facility: previous?.facility ?? "",
    district: previous?.district ?? "",
    display_name: previous?.display_name ?? "",
    language: previous?.language ?? "",
    written_at: new Date().toISOString(),
  });
  await http.post(`/_synapse/admin/v1/reset_password/${enc(id)}`, { new_password: password, logout_devices: opts.logoutDevices });
  return { userId: id, sheet: sheet.csvPath };
}

export interface DeviceRow {
  user_id: string;
  device_id: string;
  display_name: string | null;
  last_seen: string | null;
  last_seen_days: number | null;
}

interface AdminDevice {
  device_id: string;
  display_name?: string | null;
  last_seen_ts?: number | null;
}

export async function devicesList(dep: Deployment, opts: { user?: string; staleDays?: number; now?: number }): Promise<DeviceRow[]> {
  const { http } = await dep.adminSession();
  let ids: string[];
  if (opts.user) {
    ids = [userId(dep, opts.user)];
    await requireUser(http, ids[0]!);
  } else {
    ids = [];
    let from: string | undefined = "0";
    while (from !== undefined) {
      const page: { users: Array<{ name: string }>; next_token?: string | number } = await http.get(`/_synapse/admin/v2/users?from=${enc(from)}&limit=500&guests=false`);
      ids.push(...page.users.map((u) => u.name));
      from = page.next_token === undefined ? undefined : String(page.next_token);
    }
  }
  const now = opts.now ?? Date.now();
  const perUser = await mapLimited(ids, 8, async (id) => {
    const { devices } = await http.get<{ devices: AdminDevice[] }>(`/_synapse/admin/v2/users/${enc(id)}/devices`);
    return devices.map((d): DeviceRow => {
      const seen = d.last_seen_ts ?? null;
      return {
        user_id: id,
        device_id: d.device_id,
        display_name: d.display_name ?? null,
        last_seen: seen === null ? null : new Date(seen).toISOString(),
        last_seen_days: seen === null ? null : Math.floor((now - seen) / 86_400_000),
      };
    });
  });
  const rows = perUser.flat();
  const stale = opts.staleDays;
  return stale === undefined ? rows : rows.filter((r) => r.last_seen_days === null || r.last_seen_days >= stale);
}

export async function devicesLogout(dep: Deployment, user: string, device?: string): Promise<number> {
  const id = userId(dep, user);
  const { http } = await dep.adminSession();
  await requireUser(http, id);
  const { devices } = await http.get<{ devices: AdminDevice[] }>(`/_synapse/admin/v2/users/${enc(id)}/devices`);
  const targets = device ? devices.filter((d) => d.device_id === device) : devices;
  if (device && targets.length === 0) throw new Error(`${id} has no device ${device}; \`mchlink devices list ${user}\` shows the ones it has`);
  if (targets.length === 0) return 0;
  await http.post(`/_synapse/admin/v2/users/${enc(id)}/delete_devices`, { devices: targets.map((d) => d.device_id) });
  return targets.length;
}
