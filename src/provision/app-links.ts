// The links that open each Element app's sign-in with the province's server filled in,
// as each app's own source reads them (checked in element-x-android and element-android):
// - Element X: https://mobile.element.io/element/?account_provider=SERVER (DefaultLoginIntentResolver;
//   the app then offers "Sign in to SERVER"). Its login_hint is for OIDC sign-in, not passwords: left out.
// - Element Classic: https://mobile.element.io/?hs_url=SERVER_URL (LoginConfig, the "configuration link").
// Android opens the installed app for its own path (/element/ and / are claimed separately);
// without the app, the phone's browser opens the page on mobile.element.io. A link carries
// the server only: a password never goes into a link or a QR code.

export type ElementApp = "element_x" | "element_classic";

export function signInLink(app: ElementApp, serverUrl: string): string {
  const server = serverUrl.replace(/\/+$/u, "");
  return app === "element_x" ? `https://mobile.element.io/element/?account_provider=${encodeURIComponent(server)}` : `https://mobile.element.io/?hs_url=${encodeURIComponent(server)}`;
}
