// How plans read on a terminal and as JSON. Long runs of the same kind of
// change (270 accounts, 1,000 joins) are summarised unless --verbose.
import type { Change, Plan } from "./plan.ts";

export function changeLine(c: Change): string {
  switch (c.kind) {
    case "create_user":
      return `+ account ${c.user.userId} "${c.user.displayName}"${c.user.person ? ` (${c.user.person.role}, ${c.user.person.facility})` : " (bot)"}`;
    case "update_user": {
      const parts: string[] = [];
      if (c.reactivate) parts.push("reactivate (new initial password in the sheet)");
      if (c.displayName) parts.push(`display name "${c.displayName.from ?? ""}" → "${c.displayName.to}"`);
      if (c.admin) parts.push(`server admin ${c.admin.from} → ${c.admin.to}`);
      return `~ account ${c.user.userId}: ${parts.join(", ")}`;
    }
    case "exempt_ratelimit":
      return `~ account ${c.userId}: exempt from rate limits (service account)`;
    case "create_room":
      return `+ ${c.room.kind === "space" ? "space" : "room"} #${c.room.alias} "${c.room.name}" (encrypted, invite-only, federation ${c.room.federate ? "on" : "off"}, ${c.room.members.length} members)`;
    case "set_state":
      return `~ room #${c.room.alias}: ${c.event.type}${c.event.stateKey ? ` [${c.event.stateKey}]` : ""}${c.previous ? " changed" : " set"}`;
    case "join":
      return `+ member ${c.userId} → #${c.room.alias}${c.remote ? " (invite to a partner server's user)" : ""}`;
    case "pin_rules":
      return `~ room #${c.room.alias}: pin the current usage rules`;
    case "remove_member":
      return `- member ${c.userId} ← #${c.room.alias} (${c.reason === "moved" ? "moved in the config" : "not in the config"})`;
    case "deactivate_user":
      return `- account ${c.userId}: deactivate (not in the config)`;
  }
}

export function countByKind(changes: Change[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of changes) counts[c.kind] = (counts[c.kind] ?? 0) + 1;
  return counts;
}

export function renderPlan(p: Plan, opts: { verbose: boolean; prune: boolean }): string {
  const lines: string[] = [];
  if (p.changes.length === 0) {
    lines.push("No changes. The homeserver matches the config.");
  } else {
    const groups = new Map<string, string[]>();
    for (const c of p.changes) {
      const list = groups.get(c.kind) ?? [];
      list.push(changeLine(c));
      groups.set(c.kind, list);
    }
    for (const [kind, list] of groups) {
      const shown = opts.verbose || list.length <= 12 ? list : [...list.slice(0, 8), `  … and ${list.length - 8} more ${kind.replace("_", " ")} changes (--verbose lists them all)`];
      lines.push(...shown);
    }
    const counts = countByKind(p.changes);
    lines.push(
      "",
      `Plan: ${p.changes.length} changes (${Object.entries(counts)
        .map(([k, n]) => `${n} ${k.replace("_", " ")}`)
        .join(", ")}).`,
    );
  }
  if (p.notInConfig.length > 0) {
    lines.push(
      "",
      `${p.notInConfig.length} account(s) in the province's rooms are not in the config: ${p.notInConfig.join(", ")}.`,
      opts.prune ? "They will be removed from the rooms and deactivated." : "Run apply --prune to remove them from the rooms and deactivate them.",
    );
  }
  for (const w of p.warnings) lines.push("", `warning: ${w}`);
  return lines.join("\n");
}

export function planJson(p: Plan): unknown {
  return {
    changes: p.changes.map((c) => ({ kind: c.kind, summary: changeLine(c) })),
    counts: countByKind(p.changes),
    not_in_config: p.notInConfig,
    warnings: p.warnings,
    noop: p.changes.length === 0,
  };
}
