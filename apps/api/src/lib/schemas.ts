// Schema pieces every route shares. Ids stay within what both JavaScript and bigint hold exactly.
import { Type } from '@sinclair/typebox';

export const IdValue = (opts: { description?: string } = {}) => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, ...opts });
export const IdParams = Type.Object({ id: IdValue() });
export const Count = () => Type.Integer({ minimum: 0, maximum: 100_000_000 });

// Names and other short texts (an area, a person, a category…) reach maps, spreadsheets and robot
// messages: they refuse `<`, `>` and control characters, so no name can ever be read as markup.
// (Long texts such as a description may hold them; they are always shown as text.)
export const NAME_PATTERN = '^[^<>\\u0000-\\u001f\\u007f]*$';
const NAME_RE = new RegExp(NAME_PATTERN);
export const NAME_MESSAGE = '名称不能包含 < > 或控制字符 (no < > or control characters in names)';
export const Name = (maxLength: number, minLength = 0) => Type.String({ minLength, maxLength, pattern: NAME_PATTERN });
/** For names that arrive outside a schema (spreadsheet cells): the problem, or null. */
export const nameProblem = (s: string): string | null => (NAME_RE.test(s) ? null : NAME_MESSAGE);
