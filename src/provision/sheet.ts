// The onboarding credentials sheet: the only place initial passwords are
// written. It is also apply's journal: a password is appended (and fsynced)
// before the account is created, so an apply killed in between reuses it on
// the next run instead of creating an account nobody can log in to.
// Operators open it in a spreadsheet: fields are formula-guarded (src/util/csv.ts),
// so a user id's leading "@" shows as "'@"; reading it back removes the guard.
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { csvLine, parseCsv, unguardText } from "../util/csv.ts";
import { readSecretFile, writeSecretFile } from "../util/files.ts";

export const SHEET_COLUMNS = ["user_id", "password", "role", "facility", "district", "display_name", "language", "written_at"] as const;
export type SheetRow = Record<(typeof SHEET_COLUMNS)[number], string>;

export class OnboardingSheet {
  readonly dir: string;
  readonly csvPath: string;
  private rows = new Map<string, SheetRow>();

  constructor(dir: string) {
    this.dir = dir;
    this.csvPath = join(dir, "credentials.csv");
    if (existsSync(this.csvPath)) {
      const [header, ...lines] = parseCsv(readSecretFile(this.csvPath));
      if (header?.join(",") !== SHEET_COLUMNS.join(",")) {
        throw new Error(`${this.csvPath}: unexpected header; expected ${SHEET_COLUMNS.join(",")}. Move the file away and run apply again.`);
      }
      for (const line of lines) {
        const row = Object.fromEntries(SHEET_COLUMNS.map((c, i) => [c, unguardText(line[i] ?? "")])) as SheetRow;
        this.rows.set(row.user_id, row); // later rows (a reset password) win
      }
    }
  }

  /** The latest password written for this user, if any. */
  passwordFor(userId: string): string | undefined {
    return this.rows.get(userId)?.password;
  }

  row(userId: string): SheetRow | undefined {
    return this.rows.get(userId);
  }

  allRows(): SheetRow[] {
    return [...this.rows.values()];
  }

  /** Append a row and make it durable before returning. */
  record(row: SheetRow): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if (!existsSync(this.csvPath)) writeSecretFile(this.csvPath, SHEET_COLUMNS.join(",") + "\n");
    appendFileSync(this.csvPath, csvLine(SHEET_COLUMNS.map((c) => row[c])) + "\n", { mode: 0o600 });
    const fd = openSync(this.csvPath, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.rows.set(row.user_id, row);
  }
}
