// doiuse-email (caniemail.com's data) on one HTML file, for tests/test_email_filters.py:
// node doiuse_email.mjs FILE CLIENT... prints {"errors": [...], "notes": [...]} as JSON.
import { readFileSync } from 'node:fs';
import { doIUseEmail } from 'doiuse-email';

const [file, ...clients] = process.argv.slice(2);
const result = doIUseEmail(readFileSync(file, 'utf8'), { emailClients: clients });
process.stdout.write(JSON.stringify({ errors: result.errors ?? [], notes: result.notes ?? [] }));
