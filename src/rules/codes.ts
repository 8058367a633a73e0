// Every code esprov prints is in this one table: a row's problems and warnings (CODES), a row's
// outcome (ROW_CODES) and what stops a command (STOP_CODES). The sentence a support person reads
// and what to do about it live here, next to the code, so the README's list is generated from this
// table (code-table.ts) and cannot drift from what the program prints.

import { API_ERROR_MESSAGES, type ApiErrorCode } from '../api/errors.js';

/** `skip`: the row holds no endpoint (empty, or a total line) and is SKIPPED, not an error. */
export type Severity = 'error' | 'warning' | 'skip';

export interface Problem {
  readonly code: ProblemCode;
  readonly severity: Severity;
  /** The canonical field the problem is about, when there is one. */
  readonly field?: string;
  /** One sentence: which field, what is wrong, what to do. */
  readonly message: string;
}

type Params = Record<string, string | number>;

interface CodeEntry {
  readonly severity: Severity;
  /** What the code means, for the README. */
  readonly meaning: string;
  /** What a person does about it, for the README. */
  readonly fix: string;
  readonly message: (p: Params) => string;
}

const entry = (severity: Severity, meaning: string, fix: string, message: (p: Params) => string): CodeEntry => ({
  severity,
  meaning,
  fix,
  message,
});

export const CODES = {
  RECORD_UNPARSEABLE: entry(
    'error',
    'The line could not be read as a CSV record (broken quoting).',
    'Open the file in a text editor at that line and fix the quotes.',
    (p) => `Line ${p.line} could not be read (${p.reason}): fix the quoting on that line and run again.`,
  ),
  RECORD_CELL_COUNT: entry(
    'error',
    'The record has a different number of cells than the header.',
    'Remove the extra delimiter or add the missing cells.',
    (p) => `Line ${p.line} has ${p.count} cells but the header has ${p.expected}: check for a stray or missing ${p.delimiter}.`,
  ),
  ROW_EMPTY: entry(
    'skip',
    'The row has no data in any column esprov reads; it is SKIPPED.',
    'Nothing to do; delete the row if it is not meant to be there.',
    (p) => `Line ${p.line} is empty in every column esprov reads: skipped.`,
  ),
  ROW_FOOTER: entry(
    'skip',
    'The row is a total or note line of the export (such as "Total: 3"), not an endpoint; it is SKIPPED.',
    'Nothing to do; if it was meant as an endpoint, fill in its fields.',
    (p) => `Line ${p.line} holds only "${p.text}", a total or note line, not an endpoint: skipped.`,
  ),
  FIELD_REQUIRED: entry('error', 'A required field is empty.', 'Fill in the field.', (p) => `${p.field} is empty: it is required, fill it in.`),
  FIELD_TOO_LONG: entry('error', 'A field is longer than the API accepts.', 'Shorten the value to the limit.', (p) => `${p.field} is ${p.length} characters; the limit is ${p.limit}: shorten it.`),
  ADDRESS_LINE2_TOO_LONG: entry(
    'error',
    'AddressLine2 is over 60 characters even after unit types are abbreviated; PSAPs show only 60.',
    'Shorten AddressLine2 (keep the unit designators and numbers that locate the caller).',
    (p) => `AddressLine2 is ${p.length} characters after abbreviation; the limit is 60: shorten it.`,
  ),
  ADDRESS_MISSING: entry(
    'error',
    'Neither a street address (HouseNumber and StreetName) nor an AddressLine1 is given.',
    'Fill in HouseNumber and StreetName, or AddressLine1.',
    () => 'The street address is missing: fill in HouseNumber and StreetName, or AddressLine1.',
  ),
  IDENTIFIER_INVALID: entry(
    'error',
    'The Identifier is not 10 to 30 letters and digits.',
    'Use 10 to 30 characters A-Z, a-z, 0-9, with no spaces or punctuation.',
    (p) => `Identifier "${p.value}" ${p.reason}: use 10 to 30 letters and digits only.`,
  ),
  IDENTIFIER_DUPLICATE: entry(
    'error',
    'The same Identifier appears on an earlier row of the file (or did, in the file a fed-back --errors-out row came from).',
    'Give each endpoint its own Identifier, or remove the duplicate row.',
    (p) =>
      p.second === undefined
        ? `Identifier "${p.value}" is already used on line ${p.line}: each endpoint needs its own Identifier.`
        : `Identifier "${p.value}" is on lines ${p.line} and ${p.second} of ${p.input}: still refused, so it does not overwrite the endpoint the other row provisioned. Remove one of the two rows from ${p.input} and run it again (or give this row its own Identifier).`,
  ),
  CALLBACK_NOT_NANPA: entry(
    'error',
    'The callback number is not a valid 10-digit North American number.',
    'Enter the 10-digit number the PSAP can call back (area code first).',
    (p) => `CallbackNumber "${p.value}" ${p.reason}: enter a 10-digit North American number such as 919 555 1234.`,
  ),
  CALLBACK_SCIENTIFIC: entry(
    'error',
    'The number was turned into scientific notation by a spreadsheet and its digits are lost.',
    'Format the column as Text in the spreadsheet, re-enter the numbers and export again.',
    (p) => `${p.field} "${p.value}" was turned into scientific notation by a spreadsheet and its digits are lost: format the column as Text and export again.`,
  ),
  CALLER_NAME_INVALID: entry(
    'error',
    'The caller name contains characters that cannot be delivered to a PSAP.',
    'Remove control characters and symbols the PSAP cannot display.',
    (p) => `CallerName contains ${p.reason}: remove them.`,
  ),
  LANGUAGE_INVALID: entry(
    'error',
    'The preferred language is not one the API accepts.',
    'Use en or fr (English or French) for dlr, a two-letter language code for unified.',
    (p) => `${p.field} "${p.value}" is not a supported language: use ${p.allowed}.`,
  ),
  LOCATION_ID_INVALID: entry(
    'error',
    'The LocationId is not 1 to 50 letters and digits.',
    'Use at most 50 characters A-Z, a-z, 0-9, or leave it empty to let esprov derive one.',
    (p) => `LocationId "${p.value}" ${p.reason}: use at most 50 letters and digits, or leave it empty.`,
  ),
  LOCATION_ID_CONFLICT: entry(
    'error',
    'The same LocationId is given for two different addresses in the file.',
    'One LocationId names one address: correct the address or use another LocationId.',
    (p) => `LocationId "${p.value}" names a different address on line ${p.line}: one LocationId is one address, correct one of them.`,
  ),
  DIRECTIONAL_INVALID: entry(
    'error',
    'A pre- or post-directional is not a compass direction.',
    'Use N, S, E, W, NE, NW, SE, SW (or the words), or move the text into StreetName.',
    (p) => `${p.field} "${p.value}" is not a direction: use N, S, E, W, NE, NW, SE or SW, or leave it empty.`,
  ),
  STATE_INVALID: entry(
    'error',
    'The state or province is not a USPS state/territory or Canada Post province code.',
    'Use the two-letter code (NC, ON ...) or the full name.',
    (p) => `StateCode "${p.value}" is not a US state or territory or a Canadian province: use its two-letter code.`,
  ),
  STATE_COUNTRY_MISMATCH: entry(
    'error',
    'The state or province does not belong to the country.',
    'Correct the country or the state code.',
    (p) => `StateCode ${p.state} is not in ${p.country}: correct the state or the country.`,
  ),
  COUNTRY_UNSUPPORTED: entry(
    'error',
    'The country is not served by this profile.',
    'dlr serves US and CA; use --api unified for other countries (and dlr for US/CA).',
    (p) => `Country "${p.value}" ${p.reason}.`,
  ),
  COUNTRY_INVALID: entry(
    'error',
    'The country is not an ISO 3166 country code or English country name.',
    'Use the three-letter ISO code (NLD, GBR, DEU ...).',
    (p) => `Country "${p.value}" is not a known country: use its ISO 3166 code such as NLD or GBR.`,
  ),
  ZIP_INVALID: entry(
    'error',
    'The US ZIP code is not 5 digits or ZIP+4.',
    'Use 5 digits (27606) or ZIP+4 (27606-1234).',
    (p) => `Zip "${p.value}" is not a US ZIP code: use 5 digits or ZIP+4 such as 27606-1234.`,
  ),
  ZIP_STATE_MISMATCH: entry(
    'error',
    'The ZIP code belongs to another state.',
    'Correct the ZIP code or the state.',
    (p) => `Zip ${p.zip} belongs to ${p.expected}, not ${p.state}: correct the ZIP or the state.`,
  ),
  PLUS_FOUR_INVALID: entry(
    'error',
    'PlusFour is not 4 digits, or disagrees with the ZIP+4 in Zip.',
    'Use the 4 digits after the dash of the ZIP+4, or leave PlusFour empty.',
    (p) => `PlusFour "${p.value}" ${p.reason}: use 4 digits or leave it empty.`,
  ),
  POSTAL_CODE_INVALID: entry(
    'error',
    'The postal code is not in the form the country uses.',
    'Canada: A1A 1A1. Other countries: the postal code as the post office writes it.',
    (p) => `${p.field} "${p.value}" is not a valid ${p.country} postal code: use the form ${p.form}.`,
  ),
  POSTAL_CODE_PROVINCE_MISMATCH: entry(
    'error',
    'The Canadian postal code belongs to another province.',
    'Correct the postal code or the province.',
    (p) => `Postal code ${p.zip} belongs to ${p.expected}, not ${p.state}: correct the postal code or the province.`,
  ),
  PHONE_INVALID: entry(
    'error',
    'The phone number cannot be made into a valid international (E.164) number for its country.',
    'Enter the full number with its country code (+31 ...), or a national number that matches Country.',
    (p) => `PhoneNumber "${p.value}" ${p.reason}: enter it with its country code, such as +31 79 808 0101.`,
  ),
  PHONE_DUPLICATE: entry('error', 'The same phone number appears on an earlier row of the file (or did, in the file a fed-back --errors-out row came from).', 'Keep one row per phone number.', (p) =>
    p.second === undefined
      ? `PhoneNumber ${p.value} is already on line ${p.line}: keep one row per phone number.`
      : `PhoneNumber ${p.value} is on lines ${p.line} and ${p.second} of ${p.input}: still refused, so it does not overwrite the endpoint the other row provisioned. Remove one of the two rows from ${p.input} and run it again.`,
  ),
  CUSTOMER_TYPE_INVALID: entry(
    'error',
    'CustomerType is not BUS or RES.',
    'Use BUS (business) or RES (residential).',
    (p) => `CustomerType "${p.value}" is not BUS or RES: use BUS for a business or RES for a residence.`,
  ),
  SERVICE_INVALID: entry(
    'error',
    'Service is not ES, DS or ESDS.',
    'Use ES (emergency services), DS (directory services) or ESDS (both), or leave it empty.',
    (p) => `Service "${p.value}" is not ES, DS or ESDS: use one of those or leave it empty.`,
  ),
  ADDRESS_ID_INVALID: entry(
    'error',
    'AddressId contains spaces.',
    'Copy the address ID exactly as the API returned it.',
    (p) => `AddressId "${p.value}" contains spaces: copy the ID exactly as the API returned it.`,
  ),
  ACTION_INVALID: entry(
    'error',
    'Action is not ADD or DELETE.',
    'Use ADD (or leave it empty) to provision, DELETE to remove the endpoint.',
    (p) => `Action "${p.value}" is not ADD or DELETE: use ADD, DELETE, or leave it empty.`,
  ),
  OVER_RECOMMENDED_SIZE: entry(
    'warning',
    'A field is longer than Bandwidth recommends; the PSAP may see it abbreviated or truncated.',
    'Shorten it if the PSAP must see it whole.',
    (p) => `${p.field} is ${p.length} characters; over ${p.limit} it may be truncated for the PSAP.`,
  ),
  ABBREVIATED: entry(
    'warning',
    'A value was abbreviated to the form the API stores.',
    'Nothing to do; check the abbreviated form reads right.',
    (p) => `${p.field} abbreviated: "${p.from}" → "${p.to}".`,
  ),
  ACCOUNT_FORM: entry(
    'warning',
    "An Identifier or LocationId is outside the DLR guide's form but the account already holds it (the API accepts it): kept as it is.",
    "Nothing to do for this endpoint; give new endpoints and locations the guide's form (Identifier 10 to 30, LocationId up to 50 letters and digits).",
    (p) => `${p.field} "${p.value}" ${p.reason}: accepted because the account already holds it; use the guide's form for new ones.`,
  ),
  ZIP_ZERO_RESTORED: entry(
    'warning',
    'A 4-digit ZIP (a spreadsheet dropped its leading zero) got its zero back.',
    'Format the ZIP column as Text in the spreadsheet.',
    (p) => `Zip "${p.value}" had lost its leading zero; sent as ${p.zip}.`,
  ),
  COUNTRY_INFERRED: entry(
    'warning',
    'Country was empty and was inferred from the state or province.',
    'Fill in Country to be explicit.',
    (p) => `Country was empty; ${p.country} inferred from StateCode ${p.state}.`,
  ),
  ADDRESS_ADJUSTED: entry(
    'warning',
    "(dlr) The API's geocoder adjusted the address (spelling, suffix, ZIP+4); the adjusted form is what was provisioned. Shown only in the run that asked the API.",
    "Check the adjusted address (result_std_address) is the caller's; write it that way in the input to match.",
    (p) => `Address adjusted by the API: ${p.adjustments || 'standardized'}.`,
  ),
  ADDRESS_UNVALIDATED: entry(
    'warning',
    '(unified) The API created the address without validating it (validationStatus UNVALIDATED).',
    'Check the address is complete and correct: the PSAP gets it as it is.',
    () => 'Address not validated by the API: check it is complete and correct.',
  ),
  REJECTED_KEPT: entry(
    'warning',
    'The row is unchanged since the API refused it, so it was not sent again (it keeps its REJECTED code and message).',
    'Correct the row, or pass --retry-rejected to send it again as it is.',
    () => 'Not sent again: unchanged since the API refused it (use --retry-rejected to send it again).',
  ),
  DELETED_MISSING: entry(
    'warning',
    'An endpoint esprov provisioned is no longer in the input: deleted (--delete-missing).',
    'Nothing to do if it left on purpose; add its row back to provision it again.',
    () => 'Deleted because it is no longer in the input (--delete-missing).',
  ),
} as const satisfies Record<string, CodeEntry>;

export type ProblemCode = keyof typeof CODES;

/** A warning as the result shows it: its code first, so `result_warnings` can be filtered by code (SPEC §5). */
export const warningText = (p: Pick<Problem, 'code' | 'message'>): string => `${p.code}: ${p.message}`;

/** The text of a warning made outside the row rules (by a pipeline stage). */
export const warning = (code: ProblemCode, params: Params = {}): string => warningText(problem(code, params));

export function problem(code: ProblemCode, params: Params = {}, field?: string): Problem {
  const e: CodeEntry = CODES[code];
  const f = field ?? (typeof params.field === 'string' ? params.field : undefined);
  return f === undefined ? { code, severity: e.severity, message: e.message(params) } : { code, severity: e.severity, field: f, message: e.message(params) };
}

interface CodeText {
  readonly meaning: string;
  readonly fix: string;
}

/** The API error codes' own sentences (src/api/errors.ts), as rows of this table: one text per code. */
function apiCodes<C extends ApiErrorCode>(...codes: C[]): Record<C, CodeText> {
  return Object.fromEntries(codes.map((c) => [c, { meaning: API_ERROR_MESSAGES[c].summary, fix: API_ERROR_MESSAGES[c].action }])) as Record<C, CodeText>;
}

/**
 * Codes a row's outcome carries once it met the API or the run (result_error_code of a FAILED,
 * PENDING, REJECTED or PLANNED row), besides the API's own codes, which are passed through.
 */
export const ROW_CODES = {
  STOPPED: { meaning: "esprov was stopped (SIGINT/SIGTERM) before this row's turn: nothing was sent for it", fix: 'run the same file again, or `esprov reconcile`' },
  ORDER_PENDING: { meaning: 'the order had not finished when esprov stopped following it', fix: 'run `esprov reconcile` later (or run the same file again)' },
  ORDER_FAILED: {
    meaning: 'the order failed as a whole, without a reason per row (row FAILED)',
    fix: 'run again: the next run sends it again, whichever command settled the order; failed on its third attempt too, check what its reason names and ask Bandwidth support, naming the order',
  },
  ORDER_NOT_MADE: { meaning: 'an order sent without an answer was not found at the API: it was never made (row FAILED)', fix: 'run again: it is sent again' },
  ADDRESS_INVALID: { meaning: '(unified) the API answered `validationStatus: INVALID`', fix: 'correct the street, postal code and city' },
  ADDRESS_PARTS_MISSING: { meaning: '(dlr) an AddressLine1-only row the geocoder did not split into HouseNumber and StreetName', fix: 'give HouseNumber and StreetName in their own columns' },
  ITEM_NOT_REPORTED: { meaning: '(unified) the order ended without a result for the endpoint', fix: 'run again: it is sent again' },
  UPDATE_UNSUPPORTED: { meaning: '(unified) the caller name, language or country changed: the API cannot change them in place', fix: 'delete the endpoint (Action DELETE), run, then add it again' },
  ENDPOINT_ERROR: { meaning: '(unified) the order refused the endpoint without a code of its own (row REJECTED)', fix: 'correct what result_error_message names and run again' },
  DRY_RUN: { meaning: '`--dry-run`: the row would be sent', fix: 'nothing to do' },
  CALL_FAILED: {
    meaning: 'a call failed with an error esprov has no code for (row FAILED); the message says which',
    fix: 'run again later; if it persists, run with `--log-file` and report the message',
  },
  ...apiCodes('AMBIGUOUS_WRITE', 'RETRIES_EXHAUSTED', 'HTTP_ERROR', 'NETWORK_ERROR', 'RESPONSE_TOO_LARGE', 'XML_UNSAFE', 'BAD_RESPONSE', 'CLIENT_CLOSED'),
} as const satisfies Record<string, CodeText>;

/**
 * Codes that stop a command with exit 2 (a refusal, a file that cannot be written, refused
 * credentials) rather than mark a row; printed as `esprov: <message> [CODE]`. The README lists
 * them from here too.
 */
export const STOP_CODES = {
  AUTH_FAILED: { meaning: 'the API refused the credentials (403: they may not use this account)', fix: 'check the `BW_*` variables and `--account`' },
  API_MISCONFIGURED: {
    meaning: "an answer that is not the API's: a 404 without the API's error body (or on a path every account has), an HTML page, a redirect, the other profile's format",
    fix: 'check `--base-url` (the API root: `…/api` for dlr, `…/api/v2` for unified) and `--account`; nothing was read as an empty account',
  },
  MAX_DELETE_EXCEEDED: {
    meaning: '`--delete-missing` would delete, or `import-state` would mark deleted, more than `--max-delete`',
    fix: 'check the export is complete (import-state: `--base-url` and `--account`); raise `--max-delete` or pass `--force`',
  },
  DELETE_UNSAFE: { meaning: '`--delete-missing` with input lines that could not be read', fix: 'fix those lines (`esprov check`) and run again' },
  STATE_LOCKED: { meaning: 'another run is using the state store', fix: 'wait for it to finish' },
  STATE_EMPTY: {
    meaning: 'the state store is empty (0 bytes): emptied or truncated; esprov will not take it for a new store, which would send everything again',
    fix: 'restore it (with its `-wal`), or rebuild it with `esprov import-state`; delete it to start afresh on purpose',
  },
  STATE_DAMAGED: {
    meaning: 'the state store is damaged (not a database, or malformed); nothing was sent',
    fix: 'restore it from a backup (with its `-wal`), or rebuild it with `esprov import-state`',
  },
  STATE_NOT_FOUND: { meaning: '`check --state FILE` names a store that does not exist', fix: 'name the store a run or `import-state` wrote, or leave `--state` out' },
  STATE_DISK_FULL: { meaning: 'the disk holding the state store is full', fix: 'free some space and run again; what was committed stays' },
  ACCOUNT_HOLDS_UNKNOWN: {
    meaning: 'the run would add endpoints the account already holds but the state store does not know (a new, emptied or restored store, or another tool); nothing was sent',
    fix: 'adopt the account with `esprov import-state`, then run again; or pass `--force`',
  },
  STATE_UNREADABLE: { meaning: 'the `--state` file is not an esprov state store (another kind of file, or damaged)', fix: 'check `--state`; a new path starts a new store' },
  USAGE_INVALID: { meaning: 'the command line has an unknown command or flag, or a flag value outside its choices', fix: 'see `esprov <command> --help`' },
  OUTPUT_UNWRITABLE: {
    meaning: 'the result, `--errors-out` or `--summary-json` cannot be written there (missing folder, a file in the way, read-only, two flags naming one file); nothing was sent',
    fix: 'choose another path or fix the folder',
  },
  FILE_ERROR: { meaning: 'a file esprov needs (the state store, a log file …) cannot be opened or written; the message names it', fix: 'check the path and its folder' },
  INTERNAL_ERROR: { meaning: 'an error esprov did not expect', fix: 'run again with `--log-file`; report the message' },
  API_REQUIRED: { meaning: 'no `--api` (nor `api` in the config file)', fix: 'pass `--api dlr` (US and Canada) or `--api unified` (rest of world)' },
  API_INVALID: { meaning: '`--api` names no profile', fix: 'use `dlr` or `unified`' },
  ACCOUNT_REQUIRED: { meaning: 'no account id for a command that calls the API', fix: 'pass `--account ID` or set `BW_ACCOUNT_ID`' },
  FLAG_INVALID: { meaning: 'a number flag (`--rate`, `--concurrency`, `--chunk-size`, `--max-delete` …) is out of its range', fix: 'use a value the message names' },
  DURATION_INVALID: { meaning: '`--poll-timeout` or `--request-timeout` is not a duration', fix: 'use e.g. `90s`, `10m` or `1h`' },
  OUT_INVALID: { meaning: '`--out` does not end in `.csv` or `.xlsx` (`export`: `.csv`)', fix: 'name the result file `.csv` or `.xlsx`' },
  ERRORS_OUT_INVALID: { meaning: '`--errors-out` names the result file itself', fix: 'name another file' },
  CONFIG_FILE_UNREADABLE: { meaning: 'the `--config` file (or `esprov.config.json`) does not exist or cannot be read', fix: 'check the path and its permissions' },
  CONFIG_FILE_INVALID: { meaning: 'the config file is not valid JSON, or a setting in it is unknown or out of range; the message names it', fix: 'fix the named setting' },
  MAPPING_UNREADABLE: { meaning: 'the `--mapping` file cannot be read', fix: 'check the path and its permissions' },
  MAPPING_INVALID: {
    meaning: 'the `--mapping` file is not a JSON object of "header": "Field", or maps to a field the profile does not have',
    fix: 'map each header to one of the fields the message lists',
  },
  INPUT_NOT_FOUND: { meaning: 'the input file does not exist', fix: 'check the path' },
  INPUT_UNREADABLE: { meaning: 'the input cannot be read (not a file, no permission, a header line with broken quoting)', fix: 'check the path; fix the header line' },
  INPUT_EMPTY: { meaning: 'the input (or its sheet) has no header row', fix: 'export the file again, with its header row' },
  INPUT_FORMAT: { meaning: 'the input is not text or `.xlsx` (gzip, zip, PDF, an image, an old `.xls` …)', fix: 'save it as CSV or `.xlsx` and run again' },
  SHEET_NOT_FOUND: { meaning: 'the workbook has no sheet named by `--sheet`', fix: 'use one of the sheet names the message lists' },
  HEADER_MISSING_FIELD: { meaning: 'the input has no column for a field the profile needs', fix: 'rename the column, or map it with `--mapping`' },
  HEADER_DUPLICATE: { meaning: 'two columns hold the same field', fix: 'remove one, or map one elsewhere with `--mapping`' },
  NO_RUN: { meaning: '`reconcile` finds no earlier run for this profile and account in the state store', fix: 'check `--state`, `--api` and `--account`' },
  RECONCILE_STDIN: { meaning: '`reconcile` cannot rewrite the result of a run that read standard input', fix: 'run `esprov run` with the same export as a file' },
  ...apiCodes('CONFIG_MISSING_CREDENTIALS', 'CONFIG_INVALID_URL', 'CONFIG_INSECURE_URL', 'CONFIG_INVALID'),
} as const satisfies Record<string, CodeText>;

export type StopCode = keyof typeof STOP_CODES;
