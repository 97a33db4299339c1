// `mchlink backup` and `mchlink restore` (src/backup/ does the work).
import type { Command } from "commander";
import { createBackup } from "../backup/backup.ts";
import { restoreBackup } from "../backup/restore.ts";
import type { Deployment } from "../homeserver/deployment.ts";

type Line = (line: string) => void;

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function addBackupCommands(program: Command, deployment: (cmd: Command) => Deployment, out: Line, err: Line): void {
  program
    .command("backup")
    .description("write one archive (0600) with the homeserver's data and database (SQLite or PostgreSQL), the state folder and the bot's database; the stack may keep running")
    .argument("<out>", "the archive to write, e.g. /var/backups/mchlink-2026-11-25.tar.gz (must not exist)")
    .option("--synapse-data <dir>", "Synapse's data folder when the state folder records none (docker-compose: deploy/synapse as mounted, see docs/operations.md)")
    .action(async (file: string, opts: { synapseData?: string }, cmd: Command) => {
      const res = await createBackup(deployment(cmd), { out: file, log: err, ...(opts.synapseData ? { synapseData: opts.synapseData } : {}) });
      for (const w of res.warnings) err(`warning: ${w}`);
      out(`Backup written: ${res.out} (${mib(res.bytes)}, mode 0600, ${res.manifest.files.length} files).`);
      for (const c of res.manifest.contents) out(`  in it:   ${c}`);
      for (const c of res.manifest.left_out) out(`  left out: ${c}`);
      out("It holds passwords, the server's signing key and the bot's recovery key: keep it as safe as the server, off the machine.");
    });

  program
    .command("restore")
    .description("replace the state folder with a backup and fill Synapse's empty PostgreSQL database from it (the stack must be stopped); the bot then starts as a new device")
    .argument("<archive>", "an archive written by `mchlink backup`")
    .option("--dry-run", "check the archive and say what would happen, without changing anything", false)
    .option("--synapse-data <dir>", "put Synapse's data folder here (it must hold no files) instead of inside the state folder (docker-compose: deploy/synapse as mounted)")
    .action(async (file: string, opts: { dryRun: boolean; synapseData?: string }, cmd: Command) => {
      const res = await restoreBackup(deployment(cmd), { archive: file, dryRun: opts.dryRun, ...(opts.synapseData ? { synapseData: opts.synapseData } : {}) });
      const m = res.manifest;
      const made = `made ${m.created_at} by mchlink ${m.mchlink.version}${m.synapse?.version ? ` with Synapse ${m.synapse.version}` : ""}`;
      if (res.dryRun) {
        out(`The archive is intact (${m.files.length} files, ${made}).`);
        out(`Restoring it would replace ${res.stateDir}${m.server_name ? ` with the deployment of ${m.server_name}` : ""}.`);
        if (res.database) out(`It would fill the empty PostgreSQL database ${res.database.name} at ${res.database.host}:${res.database.port} (PostgreSQL ${res.database.serverVersion}).`);
        if (res.databaseProblem) out(`Restoring it now would be refused: ${res.databaseProblem}`);
        return;
      }
      out(`Restored ${res.stateDir} from the backup ${made}.`);
      if (res.database) out(`Synapse's database was restored into ${res.database.name} at ${res.database.host}:${res.database.port} (PostgreSQL ${res.database.serverVersion}).`);
      if (res.replaced) out(`The state folder that was there is kept at ${res.replaced}; delete it once the restored stack works.`);
      if (m.synapse?.database.engine === "postgresql" && !m.synapse.database.included)
        err("warning: the archive has no Synapse database (made before backups held PostgreSQL); restore it from its pg_dump before starting Synapse.");
      // --synapse-data is the compose layout: the setup service renders the configs again and gives the files to their users.
      if (opts.synapseData)
        out("Next: docker compose --profile setup run --rm setup && docker compose up -d. The bot will log in as a new device and delete its old one: its crypto store is never restored,");
      else out("Next: npm run up (or mchlink up CONFIG). The bot will log in as a new device and delete its old one: its crypto store is never restored,");
      out("so it cannot read messages sent before the restore; its cross-signing identity stays the same. Messages sent after the backup was made are gone.");
    });
}
