// A row's warnings and changes, shared by the rows that have the same: a 100k-row migration whose
// rows each carry "AddressLine2 abbreviated …" and "Address adjusted by the API …" holds one list
// per distinct set, not one (with room for 16 more) per row. A list is never changed in place.

/** No changes (or no warnings): one array for every row that has none. */
export const NO_CHANGES: readonly string[] = Object.freeze([]);

/** A run's shared lists: the same messages give the same (frozen) list. */
export function warningLists(): (messages: readonly string[]) => readonly string[] {
  const lists = new Map<string, readonly string[]>();
  return (messages) => {
    if (messages.length === 0) return NO_CHANGES;
    const key = messages.join('\u0000');
    let list = lists.get(key);
    if (list === undefined) {
      list = Object.freeze([...messages]);
      lists.set(key, list);
    }
    return list;
  };
}

/** Each list and a warning added to it: the rows of one address that share a list share the longer one too. */
const extended = new WeakMap<readonly string[], Map<string, readonly string[]>>();

/** A list with a warning added: a shared list, not a copy per row. */
export function withWarning(warnings: readonly string[], text: string): readonly string[] {
  let byText = extended.get(warnings);
  if (byText === undefined) {
    byText = new Map();
    extended.set(warnings, byText);
  }
  let list = byText.get(text);
  if (list === undefined) {
    list = Object.freeze(warnings.concat(text));
    byText.set(text, list);
  }
  return list;
}
