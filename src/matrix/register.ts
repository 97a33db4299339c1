// Shared-secret registration: how the first admin (and test users) are created
// while public registration stays closed.
import { createHmac } from "node:crypto";
import type { MatrixHttp } from "./http.ts";

export interface Session {
  userId: string;
  accessToken: string;
  deviceId: string;
}

export async function registerWithSharedSecret(http: MatrixHttp, sharedSecret: string, user: { localpart: string; password: string; admin: boolean; displayName?: string }): Promise<Session> {
  const { nonce } = await http.get<{ nonce: string }>("/_synapse/admin/v1/register");
  const mac = createHmac("sha1", sharedSecret)
    .update(`${nonce}\0${user.localpart}\0${user.password}\0${user.admin ? "admin" : "notadmin"}`)
    .digest("hex");
  const res = await http.post<{ user_id: string; access_token: string; device_id: string }>("/_synapse/admin/v1/register", {
    nonce,
    username: user.localpart,
    password: user.password,
    admin: user.admin,
    displayname: user.displayName,
    mac,
  });
  return { userId: res.user_id, accessToken: res.access_token, deviceId: res.device_id };
}

export async function loginWithPassword(http: MatrixHttp, user: string, password: string, deviceName: string, deviceId?: string): Promise<Session> {
  const res = await http.post<{ user_id: string; access_token: string; device_id: string }>("/_matrix/client/v3/login", {
    type: "m.login.password",
    identifier: { type: "m.id.user", user },
    password,
    initial_device_display_name: deviceName,
    ...(deviceId ? { device_id: deviceId } : {}),
  });
  return { userId: res.user_id, accessToken: res.access_token, deviceId: res.device_id };
}
