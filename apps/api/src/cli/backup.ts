// `npm run backup [-- <file>]`: an online, verified copy of the panel's database (SQLite or
// PostgreSQL, as DATABASE_URL says).
import { loadConfig } from "../config.ts";
import { backupDatabase } from "../services/backup.ts";

const config = loadConfig();
const target = await backupDatabase(config.databaseUrl, process.argv[2], {
  dataDir: config.dataDir,
});
console.log(`backup written and verified: ${target}`);
console.log(
  "Keep the secret key with it (LVS_PANEL_SECRET_KEY or secret.key in the data directory): " +
    "without it the stored SSH keys and passwords cannot be decrypted.",
);
